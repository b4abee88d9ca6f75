"""Domain verbs for threads and posts: start, reply, edit, delete. They flush, never commit."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from forum.conversations import member_id_of
from forum.extensions import db
from forum.models import Board, Member, Post, PostRevision, Thread, utcnow
from forum.models.moderation import ITEM_HELD, ITEM_PRIVATE
from forum.models.posts import HELD, PUBLISHED, REJECTED
from forum.moderation.log import notify, post_link
from forum.notify.mentions import mentioned_members
from forum.notify.services import post_published
from forum.queue import open_item, resolve_open_items
from forum.render import RENDER_POLICY_VERSION, render_markdown
from forum.threads.aliases import alias_for, existing_alias
from forum.threads.tree import OPENING_PATH, depth_of, path_for_reply
from forum.trust import links_allowed, must_hold
from forum.warnings import ContentWarning, apply_warning, warning_of

SLUG_LENGTH = 80


class ReplyNotAllowed(Exception):
    """The thread does not accept this reply (locked, or the parent is elsewhere)."""


def slugify(title: str) -> str:
    """A URL-friendly, ASCII version of ``title`` ("thread" when nothing is left)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:SLUG_LENGTH].rstrip("-") or "thread"


def start_thread(
    author: Member,
    board: Board,
    title: str,
    body: str,
    anonymous: bool,
    warning: ContentWarning | None = None,
    submission_key: str | None = None,
) -> Thread:
    """Open a thread on ``board`` with its opening post.

    When the author's posts wait for a moderator, the whole thread waits with its opening
    post; otherwise the board's counters move at once.
    """
    thread, post = create_thread(
        author, board, title, body, anonymous, warning, submission_key=submission_key
    )
    if must_hold(author, board):
        hold_post(post, thread)
    else:
        publish_post(post, thread, board)
    return thread


def create_thread(
    author: Member,
    board: Board,
    title: str,
    body: str,
    anonymous: bool,
    warning: ContentWarning | None = None,
    *,
    private: bool = False,
    submission_key: str | None = None,
) -> tuple[Thread, Post]:
    """The thread row and its opening post; holding, publishing and counting are the
    caller's (``start_thread``, or a private thread with the moderators)."""
    now = utcnow()
    thread = Thread(
        board_id=board.id,
        title=title,
        slug=slugify(title),
        created_at=now,
        last_activity_at=now,
        post_seq=0,
        is_private=private,
        no_reply_wanted=private,
    )
    db.session.add(thread)
    db.session.flush()
    post = _new_post(
        author,
        thread,
        body,
        anonymous,
        parent=None,
        path=OPENING_PATH,
        now=now,
        submission_key=submission_key,
    )
    apply_warning(post, warning)
    thread.first_post_id = thread.last_post_id = post.id
    return thread, post


def reply_to_thread(
    author: Member,
    thread: Thread,
    body: str,
    anonymous: bool,
    parent: Post | None = None,
    warning: ContentWarning | None = None,
    submission_key: str | None = None,
) -> Post:
    """Add a reply to ``thread``, under ``parent`` when given (a reply to the opening post
    is a reply to the thread). It is published at once, or held for a moderator."""
    if thread.locked:
        raise ReplyNotAllowed("This thread is locked.")
    if parent is not None and parent.thread_id != thread.id:
        raise ReplyNotAllowed("That post is not in this thread.")
    if thread.is_private:
        # Their name in a private conversation is fixed: the alias of the anonymous post a
        # moderator wrote to them about, or else their handle (see can_post_anonymously).
        anonymous = existing_alias(author, thread) is not None
    sequence = _next_sequence(thread)
    now = utcnow()
    parent_path = parent.path if parent is not None else None
    answers = parent if parent is not None and parent.path != OPENING_PATH else None
    post = _new_post(
        author,
        thread,
        body,
        anonymous,
        parent=answers,
        path=path_for_reply(parent_path, sequence),
        now=now,
        submission_key=submission_key,
    )
    apply_warning(post, warning)
    if thread.is_private:
        _add_private_reply(author, thread, post)
    elif must_hold(author, thread.board):
        hold_post(post, thread)
    else:
        publish_post(post, thread, thread.board)
    return post


