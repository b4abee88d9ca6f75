"""Edit history: the author and moderators can read a post's earlier versions; nobody else
can, or even learn the page exists."""

from tests.factories import make_member, make_reply, make_thread

FIRST = "I live on Elm Street, near the school"
SECOND = "I live near a school"


def edited_post(app, login_as, anonymous=False):
    with app.app_context():
        writer = make_member("writer")
        make_member("reader")
        make_member("keeper", role="moderator")
        thread = make_thread(make_member("opener"))
        post = make_reply(writer, thread, FIRST, anonymous=anonymous)
        ids = (thread.id, post.id)
    edit = login_as("writer").post(f"/p/{ids[1]}/edit", data={"body": SECOND})
    assert edit.status_code == 302
    return ids


def test_the_author_and_moderators_read_earlier_versions(app, login_as):
    thread_id, post_id = edited_post(app, login_as)
    writer = login_as("writer")
    thread_page = writer.get(f"/t/{thread_id}").get_data(as_text=True)
    assert f'href="/p/{post_id}/history"' in thread_page  # the "edited" mark is the link
    history = writer.get(f"/p/{post_id}/history").get_data(as_text=True)
    assert FIRST in history and SECOND in history
    assert history.index(SECOND) < history.index(FIRST)  # newest first
    assert "Only you and the moderators can see this page" in history
    keeper = login_as("keeper").get(f"/p/{post_id}/history").get_data(as_text=True)
    assert FIRST in keeper and "Only its author and the moderators" in keeper


def test_everyone_else_gets_a_plain_404_and_no_link(app, login_as, lurker):
    thread_id, post_id = edited_post(app, login_as)
    for client in (lurker, login_as("reader")):
        assert client.get(f"/p/{post_id}/history").status_code == 404
        page = client.get(f"/t/{thread_id}").get_data(as_text=True)
        assert "/history" not in page
        assert "edited" in page and FIRST not in page
    assert lurker.get("/p/999/history").status_code == 404


def test_an_anonymous_posts_history_names_nobody(app, login_as):
    thread_id, post_id = edited_post(app, login_as, anonymous=True)
    keeper = login_as("keeper").get(f"/p/{post_id}/history").get_data(as_text=True)
    assert FIRST in keeper and "writer" not in keeper.split("<main")[1]


def test_a_version_is_shown_as_text_never_as_markup(app, login_as):
    with app.app_context():
        writer = make_member("writer")
        post = make_reply(writer, make_thread(writer), "<script>alert(1)</script> **bold**")
        post_id = post.id
    login_as("writer").post(f"/p/{post_id}/edit", data={"body": "Better words"})
    history = login_as("writer").get(f"/p/{post_id}/history").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in history
    assert "<script>alert" not in history
