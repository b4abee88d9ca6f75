"""What the speed work on members' pages keeps true: read marks move only forward, and
reading a page already read writes nothing (no write lock for a plain re-read)."""

from contextlib import contextmanager

from sqlalchemy import event, select

from forum.extensions import db
from forum.models import Member, Thread
from tests.factories import make_member, make_reply, make_thread


def writes(counter) -> list[str]:
    return [s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


@contextmanager
def write_locks(app):
    """The write transactions begun meanwhile (SQLite's BEGIN IMMEDIATE: one at a time)."""
    begun = []

    def note(conn, cursor, statement, *args):
        if statement.strip().upper() == "BEGIN IMMEDIATE":
            begun.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield begun
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_rereading_a_thread_writes_nothing_and_new_replies_show_as_unread(
    app, login_as, count_queries
):
    with app.app_context():
        ann = make_member("ann")
        make_member("bob")
        thread = make_thread(ann, title="Evenings", body="How do you get through?", slug="anxiety")
        make_reply(ann, thread, "Tea helps.")
        db.session.commit()
        thread_id = thread.id
    bob_client = login_as("bob")
    bob_client.get(f"/t/{thread_id}")
    with count_queries() as counter, write_locks(app) as locks:
        page = bob_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "Tea helps." in page
    assert writes(counter) == [] and locks == []
    assert "unread" not in bob_client.get("/b/anxiety").get_data(as_text=True)
    with app.app_context():
        author = db.session.scalars(select(Member).filter_by(handle="ann")).one()
        make_reply(author, db.session.get(Thread, thread_id), "A walk, too.")
        db.session.commit()
    assert "1 unread" in bob_client.get("/b/anxiety").get_data(as_text=True)
    with count_queries() as counter:
        assert "A walk, too." in bob_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert len(writes(counter)) == 1  # the read mark moves on
    assert "unread" not in bob_client.get("/b/anxiety").get_data(as_text=True)


def test_links_built_from_a_prefix_are_the_routers_links(app):
    """Bylines and thread rows build their links from a prefix asked of the router once a
    request: they must be exactly what url_for gives, mounted below a path too."""
    from flask import url_for

    from forum.display import profile_url, thread_url

    handles = ["ann", "Ann_2", "zoë", "a b", "x/y", "q?&#%"]
    for root in ("", "/forum"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for handle in handles:
                assert profile_url(handle) == url_for("profiles.profile", handle=handle)
            for thread_id, slug in ((1, "thread"), (987654, "evenings-at-home")):
                expected = url_for("threads.show", thread_id=thread_id, slug=slug)
                assert thread_url(thread_id, slug) == expected
            assert profile_url("ann").startswith(f"{root}/u/")


def test_a_members_page_count_is_the_count_of_posts_they_may_see(app, monkeypatch):
    """Members' page counts come from the thread's counter plus their own held posts, not a
    count of the whole thread: whatever states its posts went through, the two agree."""
    from sqlalchemy import func, update

    from forum.models import Board, Post
    from forum.moderation.actions import approve_post, hide_post, remove_post, restore_post
    from forum.threads import queries
    from forum.threads.services import delete_post

    monkeypatch.setattr(queries, "POSTS_PER_PAGE", 1)  # one post a page: pages == posts
    with app.test_request_context():
        db.session.execute(update(Board).filter_by(slug="trauma").values(moderation_mode="pre"))
        ann, bob, cyd = (make_member(handle) for handle in ("ann", "bob", "cyd"))
        keeper, warden = (
            make_member("keeper", role="moderator"),
            make_member("warden", role="moderator"),
        )
        open_thread = make_thread(keeper, title="Evenings", slug="trauma")
        held_thread = make_thread(ann, title="Mornings", slug="trauma")
        make_reply(keeper, held_thread, "Welcome, we will look soon.")
        replies = [
            make_reply(who, open_thread, f"Reply by {who.handle}") for who in (bob, cyd, bob, ann)
        ]
        make_reply(keeper, open_thread, "A moderator's answer.")
        approve_post(warden, replies[1])
        remove_post(warden, replies[0], "Not this")  # held, so rejected
        approve_post(warden, replies[3])
        hide_post(warden, replies[3], "Unkind")
        restore_post(warden, replies[3], tell_author=False)
        delete_post(replies[1])
        cyds_own = make_reply(cyd, open_thread, "Held, then deleted by cyd")
        delete_post(cyds_own)
        db.session.commit()
        for thread in (open_thread, held_thread):
            for member in (ann, bob, cyd, keeper):
                visible = queries._visible(select(func.count()).select_from(Post), member)
                expected = db.session.execute(visible.where(Post.thread_id == thread.id)).scalar()
                counted = queries.count_pages(thread, member)
                assert counted == max(1, expected), (thread.title, member.handle)


def test_a_reply_reaches_exactly_the_watchers_who_should_hear_of_it(app, login_as):
    """Watchers hear of a reply from one INSERT ... SELECT: not those who muted the board,
    are in quiet mode, or blocked the face it shows (the member, or the alias when it is
    anonymous); the post they answer notifies its author once, as a reply."""
    from forum.models import BoardMute, ThreadWatch

    handles = ("author", "replier", "plain", "muted", "quiet", "blocks_member", "blocks_alias")
    with app.app_context():
        people = {handle: make_member(handle) for handle in handles}
        thread = make_thread(people["author"], title="Sleep troubles", slug="anxiety")
        make_reply(people["replier"], thread, "A first, anonymous word.", anonymous=True)
        for handle in handles[2:]:
            db.session.add(ThreadWatch(member_id=people[handle].id, thread_id=thread.id))
        db.session.add(BoardMute(member_id=people["muted"].id, board_id=thread.board_id))
        people["quiet"].quiet_mode = True
        db.session.commit()
        thread_id, first = thread.id, thread.last_post_id
    login_as("blocks_member").post("/u/replier/block")
    login_as("blocks_alias").post(f"/p/{first}/block")
    replier = login_as("replier")
    replier.post(f"/t/{thread_id}/reply", data={"body": "Signed, this time."})
    replier.post(f"/t/{thread_id}/reply", data={"body": "Anonymous again.", "anonymous": "y"})

    def notices(handle):
        page = login_as(handle).get("/notifications").get_data(as_text=True)
        return page.count("a thread you follow"), page.count("replied to")

    assert notices("plain")[0] == 2
    assert notices("muted")[0] == notices("quiet")[0] == 0
    assert notices("blocks_member")[0] == 1  # only the anonymous reply (another face)
    assert notices("blocks_alias")[0] == 1  # only the signed reply
    assert notices("author") == (0, 3)  # as replies to their thread, not as a watcher