def _add_private_reply(author: Member, thread: Thread, post: Post) -> None:
    """A reply in a private thread: never held nor counted on the board; the member hears
    of a moderator's answer, and the moderators of the member's."""
    thread.reply_count = Thread.reply_count + 1
    thread.last_activity_at, thread.last_post_id = post.created_at, post.id
    if author.is_moderator:
        tell_member_of_moderator_reply(thread, post)
    else:
        queue_member_answer(thread, post)


def hold_post(post: Post, thread: Thread) -> None:
    """Keep ``post`` for a moderator's approval: only its author and moderators see it."""
    post.state = HELD
    if post.path == OPENING_PATH:
        thread.held = True
    else:
        thread.held_count = Thread.held_count + 1
    open_item(post, ITEM_HELD)


def publish_post(post: Post, thread: Thread, board: Board, *, was_held: bool = False) -> None:
    """Make ``post`` public and count it: the one place where a post becomes visible.

    A reply in a thread whose opening post still waits for approval (a moderator answering
    it) is visible only with its thread: the board's counts and "latest" leave it out, and
    only the thread's author hears of it, until the thread is approved.

    Counters are incremented in SQL (col = col + 1), never read-modify-write in Python, so
    concurrent posts on PostgreSQL cannot lose an update.
    """
    now = utcnow()
    post.state = PUBLISHED
    opening = _opening_post(thread)
    opening_author_id = opening.author_id if opening is not None else None
    if post.path == OPENING_PATH:
        thread.held = False
        board.thread_count = Board.thread_count + 1
        if thread.reply_count:
            # Replies made while the thread waited become public with it.
            board.post_count = Board.post_count + thread.reply_count
    else:
        thread.reply_count = Thread.reply_count + 1
        if was_held:
            thread.held_count = Thread.held_count - 1
        if thread.answered_at is None and not same_face(post, opening):
            thread.answered_at = now
    moment = now if was_held else post.created_at
    thread.last_activity_at = moment
    thread.last_post_id = post.id
    author = post.author
    if author is not None:
        author.approved_posts = Member.approved_posts + 1
    if thread.held:
        post_published(post, thread, audience={opening_author_id})
        return
    board.post_count = Board.post_count + 1
    board.last_activity_at = moment
    board.last_post_id = post.id
    post_published(post, thread)


def edit_post(post: Post, body: str, warning: ContentWarning | None = None) -> bool:
    """Replace the post's text and warning, keeping the earlier text. False when unchanged."""
    changed_warning = warning != warning_of(post)
    apply_warning(post, warning)
    if body == post.body_source:
        return changed_warning
    db.session.add(
        PostRevision(
            post_id=post.id,
            body_source=post.body_source,
            written_at=post.edited_at or post.created_at,
        )
    )
    post.body_source = body
    post.body_html = render_post_body(body, post.author)
    post.render_version = RENDER_POLICY_VERSION
    post.edited_at = utcnow()
    return True


def delete_post(post: Post) -> None:
    """Delete a post for everyone: a placeholder keeps its place so its replies stay put.

    A post still waiting for approval leaves the queue with it (there is nothing to approve).
    """
    post.deleted_at = utcnow()
    if post.state == HELD:
        resolve_open_items(post, None, "deleted by its author", kinds=[ITEM_HELD])
        if post.path != OPENING_PATH:
            post.thread.held_count = Thread.held_count - 1
        post.state = REJECTED


def _next_sequence(thread: Thread) -> int:
    """Take the thread's next post sequence number atomically (safe across processes)."""
    sequence = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(post_seq=Thread.post_seq + 1)
        .returning(Thread.post_seq),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    set_committed_value(thread, "post_seq", sequence)
    return sequence


