"""Anonymous posting: a per-thread alias that only moderators can link to the account."""

import re

from sqlalchemy import select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Post, Thread, ThreadAlias
from forum.threads.aliases import alias_for
from tests.factories import make_member, make_reply, make_thread


def alias_names(text: str) -> list[str]:
    return re.findall(r'<span class="byline anonymous">([^<]+)</span>', text)


def test_anonymous_thread_shows_an_alias_and_never_the_handle(client, auth, app):
    auth.register("secret_sparrow")
    client.post(
        "/b/trauma/new",
        data={"title": "Something I carry", "body": "Hard words.", "anonymous": "y"},
    )
    with app.app_context():
        thread = db.session.execute(select(Thread)).scalar_one()
    auth.logout()
    pages = [client.get(f"/t/{thread.id}"), client.get("/b/trauma"), client.get("/")]
    for page in pages:
        text = page.get_data(as_text=True)
        assert "secret_sparrow" not in text
        assert re.search(r"Anonymous \w+ \w+", text)
    profile = client.get("/u/secret_sparrow").get_data(as_text=True)
    assert "Hard words." not in profile
    assert "Something I carry" not in profile


def test_the_alias_is_the_same_throughout_a_thread_and_differs_between_threads(app, client):
    with app.app_context():
        member = make_member("quiet_one")
        first = make_thread(member, title="First thread", anonymous=True)
        make_reply(member, first, "again me", anonymous=True)
        second = make_thread(member, title="Second thread", anonymous=True)
        first_id, second_id = first.id, second.id
    first_names = alias_names(client.get(f"/t/{first_id}").get_data(as_text=True))
    second_names = alias_names(client.get(f"/t/{second_id}").get_data(as_text=True))
    assert len(first_names) == 2 and len(set(first_names)) == 1
    assert second_names and second_names[0] != first_names[0]


def test_two_members_never_share_an_alias_in_a_thread(app):
    with app.app_context():
        members = [make_member(f"member_{n}") for n in range(40)]
        thread = make_thread(members[0])
        names = [alias_for(member, thread).name for member in members]
        db.session.commit()
        assert len(set(names)) == len(names)


def test_a_members_aliases_avoid_repeating_across_threads(app):
    with app.app_context():
        member = make_member("many_threads")
        names = []
        for n in range(30):
            thread = make_thread(member, title=f"Thread {n}", anonymous=True)
            names.append(
                db.session.get(
                    ThreadAlias, db.session.get(Post, thread.first_post_id).alias_id
                ).name
            )
        assert len(set(names)) == len(names)


def test_anonymous_reply_keeps_the_account_only_for_moderators(app, client):
    with app.app_context():
        author = make_member("hidden_author")
        thread = make_thread(make_member("opener"))
        reply = make_reply(author, thread, "Only the alias shows", anonymous=True)
        stored = db.session.get(Post, reply.id)
        assert stored.author_id == author.id
        assert stored.alias.member_id == author.id
        thread_id = thread.id
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "hidden_author" not in text
    assert "Only the alias shows" in text


def test_alias_urls_and_html_hold_no_account_link(app, client):
    with app.app_context():
        author = make_member("linkable_not")
        thread = make_thread(author, anonymous=True)
        member_id = author.id
        thread_id = thread.id
        opening_id = thread.first_post_id
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "/u/linkable_not" not in text
    assert f'data-member="{member_id}"' not in text
    article = text[text.index(f'id="p{opening_id}"') :]
    article = article[: article.index("</article>")]
    assert "/u/" not in article


def test_the_author_can_still_edit_their_anonymous_post(app, client, auth):
    auth.register("veiled_editor")
    client.post("/b/anxiety/new", data={"title": "Anon thread", "body": "v1", "anonymous": "y"})
    with app.app_context():
        post_id = db.session.execute(select(Post.id)).scalar_one()
        assert find_member("veiled_editor").id == db.session.get(Post, post_id).author_id
    page = client.post(f"/p/{post_id}/edit", data={"body": "v2"}, follow_redirects=True)
    assert "v2" in page.get_data(as_text=True)
    assert "veiled_editor" not in page.get_data(as_text=True).split("</header>", 1)[1]


def test_the_reply_form_remembers_an_anonymous_member_and_warns_before_unmasking(app, client, auth):
    auth.register("careful_one")
    client.post("/b/anxiety/new", data={"title": "Quiet thread", "body": "hi", "anonymous": "y"})
    with app.app_context():
        thread_id = db.session.execute(select(Thread.id)).scalar_one()
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert '<input checked id="anonymous" name="anonymous" type="checkbox" value="y">' in page
    assert "You have posted in this thread as <strong>Anonymous" in page
    # Unticking is still respected: the reply goes out under the handle.
    client.post(f"/t/{thread_id}/reply", data={"body": "signed now"})
    text = client.get(f"/t/{thread_id}").get_data(as_text=True)
    signed = text[text.index("signed now") - 600 : text.index("signed now")]
    assert 'href="/u/careful_one"' in signed
