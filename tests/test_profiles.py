"""Profiles: handle, month joined, and only the member's signed posts, newest first."""

import re

from forum.profiles.queries import POSTS_PER_PAGE
from tests.factories import make_member, make_reply, make_thread
from tests.helpers import walk_pages


def bodies(text: str) -> list[str]:
    return re.findall(r'<div class="post-body"><p>([^<]+)</p></div>', text)


def test_profile_shows_handle_month_joined_and_signed_posts(app, client):
    with app.app_context():
        member = make_member("sunny_wren")
        joined = member.created_at.strftime("%B %Y")
        thread = make_thread(member, title="My first thread", body="signed opening")
        make_reply(member, thread, "signed reply")
        make_reply(member, thread, "secret anonymous reply", anonymous=True)
    text = client.get("/u/sunny_wren").get_data(as_text=True)
    assert "<h1>sunny_wren</h1>" in text
    assert f"Member since {joined}" in text
    assert bodies(text) == ["signed reply", "signed opening"]
    assert "secret anonymous reply" not in text
    assert "My first thread" in text


def test_profile_handle_lookup_ignores_case(app, client):
    with app.app_context():
        make_member("Sunny_Wren")
    assert "<h1>Sunny_Wren</h1>" in client.get("/u/sunny_wren").get_data(as_text=True)


def test_deleted_posts_leave_the_profile(app, client):
    from forum.extensions import db
    from forum.threads.services import delete_post

    with app.app_context():
        member = make_member("sunny_wren")
        thread = make_thread(member, body="keep me")
        gone = make_reply(member, thread, "delete me")
        delete_post(gone)
        db.session.commit()
    assert bodies(client.get("/u/sunny_wren").get_data(as_text=True)) == ["keep me"]


def test_profile_pages_through_every_post_once(app, client):
    total = POSTS_PER_PAGE * 2 + 3
    with app.app_context():
        member = make_member("sunny_wren")
        thread = make_thread(member, body="post 0")
        for n in range(1, total):
            make_reply(member, thread, f"post {n}")
    seen = walk_pages(client, "/u/sunny_wren", "Older posts", bodies)
    assert seen == [f"post {n}" for n in reversed(range(total))]


def test_a_forged_profile_cursor_is_a_clear_400(app, client):
    with app.app_context():
        make_member("sunny_wren")
    response = client.get("/u/sunny_wren?before=not-a-cursor")
    assert response.status_code == 400
    assert "That page link is not valid" in response.get_data(as_text=True)
