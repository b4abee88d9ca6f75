"""Starting threads, replying, editing and deleting, as members and lurkers see it."""

import re

from sqlalchemy import func, select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Post, PostRevision, Thread
from tests.factories import make_member, make_reply, make_thread

PAINFUL_BODY = "I have never told anyone this.\n\nIt has been a very long year."


def new_thread(
    client, title="Finding my feet", body=PAINFUL_BODY, anonymous=False, board="anxiety"
):
    data = {"title": title, "body": body}
    if anonymous:
        data["anonymous"] = "y"
    return client.post(f"/b/{board}/new", data=data, follow_redirects=True)


def test_member_starts_a_thread_and_sees_it_on_its_page_and_board(client, auth):
    auth.register()
    page = new_thread(client)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Finding my feet</h1>" in text
    assert "I have never told anyone this." in text
    assert 'href="/u/river_stone"' in text
    board = client.get("/b/anxiety").get_data(as_text=True)
    assert "Finding my feet" in board
    assert "0 replies" in board


def test_thread_url_carries_a_slug_and_both_forms_work(client, auth, app):
    auth.register()
    new_thread(client, title="Panic at night — what helps?")
    with app.app_context():
        thread = db.session.execute(select(Thread)).scalar_one()
        assert thread.slug == "panic-at-night-what-helps"
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert "Panic at night" in client.get(f"/t/{thread.id}/any-slug").get_data(as_text=True)


def test_invalid_thread_keeps_everything_typed_and_says_why(client, auth):
    auth.register()
    response = client.post("/b/anxiety/new", data={"title": "Hi", "body": PAINFUL_BODY})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Titles are 3 to 150 characters long." in text
    assert "I have never told anyone this." in text
    assert 'value="Hi"' in text


def test_empty_body_is_refused_with_the_title_kept(client, auth):
    auth.register()
    response = client.post("/b/anxiety/new", data={"title": "A calm title", "body": "   \n  "})
    assert response.status_code == 400
    assert "Please write something before posting." in response.get_data(as_text=True)
    assert 'value="A calm title"' in response.get_data(as_text=True)


def test_too_long_body_is_refused_and_kept_whole(client, auth):
    auth.register()
    body = "word " * 4001  # 20,005 characters
    response = client.post("/b/anxiety/new", data={"title": "Long one", "body": body})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most 20,000 characters" in text
    assert body.strip() in text


def test_too_long_title_is_refused(client, auth):
    auth.register()
    response = client.post("/b/anxiety/new", data={"title": "x" * 151, "body": "Fine body"})
    assert response.status_code == 400
    assert "Titles are 3 to 150 characters long." in response.get_data(as_text=True)


def test_reply_to_thread_and_to_a_post_shows_the_tree_in_order(client, auth, app):
    auth.register()
    new_thread(client, body="Opening post")
    with app.app_context():
        thread_id = db.session.execute(select(Thread.id)).scalar_one()
    client.post(f"/t/{thread_id}/reply", data={"body": "First reply"})
    client.post(f"/t/{thread_id}/reply", data={"body": "Second reply"})
    with app.app_context():
        first = db.session.execute(select(Post).filter_by(body_source="First reply")).scalar_one()
    client.post(f"/t/{thread_id}/reply", data={"body": "Answer to first", "parent_id": first.id})
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    order = [
        text.index(words)
        for words in ("Opening post", "First reply", "Answer to first", "Second reply")
    ]
    assert order == sorted(order)
    answer = re.search(
        r'<article class="post depth-(\d)[^"]*" id="p(\d+)"[^>]*>\s*<header[^>]*>'
        r"(?:(?!</article>).)*Answer to first",
        text,
        re.S,
    )
    assert answer.group(1) == "1"


def test_reply_page_without_javascript_shows_the_post_being_answered(client, auth, app):
    auth.register()
    new_thread(client, body="Opening post")
    with app.app_context():
        thread = db.session.execute(select(Thread)).scalar_one()
    reply = client.post(f"/t/{thread.id}/reply", data={"body": "Tell me more"})
    assert reply.status_code == 302
    with app.app_context():
        post_id = db.session.execute(select(Post.id).filter_by(body_source="Tell me more")).scalar()
    page = client.get(f"/t/{thread.id}/reply?parent_id={post_id}").get_data(as_text=True)
    assert "You are replying to this post" in page
    assert "Tell me more" in page
    assert f'name="parent_id" type="hidden" value="{post_id}"' in page


