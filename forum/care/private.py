"""Private threads between a member and the moderators (opened from a crisis interstitial,
/crisis or any board): never listed, visible to the member and moderators only."""

from forum.extensions import db
from forum.models import Board, Member, Thread, utcnow
from forum.models.moderation import ITEM_PRIVATE
from forum.moderation.log import notify, post_link
from forum.queue import open_item

PRIVATE_TITLE = "Talking to the moderators"


def open_private_thread(
    member: Member, board: Board, title: str | None, body: str, warning=None
) -> Thread:
    """Start a private thread; moderators find it at the top of their "Private" tab."""
    from forum.care.warnings import apply_warning
    from forum.threads.services import _new_post, slugify
    from forum.threads.tree import OPENING_PATH

    now = utcnow()
    title = (title or "").strip() or PRIVATE_TITLE
    thread = Thread(
        board_id=board.id,
        title=title,
        slug=slugify(title),
        created_at=now,
        last_activity_at=now,
        post_seq=0,
        is_private=True,
        no_reply_wanted=True,
    )
    db.session.add(thread)
    db.session.flush()
    post = _new_post(member, thread, body, False, parent=None, path=OPENING_PATH, now=now)
    apply_warning(post, warning)
    thread.first_post_id = thread.last_post_id = post.id
    open_item(post, ITEM_PRIVATE, priority=True)
    return thread


def tell_member_of_moderator_reply(thread: Thread, reply) -> None:
    """The member hears that a moderator answered in their private thread."""
    opening = thread.first_post
    if opening is not None and opening.author_id != reply.author_id:
        notify(opening.author_id, "A moderator replied to you privately.", link=post_link(reply))
