"""Who hears about what: replies, watched threads and boards, mentions and support sent.

Called when a post becomes visible (``forum.threads.services.publish_post``), never for held
or hidden posts. Nothing comes from someone the member blocked, nothing about a board they
muted, nothing at all in quiet mode (moderation messages aside), and an anonymous post never
names its author: the notification stores no actor for it.
"""

from sqlalchemy import DateTime, Integer, String, and_, exists, func, insert, literal, or_, select

from forum.blocking import blocked_face
from forum.extensions import db
from forum.models import (
    Block,
    BoardMute,
    BoardWatch,
    Member,
    Notice,
    Post,
    Reaction,
    Thread,
    ThreadWatch,
    utcnow,
)
from forum.notify.mentions import MAX_NOTIFIED, mentioned_members


def watch_thread(member, thread: Thread) -> None:
    if _watch(ThreadWatch, member.id, thread_id=thread.id) is None:
        db.session.add(ThreadWatch(member_id=member.id, thread_id=thread.id))


def unwatch_thread(member, thread: Thread) -> None:
    db.session.execute(
        ThreadWatch.__table__.delete().where(
            ThreadWatch.member_id == member.id, ThreadWatch.thread_id == thread.id
        )
    )


def watch_board(member, board) -> None:
    if _watch(BoardWatch, member.id, board_id=board.id) is None:
        db.session.add(BoardWatch(member_id=member.id, board_id=board.id))


def unwatch_board(member, board) -> None:
    db.session.execute(
        BoardWatch.__table__.delete().where(
            BoardWatch.member_id == member.id, BoardWatch.board_id == board.id
        )
    )


def _watch(model, member_id, **target):
    return db.session.execute(select(model).filter_by(member_id=member_id, **target)).first()


def is_watching_thread(member, thread) -> bool:
    return (
        getattr(member, "is_authenticated", False)
        and _watch(ThreadWatch, member.id, thread_id=thread.id) is not None
    )


def is_watching_board(member, board) -> bool:
    return (
        getattr(member, "is_authenticated", False)
        and _watch(BoardWatch, member.id, board_id=board.id) is not None
    )


def post_published(post: Post, thread: Thread, audience: set | None = None) -> None:
    """Notify everyone who should hear of ``post``, now that others can see it; only those
    in ``audience`` when given (the people who can see a thread still waiting for approval)."""
    author = post.author
    if author is None:
        return
    watch_thread(author, thread)  # people follow the threads they start or reply to
    recipients: dict[int, str] = {}
    if post.id == thread.first_post_id:
        for member_id in _board_watchers(thread.board_id):
            recipients.setdefault(member_id, "board_thread")
    else:
        parent = db.session.get(Post, post.parent_id) if post.parent_id else None
        answered = parent or db.session.get(Post, thread.first_post_id)
        if answered is not None and answered.author_id and not answered.is_deleted:
            recipients[answered.author_id] = "reply"
        if audience is not None:
            for member_id in _thread_watchers(thread.id):
                recipients.setdefault(member_id, "thread")
    for member in mentioned_members(post.body_source)[:MAX_NOTIFIED]:
        recipients[member.id] = "mention"
    recipients.pop(author.id, None)
    if audience is not None:
        recipients = {key: kind for key, kind in recipients.items() if key in audience}
    now, actor_id = utcnow(), None if post.is_anonymous else author.id
    if audience is None and post.id != thread.first_post_id:
        _notify_watchers(post, thread, {*recipients, author.id}, now, actor_id)
    rows = [
        {
            "member_id": member_id,
            "kind": recipients[member_id],
            "post_id": post.id,
            "thread_id": thread.id,
            "created_at": now,
            "actor_id": actor_id,
        }
        for member_id in _allowed(recipients, blocked_face(recipients, post), thread.board_id)
    ]
    if rows:
        # One bulk INSERT: a busy thread has hundreds or thousands of watchers, and an ORM
        # object per notice made them most of the cost of posting a reply there.
        db.session.execute(insert(Notice), rows)


