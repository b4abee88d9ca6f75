"""No post left unanswered: the "Waiting for a reply" list for trusted members."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.extensions import db
from forum.models import Thread, utcnow
from tests.factories import make_member, make_reply, make_thread


def age(app, thread_id, hours):
    with app.app_context():
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread_id)
            .values(created_at=utcnow() - timedelta(hours=hours))
        )
        db.session.commit()


@pytest.fixture
def threads(app):
    with app.app_context():
        lonely = make_member("lonely_one")
        make_member("helper", trust=2)
        make_member("plain_member")
        old = make_thread(lonely, title="Nobody answered yet")
        older = make_thread(lonely, title="Even older and waiting")
        answered = make_thread(lonely, title="Someone answered")
        make_reply(make_member("kind_one"), answered, "Welcome!")
        self_only = make_thread(lonely, title="Only my own follow-up")
        make_reply(lonely, self_only, "Adding a bit more")
        fresh = make_thread(lonely, title="Just posted")
        ids = {
            "old": old.id,
            "older": older.id,
            "answered": answered.id,
            "self_only": self_only.id,
            "fresh": fresh.id,
        }
    for key, hours in (("old", 13), ("older", 30), ("answered", 20), ("self_only", 15)):
        age(app, ids[key], hours)
    return ids


def test_trusted_members_see_threads_without_a_reply_oldest_first(threads, login_as):
    page = login_as("helper").get("/waiting").get_data(as_text=True)
    assert page.index("Even older and waiting") < page.index("Nobody answered yet")
    assert "Only my own follow-up" in page  # the author's own replies don't count
    assert "Someone answered" not in page
    assert "Just posted" not in page  # not yet FORUM_UNANSWERED_HOURS old


def test_the_list_is_for_trusted_members_and_moderators_only(app, threads, login_as, lurker):
    assert login_as("plain_member").get("/waiting").status_code == 403
    assert lurker.get("/waiting").status_code == 302
    with app.app_context():
        make_member("keeper", role="moderator")
    keeper = login_as("keeper")
    assert "Nobody answered yet" in keeper.get("/waiting").get_data(as_text=True)
    assert "Waiting for a reply" in keeper.get("/").get_data(as_text=True)


def test_an_author_can_opt_a_thread_out(threads, login_as):
    author = login_as("lonely_one")
    page = author.get(f"/t/{threads['old']}").get_data(as_text=True)
    assert "I just want to write this down" in page
    author.post(f"/t/{threads['old']}/no-reply-wanted")
    assert "Nobody answered yet" not in login_as("helper").get("/waiting").get_data(as_text=True)
    author.post(f"/t/{threads['old']}/reply-welcome")
    assert "Nobody answered yet" in login_as("helper").get("/waiting").get_data(as_text=True)


def test_only_the_author_can_opt_out(threads, login_as):
    assert login_as("helper").post(f"/t/{threads['old']}/no-reply-wanted").status_code == 403


def test_a_first_reply_from_someone_else_takes_a_thread_off_the_list(threads, login_as):
    login_as("helper").post(f"/t/{threads['old']}/reply", data={"body": "Hello, welcome."})
    assert "Nobody answered yet" not in login_as("helper").get("/waiting").get_data(as_text=True)


def test_the_waiting_time_is_configurable(app, threads, login_as):
    app.config["FORUM_UNANSWERED_HOURS"] = 0
    assert "Just posted" in login_as("helper").get("/waiting").get_data(as_text=True)
