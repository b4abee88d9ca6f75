"""Trust is built slowly: held first posts, daily limits, plain-text links, pre-moderation."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Board, Member, Post, Thread, utcnow
from forum.trust import current_trust
from tests.factories import make_member, make_thread

WAITING = "Waiting for a moderator to approve it."


@pytest.fixture
def app_config(app_config):
    return {**app_config, "FORUM_NEW_MEMBER_HOLD": 2}


@pytest.fixture
def newcomer(app, auth):
    with app.app_context():
        make_member("keeper", role="moderator")
        make_member("old_hand")
    auth.register("newcomer")
    return auth.client


def start(client, title="My first thread", body="Hello, I am new here.", board="introductions"):
    return client.post(
        f"/b/{board}/new", data={"title": title, "body": body}, follow_redirects=True
    )


def thread_id(app, title):
    with app.app_context():
        return db.session.execute(select(Thread.id).filter_by(title=title)).scalar_one()


def test_a_new_members_first_thread_waits_and_only_they_see_it(app, newcomer, lurker, login_as):
    page = start(newcomer).get_data(as_text=True)
    assert "Your post is waiting for a moderator" in page
    assert WAITING in page
    tid = thread_id(app, "My first thread")
    assert "My first thread" in newcomer.get("/b/introductions").get_data(as_text=True)
    assert "Waiting for approval" in newcomer.get("/b/introductions").get_data(as_text=True)
    for other in (lurker, login_as("old_hand")):
        assert "My first thread" not in other.get("/b/introductions").get_data(as_text=True)
        assert other.get(f"/t/{tid}").status_code == 404
    assert "0 threads" in lurker.get("/").get_data(as_text=True).split("Depression")[0]


def test_a_moderator_approves_a_held_thread_and_everyone_sees_it(app, newcomer, lurker, login_as):
    start(newcomer)
    tid = thread_id(app, "My first thread")
    keeper = login_as("keeper")
    queue = keeper.get("/mod?tab=held").get_data(as_text=True)
    assert "Hello, I am new here." in queue
    with app.app_context():
        post_id = db.session.get(Thread, tid).first_post_id
    keeper.post(f"/mod/posts/{post_id}/approve", data={})
    assert "Hello, I am new here." in lurker.get(f"/t/{tid}").get_data(as_text=True)
    index = lurker.get("/").get_data(as_text=True)
    assert "1 thread" in index.split("Depression")[0]
    assert "A moderator approved your post." in newcomer.get("/notices").get_data(as_text=True)


def test_after_the_held_posts_are_approved_posts_appear_at_once(app, newcomer, login_as, lurker):
    keeper = login_as("keeper")
    for n in range(2):
        start(newcomer, title=f"Held thread {n}")
        with app.app_context():
            post_id = db.session.get(Thread, thread_id(app, f"Held thread {n}")).first_post_id
        keeper.post(f"/mod/posts/{post_id}/approve", data={})
    start(newcomer, title="Free at last")
    assert lurker.get(f"/t/{thread_id(app, 'Free at last')}").status_code == 200


def test_a_held_reply_is_invisible_to_others_until_approved(app, newcomer, lurker):
    with app.app_context():
        tid = make_thread(find_member("old_hand"), title="Open thread").id
    newcomer.post(f"/t/{tid}/reply", data={"body": "My held reply"})
    assert "My held reply" not in lurker.get(f"/t/{tid}").get_data(as_text=True)
    own = newcomer.get(f"/t/{tid}").get_data(as_text=True)
    assert "My held reply" in own and WAITING in own
    assert "0 replies" in lurker.get("/b/depression").get_data(as_text=True)


def test_a_rejected_held_post_stays_out_of_sight_with_the_reason_for_its_author(
    app, newcomer, lurker, login_as
):
    with app.app_context():
        tid = make_thread(find_member("old_hand"), title="Open thread").id
    newcomer.post(f"/t/{tid}/reply", data={"body": "Buy my pills"})
    with app.app_context():
        held = db.session.execute(select(Post).filter_by(body_source="Buy my pills")).scalar_one()
        held_id = held.id
    login_as("keeper").post(f"/mod/posts/{held_id}/remove", data={"reason": "Advertising"})
    assert "Buy my pills" not in lurker.get(f"/t/{tid}").get_data(as_text=True)
    assert "[removed by a moderator]" not in lurker.get(f"/t/{tid}").get_data(as_text=True)
    own = newcomer.get(f"/t/{tid}").get_data(as_text=True)
    assert "A moderator removed your post: Advertising." in own


def test_new_members_links_are_plain_text(app, newcomer, login_as):
    start(newcomer, body="Visit [my shop](https://shop.example.org) or https://x.example.org")
    tid = thread_id(app, "My first thread")
    page = login_as("keeper").get(f"/t/{tid}").get_data(as_text=True)
    assert "my shop (https://shop.example.org)" in page
    assert 'href="https://shop.example.org"' not in page


def test_new_members_post_at_most_ten_times_a_day_and_keep_their_text(app, newcomer):
    with app.app_context():
        find_member("newcomer").approved_posts = 2  # past the held posts, still level 0
        db.session.commit()
    for n in range(10):
        assert start(newcomer, title=f"Thread {n:02d}").status_code == 200
    response = newcomer.post(
        "/b/introductions/new", data={"title": "One too many", "body": "Words I keep"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "New members can post 10 times a day" in text
    assert "Words I keep" in text


def test_level_one_comes_after_approved_posts_and_three_days(app):
    with app.app_context():
        member = make_member("slow_builder", trust=0)
        member.approved_posts = 2
        assert current_trust(member) == 0
        member.created_at = utcnow() - timedelta(days=4)
        assert current_trust(member) == 1


def test_level_two_comes_with_sustained_good_standing_only(app):
    with app.app_context():
        member = make_member("steady_one", trust=1)
        member.created_at = utcnow() - timedelta(days=90)
        member.approved_posts = 40
        member.strikes = 1
        assert current_trust(member) == 1
        member.strikes = 0
        assert current_trust(member) == 2


def test_moderators_grant_trust_and_a_trusted_report_hides_at_once(app, login_as, client):
    with app.app_context():
        make_member("keeper", role="moderator")
        make_member("helper")
        thread = make_thread(make_member("writer"), body="Cruel words")
        post_id = thread.first_post_id
    login_as("keeper").post("/mod/users/helper/trust", data={"level": "2", "reason": "Kind"})
    with app.app_context():
        assert (
            db.session.execute(select(Member.trust_level).filter_by(handle="helper")).scalar_one()
            == 2
        )
    login_as("helper").post(f"/p/{post_id}/report", data={"reason": "harassment"})
    assert "hidden while a moderator" in client.get(
        f"/p/{post_id}", follow_redirects=True
    ).get_data(as_text=True)


def test_pre_moderated_boards_hold_posts_below_trust_level_two(app, login_as, client):
    with app.app_context():
        db.session.execute(update(Board).filter_by(slug="trauma").values(moderation_mode="pre"))
        db.session.commit()
        make_member("member_one", trust=1)
        make_member("trusted_one", trust=2)
    login_as("member_one").post("/b/trauma/new", data={"title": "Held here", "body": "words"})
    login_as("trusted_one").post("/b/trauma/new", data={"title": "Shown here", "body": "words"})
    board = client.get("/b/trauma").get_data(as_text=True)
    assert "Shown here" in board
    assert "Held here" not in board


def test_deleting_a_held_post_takes_it_out_of_the_queue(app, newcomer, login_as):
    start(newcomer)
    with app.app_context():
        post_id = db.session.get(Thread, thread_id(app, "My first thread")).first_post_id
    newcomer.post(f"/p/{post_id}/delete")
    queue = login_as("keeper").get("/mod?tab=held").get_data(as_text=True)
    assert "Hello, I am new here." not in queue
    assert "Nothing here." in queue
