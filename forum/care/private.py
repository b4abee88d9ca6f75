"""Private threads between a member and the moderators (opened from a crisis interstitial,
/crisis or any board): never listed, visible to the member and moderators only."""

from forum.models import Board, Member, Thread
from forum.models.moderation import ITEM_PRIVATE
from forum.moderation.log import notify, post_link
from forum.queue import open_item

PRIVATE_TITLE = "Talking to the moderators"


def open_private_thread(
    member: Member, board: Board, title: str | None, body: str, warning=None
) -> Thread:
    """Start a private thread; moderators find it at the top of their "Private" tab."""
    from forum.threads.services import create_thread

    title = (title or "").strip() or PRIVATE_TITLE
    thread, post = create_thread(member, board, title, body, False, warning, private=True)
    open_item(post, ITEM_PRIVATE, priority=True)
    return thread


def tell_member_of_moderator_reply(thread: Thread, reply) -> None:
    """The member hears that a moderator answered in their private thread."""
    opening = thread.first_post
    if opening is not None and opening.author_id != reply.author_id:
        notify(opening.author_id, "A moderator replied to you privately.", link=post_link(reply))