def _notify_watchers(post: Post, thread: Thread, excluded: set[int], now, actor_id) -> None:
    """The thread's watchers hear of a reply in one INSERT ... SELECT: however many there are
    (thousands on a long thread), the reply sends one statement and no rows through Python.
    The same rules as ``_allowed``, in SQL: not those who blocked the post's face, muted the
    board, are in quiet mode, on a break or gone, nor those ``excluded`` (the author, and
    whoever hears of it as a reply or a mention)."""
    watcher = ThreadWatch.member_id
    face = (
        Block.alias_id == post.alias_id
        if post.is_anonymous
        else and_(Block.blocked_id == post.author_id, Block.alias_id.is_(None))
    )
    blocked = select(Block.id).where(Block.blocker_id == watcher, face)
    muted = select(BoardMute.member_id).where(
        BoardMute.member_id == watcher, BoardMute.board_id == thread.board_id
    )
    chosen = (
        select(
            watcher,
            literal("thread", String),
            literal(post.id, Integer),
            literal(thread.id, Integer),
            literal(now, DateTime),
            literal(actor_id, Integer),
        )
        .join(Member, Member.id == watcher)
        .where(
            ThreadWatch.thread_id == thread.id,
            watcher.not_in(excluded),
            Member.quiet_mode.is_not(True),
            Member.deleted_at.is_(None),
            or_(Member.break_until.is_(None), Member.break_until <= now),
            ~exists(blocked),
            ~exists(muted),
        )
    )
    columns = ["member_id", "kind", "post_id", "thread_id", "created_at", "actor_id"]
    db.session.execute(insert(Notice).from_select(columns, chosen))


def support_sent(post: Post, reactor, kind: str) -> None:
    """Group reactions: one notification per post and kind, "3 people sent support"."""
    if post.author_id is None or post.author_id == reactor.id:
        return
    # Reactions are always signed: the author's blocks by handle of the reactor apply.
    recipient = {post.author_id: "reaction"}
    blocked = blocked_by_handle(recipient, reactor.id)
    if not _allowed(recipient, blocked, post.thread.board_id):
        return
    count = db.session.execute(
        select(func.count(Reaction.id)).filter_by(post_id=post.id, kind=kind)
    ).scalar_one()
    key = f"reaction:{post.id}:{kind}"
    notice = db.session.execute(
        select(Notice).filter_by(member_id=post.author_id, group_key=key)
    ).scalar_one_or_none()
    if notice is None:
        notice = Notice(
            member_id=post.author_id,
            kind="reaction",
            post_id=post.id,
            thread_id=post.thread_id,
            group_key=key,
            text=kind,
        )
        db.session.add(notice)
    notice.count, notice.created_at, notice.read_at = max(count, 1), utcnow(), None


def _board_watchers(board_id: int) -> list[int]:
    return list(
        db.session.execute(select(BoardWatch.member_id).filter_by(board_id=board_id)).scalars()
    )


def _thread_watchers(thread_id: int) -> list[int]:
    return list(
        db.session.execute(select(ThreadWatch.member_id).filter_by(thread_id=thread_id)).scalars()
    )


def blocked_by_handle(recipients, member_id: int):
    """SQL: the recipients' blocks by handle of ``member_id``."""
    return and_(
        Block.blocker_id.in_(list(recipients)),
        Block.blocked_id == member_id,
        Block.alias_id.is_(None),
    )


def _allowed(recipients: dict[int, str], blocked_condition, board_id: int) -> list[int]:
    """Drop members who blocked the face the news comes from (``blocked_condition``, from
    forum.care.blocks: an anonymous post's alias, never its author's account), muted the
    board, are in quiet mode, on a break or gone: three queries whatever their number."""
    ids = set(recipients)
    if not ids:
        return []
    blocked = set(db.session.execute(select(Block.blocker_id).where(blocked_condition)).scalars())
    muted = set(
        db.session.execute(
            select(BoardMute.member_id).where(
                BoardMute.member_id.in_(ids), BoardMute.board_id == board_id
            )
        ).scalars()
    )
    now = utcnow()
    quiet = set(
        db.session.execute(
            select(Member.id).where(
                Member.id.in_(ids),
                or_(
                    Member.quiet_mode.is_(True),
                    Member.deleted_at.is_not(None),
                    Member.break_until > now,
                ),
            )
        ).scalars()
    )
    return sorted(ids - blocked - muted - quiet)
