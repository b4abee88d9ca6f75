"""Holes an attacker found (issue 13), each tried again from the attacker's side.

The anonymity findings (blocks, the audit log) are covered as a class by
tests/test_anonymity_noninterference.py; these are the others.
"""

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Board, Member, Post
from forum.moderation import actions
from tests.factories import board, make_member, make_reply, make_thread

SECRET_TITLE = "Waiting thread about lanterns"
SECRET_REPLY = "A moderator answers the lanterns"


def lurker_pages(client, thread_id: int) -> dict[str, str]:
    """Every public list a lurker can read, by path."""
    paths = [
        "/",
        "/b/trauma",
        "/u/keeper",
        "/feed.atom",
        "/b/trauma/feed.atom",
        "/search?q=lanterns",
        f"/t/{thread_id}",
        f"/t/{thread_id}/feed.atom",
    ]
    return {path: client.get(path).get_data(as_text=True) for path in paths}


def test_a_moderators_reply_does_not_publish_a_held_thread(app, login_as, client):
    with app.app_context():
        db.session.execute(update(Board).filter_by(slug="trauma").values(moderation_mode="pre"))
        db.session.commit()
        writer = make_member("writer")
        make_member("keeper", role="moderator")
        thread = make_thread(writer, title=SECRET_TITLE, body="Held words", slug="trauma")
        thread_id, opening_id = thread.id, thread.first_post_id
        assert thread.held
    keeper = login_as("keeper")
    answer = keeper.post(f"/t/{thread_id}/reply", data={"body": SECRET_REPLY})
    assert answer.status_code == 302
    for path, page in lurker_pages(client, thread_id).items():
        assert SECRET_TITLE not in page, path
        assert SECRET_REPLY not in page, path
    # The writer sees the answer in their own thread, and hears of it.
    writer_client = login_as("writer")
    assert SECRET_REPLY in writer_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert SECRET_TITLE in writer_client.get("/notifications").get_data(as_text=True)
    # Approved, the thread and its answer become public together, counted once each.
    keeper.post(f"/mod/posts/{opening_id}/approve")
    pages = lurker_pages(client, thread_id)
    assert SECRET_TITLE in pages["/b/trauma"]
    assert SECRET_REPLY in pages[f"/t/{thread_id}"]
    with app.app_context():
        trauma = board("trauma")
        assert (trauma.thread_count, trauma.post_count) == (1, 2)


def test_a_reply_never_names_the_author_of_a_removed_or_deleted_parent(app, login_as, client):
    with app.app_context():
        opener = make_member("opener")
        thread = make_thread(opener)
        parent = None
        for depth in range(1, 9):
            author = make_member(f"writer_{depth}")
            parent = make_reply(author, thread, f"Reply at depth {depth}", parent=parent)
        chain = list(
            db.session.execute(
                select(Post.id).where(Post.thread_id == thread.id).order_by(Post.depth)
            ).scalars()
        )
        thread_id = thread.id
        keeper_id = make_member("keeper", role="moderator").id
    with app.test_request_context():
        keeper = db.session.get(Member, keeper_id)
        actions.remove_post(keeper, db.session.get(Post, chain[7]), "unkind")
        db.session.commit()
    # writer_8's post (depth 8) answers writer_7's, which a moderator removed.
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "replying to" in page
    assert "writer_7" not in page
    assert "writer_6" in page  # a visible parent is still named
    # writer_6 deletes their own post: the reply under it no longer names them either.
    assert login_as("writer_6").post(f"/p/{chain[6]}/delete").status_code == 302
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "writer_6" not in page
