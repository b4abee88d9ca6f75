"""Appeals (once per action, decided by another moderator) and in-app notices."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Appeal, ModerationEvent
from tests.factories import make_member, make_reply, make_thread


@pytest.fixture
def hidden_post(app, login_as):
    with app.app_context():
        author = make_member("author_one")
        make_member("keeper", role="moderator")
        make_member("second_keeper", role="moderator")
        thread = make_thread(author, title="Evenings")
        post = make_reply(author, thread, "Words a moderator hid")
        ids = {"thread": thread.id, "post": post.id}
    login_as("keeper").post(f"/mod/posts/{ids['post']}/hide", data={"reason": "Too harsh"})
    with app.app_context():
        ids["event"] = db.session.execute(
            select(ModerationEvent.id).filter_by(action="hide")
        ).scalar_one()
    return ids


def test_the_author_sees_a_notice_banner_then_the_notice_with_an_appeal_link(hidden_post, login_as):
    author = login_as("author_one")
    home = author.get("/").get_data(as_text=True)
    assert "You have 1 new notice." in home
    assert 'Notices <span class="count">(1 new)</span>' in home
    notices = author.get("/notices").get_data(as_text=True)
    assert "A moderator hid your post from others: Too harsh" in notices
    assert f'href="/appeal/{hidden_post["event"]}"' in notices
    assert "You have 1 new notice." not in author.get("/").get_data(as_text=True)


def test_an_appeal_enters_the_queue_and_another_moderator_grants_it(
    app, hidden_post, login_as, lurker
):
    author = login_as("author_one")
    sent = author.post(
        f"/appeal/{hidden_post['event']}",
        data={"text": "I was quoting my own diary"},
        follow_redirects=True,
    )
    assert "Your appeal is with the moderators." in sent.get_data(as_text=True)
    queue = login_as("second_keeper").get("/mod?tab=appeals").get_data(as_text=True)
    assert "I was quoting my own diary" in queue
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    login_as("second_keeper").post(f"/mod/appeals/{appeal_id}/grant", data={"reason": "Fair point"})
    assert "Words a moderator hid" in lurker.get(f"/t/{hidden_post['thread']}").get_data(
        as_text=True
    )
    notices = author.get("/notices").get_data(as_text=True)
    assert "Your appeal was granted" in notices


def test_the_moderator_who_acted_cannot_decide_the_appeal(app, hidden_post, login_as):
    login_as("author_one").post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    response = login_as("keeper").post(f"/mod/appeals/{appeal_id}/deny", data={"reason": "No"})
    assert response.status_code == 403
    assert "A different moderator must decide" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Appeal, appeal_id).outcome is None


def test_a_denied_appeal_keeps_the_post_hidden_and_tells_the_author(
    app, hidden_post, login_as, lurker
):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    login_as("second_keeper").post(
        f"/mod/appeals/{appeal_id}/deny", data={"reason": "It stays hidden"}
    )
    assert "Words a moderator hid" not in lurker.get(f"/t/{hidden_post['thread']}").get_data(
        as_text=True
    )
    assert "Your appeal was not granted. It stays hidden" in author.get("/notices").get_data(
        as_text=True
    )


def test_an_action_can_be_appealed_only_once_and_only_by_its_subject(hidden_post, login_as):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "First"})
    again = author.post(f"/appeal/{hidden_post['event']}", data={"text": "Second"})
    assert again.status_code == 400
    assert "already appealed" in again.get_data(as_text=True)
    stranger = login_as("second_keeper")
    assert stranger.get(f"/appeal/{hidden_post['event']}").status_code == 404


def test_appeals_are_short_and_the_text_is_kept_when_too_long(hidden_post, login_as):
    response = login_as("author_one").post(
        f"/appeal/{hidden_post['event']}", data={"text": "w" * 1001}
    )
    assert response.status_code == 400
    assert "at most 1,000 characters" in response.get_data(as_text=True)
    assert "w" * 1001 in response.get_data(as_text=True)
