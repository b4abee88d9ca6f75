"""Notifications, watching, mentions, unread tracking and drafts, from each person's side."""

import re

import pytest
from sqlalchemy import select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Notice, Post, Thread
from tests.factories import make_member, make_reply, make_thread


@pytest.fixture
def people(app):
    with app.app_context():
        for handle in ("author", "replier", "watcher", "blocked_one"):
            make_member(handle)
        thread = make_thread(find_member("author"), title="Sleep troubles", body="Opening")
        return {"thread": thread.id, "opening": thread.first_post_id}


def notices_of(app, handle):
    with app.app_context():
        member = find_member(handle)
        return db.session.execute(select(Notice).filter_by(member_id=member.id)).scalars().all()


def reply(client, thread_id, body, **extra):
    return client.post(f"/t/{thread_id}/reply", data={"body": body, **extra})


def test_the_author_gets_one_notification_per_reply_and_none_for_their_own(app, people, login_as):
    replier = login_as("replier")
    reply(replier, people["thread"], "First answer")
    reply(replier, people["thread"], "Second answer")
    reply(login_as("author"), people["thread"], "Thanks both")
    author_notices = notices_of(app, "author")
    assert [notice.kind for notice in author_notices] == ["reply", "reply"]
    page = login_as("author").get("/notifications").get_data(as_text=True)
    assert page.count("replier replied to you in “Sleep troubles”.") == 2


def test_the_header_shows_the_unread_count_and_opening_marks_read(app, people, login_as):
    reply(login_as("replier"), people["thread"], "Hello")
    author = login_as("author")
    assert "(1 new)" in author.get("/").get_data(as_text=True)
    [notice] = notices_of(app, "author")
    response = author.get(f"/notifications/{notice.id}")
    assert response.headers["Location"].startswith("/p/")
    assert "(1 new)" not in author.get("/").get_data(as_text=True)


def test_mark_all_read(app, people, login_as):
    reply(login_as("replier"), people["thread"], "One")
    reply(login_as("watcher"), people["thread"], "Two")
    author = login_as("author")
    author.post("/notifications/read-all")
    assert all(notice.read_at for notice in notices_of(app, "author"))


def test_watched_threads_and_boards_notify_and_can_be_unwatched(app, people, login_as):
    watcher = login_as("watcher")
    watcher.post(f"/t/{people['thread']}/watch")
    watcher.post("/b/anxiety/watch")
    reply(login_as("replier"), people["thread"], "A new reply")
    login_as("replier").post("/b/anxiety/new", data={"title": "Worry", "body": "Hello"})
    kinds = sorted(notice.kind for notice in notices_of(app, "watcher"))
    assert kinds == ["board_thread", "thread"]
    watcher.post(f"/t/{people['thread']}/unwatch")
    reply(login_as("replier"), people["thread"], "Another")
    assert len(notices_of(app, "watcher")) == 2
    page = watcher.get(f"/t/{people['thread']}").get_data(as_text=True)
    assert "Follow this thread" in page


def test_members_watch_threads_they_start_or_reply_to(app, people, login_as):
    reply(login_as("replier"), people["thread"], "I joined in")
    reply(login_as("watcher"), people["thread"], "Me too")
    assert [notice.kind for notice in notices_of(app, "replier")] == ["thread"]


def test_nothing_comes_from_a_blocked_member(app, people, login_as):
    login_as("author").post("/u/blocked_one/block")
    reply(login_as("blocked_one"), people["thread"], "reply to a third post")
    assert notices_of(app, "author") == []


def test_held_posts_notify_only_once_approved(app, people, login_as):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    with app.app_context():
        make_member("newcomer", trust=0)
        make_member("keeper", role="moderator")
    reply(login_as("newcomer"), people["thread"], "A first post")
    assert notices_of(app, "author") == []
    with app.app_context():
        post_id = db.session.execute(select(Post.id).filter_by(body_source="A first post")).scalar()
    login_as("keeper").post(f"/mod/posts/{post_id}/approve", data={})
    assert [notice.kind for notice in notices_of(app, "author")] == ["reply"]


def test_anonymous_replies_never_reveal_their_author(app, people, login_as):
    reply(login_as("replier"), people["thread"], "Quietly", anonymous="y")
    page = login_as("author").get("/notifications").get_data(as_text=True)
    assert "replier" not in page
    assert re.search(r"Anonymous \w+ \w+ replied to you", page)
    [notice] = notices_of(app, "author")
    assert notice.actor_id is None


def test_a_mention_links_the_profile_and_notifies_once(app, people, login_as, lurker):
    reply(login_as("replier"), people["thread"], "Thinking of @watcher and @watcher, @nobody")
    assert [notice.kind for notice in notices_of(app, "watcher")] == ["mention"]
    page = lurker.get(f"/t/{people['thread']}").get_data(as_text=True)
    assert '<a href="/u/watcher" rel="nofollow ugc noopener noreferrer">@watcher</a>' in page
    assert "@nobody" in page and 'href="/u/nobody"' not in page


