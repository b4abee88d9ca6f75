"""Private threads between a member and the moderators (opened from a crisis interstitial,
/crisis or any board): never listed, visible to the member and moderators only."""

from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Board, Member, Thread
from forum.models.moderation import ITEM_PRIVATE
from forum.moderation.log import notify, post_link
from forum.queue import open_item

PRIVATE_TITLE = "Talking to the moderators"


def open_private_thread(
    member: Member,
    board: Board,
    title: str | None,
    body: str,
    warning=None,
    submission_key: str | None = None,
) -> Thread:
    """Start a private thread and commit it; moderators find it at the top of their "Private"
    tab. A second submit of the same form (its submission key), even at the same moment in
    another worker, gets the thread the first one opened instead of a second one."""
    from forum.threads.services import create_thread, post_for_key

    earlier = post_for_key(member, submission_key)
    if earlier is not None:
        return earlier.thread
    title = (title or "").strip() or PRIVATE_TITLE
    try:
        thread, post = create_thread(
            member, board, title, body, False, warning, private=True, submission_key=submission_key
        )
        open_item(post, ITEM_PRIVATE, priority=True)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = post_for_key(member, submission_key)
        if earlier is None:
            raise
        return earlier.thread
    return thread


def tell_member_of_moderator_reply(thread: Thread, reply) -> None:
    """The member hears that a moderator answered in their private thread."""
    opening = thread.first_post
    if opening is not None and opening.author_id != reply.author_id:
        notify(opening.author_id, "A moderator replied to you privately.", link=post_link(reply))
