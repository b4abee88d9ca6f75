"""A thread page's post cards, rendered once and shared by every reader who sees them alike.

A card's HTML depends only on the post's view for its reader (``PostView``: what that reader
may see and do), the thread, whether the reader may reply, the "ago" words of its times and,
for a moderator's tools, the page they come back to. Those are the key, so two readers whose
views of a post are equal share its HTML, and any change (an edit, a reaction, a block, a
state) makes a different key: nothing to invalidate, nothing stale. Per-reader parts (the
reader's own reactions, buttons on their own posts, blocks) are in the view, so they are in
the key; the reader's CSRF token is put back into the page's forms afterwards.
"""

from dataclasses import replace

from flask import get_template_attribute, request
from markupsafe import Markup

from forum.display import PostView
from forum.pagecache import fragment_context, shared_fragment, with_csrf_tokens
from forum.web import time_ago


def post_cards(posts: list[PostView], thread_id: int, can_reply: bool) -> list[Markup]:
    """The HTML of each post's card on a thread page, with this reader's CSRF token."""
    post_card = get_template_attribute("_macros.html", "post_card")
    thread = _ThreadRef(thread_id)
    context = fragment_context()
    cards = []
    for post in posts:
        key = (
            "post-card",
            _view_key(post),
            thread_id,
            can_reply,
            time_ago(post.created_at),
            time_ago(post.edited_at),
            # Moderator tools come back to the page they were used on.
            request.full_path if post.mod_tools else None,
            context,
        )
        html = shared_fragment(key, lambda post=post: post_card(post, thread, can_reply=can_reply))
        cards.append(with_csrf_tokens(html))
    return cards


class _ThreadRef:
    """What the card macro reads of its thread: the id (for the reply link)."""

    __slots__ = ("id",)

    def __init__(self, thread_id: int):
        self.id = thread_id


def _view_key(post: PostView) -> tuple:
    """``post`` as a hashable value (its reactors map becomes nested tuples)."""
    if post.reactors is None:
        return (post, None)
    reactors = tuple((kind, tuple(handles)) for kind, handles in post.reactors.items())
    return (_without_reactors(post), reactors)


def _without_reactors(post: PostView) -> PostView:
    return replace(post, reactors=None)