def test_quiet_mode_stops_notifications_but_not_moderator_messages(app, people, login_as):
    with app.app_context():
        find_member("author").quiet_mode = True
        make_member("keeper", role="moderator")
        db.session.commit()
    reply(login_as("replier"), people["thread"], "Hello")
    assert notices_of(app, "author") == []
    login_as("keeper").post(f"/mod/posts/{people['opening']}/hide", data={"reason": "Check"})
    assert [notice.kind for notice in notices_of(app, "author")] == ["notice"]


def test_members_on_a_break_or_gone_hear_nothing_and_a_finished_break_changes_nothing(
    app, people, login_as
):
    """Watchers filtered in the database: on a break (until tomorrow), account deleted, and
    a break that ended yesterday (that one hears as usual)."""
    from datetime import timedelta

    from forum.models import ThreadWatch, utcnow

    with app.app_context():
        for handle, field, value in (
            ("resting", "break_until", utcnow() + timedelta(days=1)),
            ("gone_away", "deleted_at", utcnow()),
            ("back_again", "break_until", utcnow() - timedelta(days=1)),
        ):
            member = make_member(handle)
            setattr(member, field, value)
            db.session.add(ThreadWatch(member_id=member.id, thread_id=people["thread"]))
        db.session.commit()
    reply(login_as("replier"), people["thread"], "Hello all of you")
    assert notices_of(app, "resting") == []
    assert notices_of(app, "gone_away") == []
    assert [notice.kind for notice in notices_of(app, "back_again")] == ["thread"]
    assert [notice.kind for notice in notices_of(app, "author")] == ["reply"]


def test_support_is_grouped(app, people, login_as):
    for handle in ("replier", "watcher", "blocked_one"):
        login_as(handle).post(f"/p/{people['opening']}/react", data={"kind": "support"})
    [notice] = notices_of(app, "author")
    assert notice.count == 3
    page = login_as("author").get("/notifications").get_data(as_text=True)
    assert "3 people sent “sending support” on your post" in page


def test_unread_counts_after_reading_the_first_page_of_a_long_thread(app, people, login_as):
    with app.app_context():
        thread = db.session.get(Thread, people["thread"])
        replier = find_member("replier")
        for n in range(120):
            make_reply(replier, thread, f"reply {n}")
    reader = login_as("watcher")
    board = reader.get("/b/depression").get_data(as_text=True)
    assert "New</span>" in board
    reader.get(f"/t/{people['thread']}")  # page 1 of 3: 50 posts
    board = reader.get("/b/depression").get_data(as_text=True)
    assert "71 unread" in board
    jump = reader.get(f"/t/{people['thread']}?unread")
    with app.app_context():
        first_unread = db.session.execute(
            select(Post.id).filter_by(body_source="reply 49")
        ).scalar()
    assert jump.headers["Location"] == f"/p/{first_unread}"


def test_a_draft_is_saved_without_javascript_and_restored(app, people, login_as):
    member = login_as("watcher")
    page = member.post(
        "/b/anxiety/new", data={"title": "Half", "body": "Half-written words", "save_draft": "1"}
    )
    assert "Draft saved." in page.get_data(as_text=True)
    member.post("/logout")
    again = login_as("watcher")
    form = again.get("/b/anxiety/new").get_data(as_text=True)
    assert "Half-written words" in form
    assert "Half-written words" in again.get("/drafts").get_data(as_text=True)
    again.post("/b/anxiety/new", data={"title": "Finished", "body": "Half-written words, done"})
    assert "No drafts." in again.get("/drafts").get_data(as_text=True)


def test_a_failed_submit_keeps_a_draft(app, people, login_as):
    member = login_as("watcher")
    member.post("/b/anxiety/new", data={"title": "x", "body": "Words I must keep"})
    assert "Words I must keep" in member.get("/drafts").get_data(as_text=True)


def test_autosave_endpoint_keeps_a_reply_draft(app, people, login_as):
    member = login_as("watcher")
    saved = member.post(
        "/drafts/save", data={"place": f"reply:{people['thread']}", "body": "typing…"}
    )
    assert saved.get_json() == {"saved": True}
    page = member.get(f"/t/{people['thread']}").get_data(as_text=True)
    assert "typing…</textarea>" in page
    assert member.post("/drafts/save", data={"place": "../etc"}).status_code == 404


def test_board_page_queries_stay_constant_with_many_watches(app, people, login_as, count_queries):
    member = login_as("watcher")
    with app.app_context():
        watcher = find_member("watcher")
        from forum.notify.services import watch_thread

        watch_thread(watcher, db.session.get(Thread, people["thread"]))
        db.session.commit()
    with count_queries() as one:
        member.get("/b/depression")
    with app.app_context():
        watcher = find_member("watcher")
        author = find_member("author")
        for n in range(500):
            watch_thread(watcher, make_thread(author, title=f"Thread {n}", slug="off-topic"))
        db.session.commit()
    with count_queries() as many:
        member.get("/b/depression")
    assert one.count == many.count