def test_invalid_reply_keeps_the_text_and_the_parent(client, auth, app):
    auth.register()
    new_thread(client)
    with app.app_context():
        thread = db.session.execute(select(Thread)).scalar_one()
        opening = thread.first_post_id
    response = client.post(
        f"/t/{thread.id}/reply", data={"body": "x" * 20_001, "parent_id": str(opening)}
    )
    assert response.status_code == 400
    assert "x" * 20_001 in response.get_data(as_text=True)


def test_reply_to_a_post_of_another_thread_is_refused_with_text_kept(client, auth, app):
    auth.register()
    new_thread(client, title="First thread")
    new_thread(client, title="Second thread")
    with app.app_context():
        first, second = db.session.execute(select(Thread).order_by(Thread.id)).scalars()
        foreign_post = second.first_post_id
    response = client.post(
        f"/t/{first.id}/reply", data={"body": "My careful words", "parent_id": str(foreign_post)}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not in this thread" in text
    assert "My careful words" in text


def test_deep_replies_stay_at_the_cap_and_say_whom_they_answer(app, client):
    with app.app_context():
        alice = make_member("alice")
        bob = make_member("bob_b")
        thread = make_thread(alice)
        parent = None
        for level in range(9):
            parent = make_reply(alice if level % 2 else bob, thread, f"level {level}", parent)
        thread_id = thread.id
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "depth-7" not in text
    assert text.count("depth-6") >= 3
    deepest = text[text.index("level 8") - 900 : text.index("level 8")]
    assert "replying to" in deepest
    assert "alice" in deepest


def test_permalink_redirects_to_the_right_page_and_anchor(app, client):
    with app.app_context():
        author = make_member("alice")
        thread = make_thread(author)
        posts = [make_reply(author, thread, f"reply number {n}") for n in range(120)]
        target = posts[110]
        thread_id, target_id = thread.id, target.id
    response = client.get(f"/p/{target_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?page=3#p{target_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="p{target_id}"' in page
    assert "reply number 110" in page
    assert "Page 3 of 3" in page
    assert f"/t/{thread_id}/" in response.headers["Location"]


def test_author_edits_a_post_and_every_earlier_version_is_kept(client, auth, app):
    auth.register()
    new_thread(client, body="First words")
    with app.app_context():
        post_id = db.session.execute(select(Post.id)).scalar_one()
    form = client.get(f"/p/{post_id}/edit").get_data(as_text=True)
    assert "First words" in form
    client.post(f"/p/{post_id}/edit", data={"body": "Second words"})
    page = client.post(f"/p/{post_id}/edit", data={"body": "Third words"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Third words" in text
    assert "edited" in text
    with app.app_context():
        kept = (
            db.session.execute(
                select(PostRevision.body_source)
                .filter_by(post_id=post_id)
                .order_by(PostRevision.id)
            )
            .scalars()
            .all()
        )
    assert kept == ["First words", "Second words"]


def test_invalid_edit_keeps_the_new_text(client, auth, app):
    auth.register()
    new_thread(client, body="Original")
    with app.app_context():
        post_id = db.session.execute(select(Post.id)).scalar_one()
    response = client.post(f"/p/{post_id}/edit", data={"body": "y" * 20_001})
    assert response.status_code == 400
    assert "y" * 20_001 in response.get_data(as_text=True)


def test_deleted_post_leaves_a_placeholder_and_its_replies_stay(app, client, auth):
    auth.register()
    new_thread(client, body="Opening")
    with app.app_context():
        other = make_member("other_one")
        me = find_member("river_stone")
        thread = db.session.execute(select(Thread)).scalar_one()
        mine = make_reply(me, thread, "I regret writing this")
        answer = make_reply(other, thread, "A kind answer", parent=mine)
        thread_id, mine_id, answer_id = thread.id, mine.id, answer.id
    confirm = client.get(f"/p/{mine_id}/delete").get_data(as_text=True)
    assert "Delete this post?" in confirm
    client.post(f"/p/{mine_id}/delete")
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "I regret writing this" not in text
    assert "[deleted by its author]" in text
    assert "A kind answer" in text
    assert text.index(f'id="p{mine_id}"') < text.index(f'id="p{answer_id}"')


def test_someone_else_cannot_edit_or_delete_a_post(app, client, auth):
    with app.app_context():
        owner = make_member("owner_one")
        post_id = make_thread(owner, body="Mine only").first_post_id
    auth.register()
    assert client.get(f"/p/{post_id}/edit").status_code == 403
    assert client.post(f"/p/{post_id}/edit", data={"body": "hijacked"}).status_code == 403
    assert client.post(f"/p/{post_id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(Post, post_id).body_source == "Mine only"


def test_lurker_writing_is_sent_to_login_and_back(client, app):
    with app.app_context():
        thread_id = make_thread(make_member("alice")).id
    response = client.get("/b/anxiety/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/b/anxiety/new"
    posted = client.post(f"/t/{thread_id}/reply", data={"body": "hello"})
    assert "Log in" in posted.get_data(as_text=True)
    assert 'name="carried_body" type="hidden" value="hello"' in posted.get_data(as_text=True)
    button = client.post(
        f"/p/{thread_id}/delete", headers={"Referer": f"http://localhost/t/{thread_id}"}
    )
    assert button.headers["Location"] == f"/login?next=/t/{thread_id}"
    foreign = client.post(f"/p/{thread_id}/delete", headers={"Referer": "http://evil.example/x"})
    assert foreign.headers["Location"] == "/login?next=/"
    with app.app_context():
        assert db.session.execute(select(func.count(Post.id))).scalar() == 1


def test_counters_follow_new_threads_and_replies(app, client):
    with app.app_context():
        alice = make_member("alice")
        thread = make_thread(alice, slug="grief-and-loss")
        make_reply(alice, thread, "one")
        make_reply(alice, thread, "two")
    index = client.get("/").get_data(as_text=True)
    boards = index[index.index('class="board-list"') :]  # past the latest-threads list
    grief = boards[boards.index("Grief &amp; Loss") :]
    assert "1 thread" in grief[:600]
    assert "3 posts" in grief[:600]
    assert "alice" in grief[:900]


def test_a_post_sent_after_the_session_ended_is_carried_through_login(app, client, auth):
    with app.app_context():
        thread_id = make_thread(make_member("alice")).id
        make_member("returning_one")
    # The session ended (logged out on another device, or expired) while they were writing.
    response = client.post(
        f"/t/{thread_id}/reply", data={"body": "Words written over an hour", "anonymous": "y"}
    )
    text = response.get_data(as_text=True)
    assert "Your session ended before your post was sent." in text
    assert "Words written over an hour" in text
    after_login = client.post(
        "/login",
        data={
            "handle": "returning_one",
            "password": "correct horse battery",
            "next": f"/t/{thread_id}/reply",
            "carried_body": "Words written over an hour",
            "carried_anonymous": "y",
        },
    )
    resume = after_login.get_data(as_text=True)
    assert "It has not been posted yet" in resume
    assert "Words written over an hour</textarea>" in resume
    assert f'action="/t/{thread_id}/reply"' in resume
    sent = client.post(
        f"/t/{thread_id}/reply",
        data={"body": "Words written over an hour", "anonymous": "y"},
        follow_redirects=True,
    )
    assert "Words written over an hour" in sent.get_data(as_text=True)


def test_titles_are_kept_on_one_line(client, auth):
    auth.register()
    page = new_thread(client, title="  Tired\n\nof   being\ttired  ")
    assert "<h1>Tired of being tired</h1>" in page.get_data(as_text=True)


def test_forbidden_actions_get_the_403_page_in_layout(app, client, auth):
    with app.app_context():
        post_id = make_thread(make_member("owner_one")).first_post_id
    auth.register()
    response = client.get(f"/p/{post_id}/edit")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You can&#39;t do that here" in text
    assert "Need help now?" in text