def _new_post(author, thread, body, anonymous, *, parent, path, now, submission_key=None) -> Post:
    post = Post(
        thread_id=thread.id,
        parent_id=parent.id if parent is not None else None,
        author_id=author.id,
        is_anonymous=anonymous,
        alias_id=alias_for(author, thread).id if anonymous else None,
        path=path,
        depth=depth_of(path),
        body_source=body,
        body_html=render_post_body(body, author),
        render_version=RENDER_POLICY_VERSION,
        created_at=now,
        submission_key=submission_key,
    )
    db.session.add(post)
    db.session.flush()
    return post


def _opening_post(thread: Thread) -> Post | None:
    return db.session.get(Post, thread.first_post_id) if thread.first_post_id else None


def same_face(post: Post, other: Post | None) -> bool:
    """Whether two posts show the same author: one member signing both, or one alias. A
    member's signed reply to their own anonymous thread (or the reverse) shows two people,
    and counts as such (as an answer, say): telling them apart would tell whose the alias is.
    """
    if other is None:
        return False
    if post.is_anonymous or other.is_anonymous:
        return post.is_anonymous and other.is_anonymous and post.alias_id == other.alias_id
    return post.author_id is not None and post.author_id == other.author_id


def set_no_reply_wanted(thread: Thread, wanted: bool) -> None:
    """The author asks not to be listed as waiting for a reply ("I just want to write")."""
    thread.no_reply_wanted = wanted


def render_post_body(body: str, author: Member) -> str:
    """The stored HTML of a post: links as the author's trust allows, mentions linked."""
    handles = {member.handle_key for member in mentioned_members(body)}
    return render_markdown(body, links=links_allowed(author), mentions=handles)


def rerender_posts(batch: int = 500, only_stale: bool = False) -> int:
    """Render posts' stored HTML again from their source, with today's sanitizer policy
    (``forum render rebuild``, after the policy or a library changed; ``forum init`` does it
    for the posts made under an older policy only). Deleted posts keep their placeholder.
    Returns how many posts were rendered."""
    done, last_id = 0, 0
    while True:
        statement = select(Post).where(Post.id > last_id).order_by(Post.id).limit(batch)
        if only_stale:
            statement = statement.where(Post.render_version < RENDER_POLICY_VERSION)
        posts = db.session.execute(statement).scalars().all()
        if not posts:
            return done
        for post in posts:
            post.body_html = render_post_body(post.body_source, post.author)
            post.render_version = RENDER_POLICY_VERSION
        last_id = posts[-1].id
        done += len(posts)
        db.session.commit()


def post_for_key(author: Member, submission_key: str | None) -> Post | None:
    """The post ``author`` already made with this form's submission key, if any."""
    if submission_key is None:
        return None
    return db.session.execute(
        select(Post).filter_by(author_id=author.id, submission_key=submission_key)
    ).scalar_one_or_none()


def find_post_in_thread(thread: Thread, post_id: int | None) -> Post | None:
    """The post ``post_id`` when it belongs to ``thread``."""
    if post_id is None:
        return None
    return db.session.execute(
        select(Post).filter_by(id=post_id, thread_id=thread.id)
    ).scalar_one_or_none()


def queue_member_answer(thread: Thread, post: Post) -> None:
    """The member wrote in their conversation: it goes (back) to the top of the moderators'
    "Private" tab, as one item on the member's first words there."""
    first = db.session.execute(
        select(Post)
        .where(Post.thread_id == thread.id, Post.author_id == post.author_id)
        .order_by(Post.id)
        .limit(1)
    ).scalar_one()
    open_item(first, ITEM_PRIVATE, priority=True)


def tell_member_of_moderator_reply(thread: Thread, reply) -> None:
    """The member hears that a moderator answered in their private conversation."""
    member_id = member_id_of(thread)
    if member_id is not None and member_id != reply.author_id:
        notify(member_id, _l("A moderator replied to you privately."), link=post_link(reply))
