"""What pages may show about posts and threads.

Queries hand templates these plain records instead of models, so a template cannot leak what
it never received: an anonymous post carries its alias and no account, a deleted post carries
no author and no text.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from forum.models import Post, Thread
from forum.models.care import REACTIONS
from forum.models.posts import HELD, HIDDEN, PENDING_REVIEW, PUBLISHED, REJECTED, REMOVED
from forum.policy import (
    can_block,
    can_delete_post,
    can_edit_post,
    can_hide_post,
    can_message_author,
    can_react_to,
    can_remove_post,
    can_report_post,
    can_restore_post,
    can_reveal_author,
    can_see_history,
    can_set_warning,
    is_moderator,
    owns_post,
)
from forum.reader import ReaderContext
from forum.warnings import hidden_for, warning_of

DELETED_TEXT = _l("[deleted by its author]")
# Posts taken away with their author's account, and posts left behind by a deleted account.
AUTHOR_REMOVED_TEXT = _l("[removed by its author]")
FORMER_MEMBER = _l("former member")
REMOVED_TEXT = _l("[removed by a moderator]")
HIDDEN_TEXT = _l("This post was hidden by a moderator.")
PENDING_TEXT = _l("This post is hidden while a moderator looks at it.")
# Notes shown with a post that is not simply published, by state: a lead that the moderator's
# reason completes (see ``with_reason``), then what follows it.
AUTHOR_NOTES = {
    HELD: (
        _l("Waiting for a moderator to approve it"),
        _l("Only you and the moderators can see it."),
    ),
    PENDING_REVIEW: (PENDING_TEXT, _l("Others see this notice instead.")),
    HIDDEN: (_l("Hidden by a moderator"), _l("Others see a placeholder.")),
    REMOVED: (_l("A moderator removed your post"), ""),
    REJECTED: (_l("A moderator removed your post"), ""),
}
MODERATOR_NOTES = {
    HELD: (_l("Awaiting approval"), ""),
    PENDING_REVIEW: (PENDING_TEXT, ""),
    HIDDEN: (_l("Hidden by a moderator"), ""),
    REMOVED: (_l("Removed by a moderator"), ""),
    REJECTED: (_l("Not approved by a moderator"), ""),
}
# What others see in place of a post they may not read, by state.
PLACEHOLDERS = {
    REMOVED: REMOVED_TEXT,
    HIDDEN: HIDDEN_TEXT,
    PENDING_REVIEW: PENDING_TEXT,
    REJECTED: REMOVED_TEXT,
}
# Replies nest visually at most this deep; deeper ones say whom they answer.
DEPTH_CAP = 6


@dataclass(frozen=True)
class Byline:
    """Who wrote something, as the public may see it."""

    name: str | None
    profile_url: str | None
    is_anonymous: bool = False


@dataclass(frozen=True)
class ModeratorTools:
    """What a moderator may do to someone else's post from where they read it (the content
    warning is always offered with these)."""

    hide: bool
    remove: bool
    restore: bool
    reveal: bool


@dataclass(frozen=True)
class PostView:
    """A post as a reader may see it."""

    id: int
    thread_id: int
    byline: Byline
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    is_deleted: bool
    is_opening: bool
    depth: int
    reply_to: Byline | None
    reply_to_id: int | None
    can_edit: bool
    state: str = PUBLISHED
    # The text stands in for the post (deleted, removed, hidden from this reader).
    placeholder: bool = False
    # A note for the author or a moderator about the post's state ("Waiting for a moderator").
    mark: str | None = None
    can_report: bool = False
    can_delete: bool = False
    # Content warning: the label readers see first, and whether it starts open.
    warning_label: str | None = None
    warning_open: bool = False
    # The reader chose not to see posts with this warning: only a one-line note is shown.
    hidden_by_settings: bool = False
    # Supportive reactions: (kind, label, count, reader's own) for each kind; who reacted is
    # given to the author of a signed post only.
    reactions: tuple = ()
    can_react: bool = False
    reactors: dict | None = None
    # The reader blocked its author: collapsed behind "Show".
    collapsed_by_block: bool = False
    can_block: bool = False
    # The reader may open the post's earlier versions (its author, moderators).
    can_see_history: bool = False
    # A moderator's tools for this post (None for everyone else, and on their own posts).
    mod_tools: ModeratorTools | None = None
    # The reader, a moderator, may write to its author privately (without learning who wrote
    # an anonymous post).
    can_message_author: bool = False


@dataclass(frozen=True)
class ThreadRow:
    """A line in a board's list of threads."""

    id: int
    title: str
    url: str
    byline: Byline
    reply_count: int
    pinned: bool
    locked: bool
    last_activity_at: datetime
    last_byline: Byline | None
    held: bool = False
    warning_label: str | None = None
    # For a member: posts they haven't read (None: never opened; False: not tracked).
    unread: int | None | bool = False


def byline_of(post: Post | None) -> Byline | None:
    """The public byline of ``post``: its alias when anonymous, nothing when deleted."""
    if post is None:
        return None
    if post.is_deleted:
        return Byline(name=None, profile_url=None)
    if post.is_anonymous:
        return Byline(name=post.alias.name, profile_url=None, is_anonymous=True)
    return member_byline(post.author)


def member_byline(member) -> Byline:
    """A member as the public may see them: their handle, linked to their profile."""
    if member is None:
        return Byline(name=None, profile_url=None)
    if member.is_deleted:
        return Byline(name=str(FORMER_MEMBER), profile_url=None)
    return Byline(name=member.handle, profile_url=profile_url(member.handle))


def _path_segment(value) -> str:
    # What Werkzeug's default converter does to a URL part (routing.BaseConverter.to_url).
    return quote(str(value), safe="!$&'()*+,/:;=@")


def profile_url(handle: str) -> str:
    """``url_for("profiles.profile", handle=handle)``, built from its prefix (asked of the
    router once a request): a page of posts names dozens of people."""
    prefix = g.get("profile_url_prefix")
    if prefix is None:
        prefix = g.profile_url_prefix = url_for("profiles.profile", handle="-")[:-1]
    return prefix + _path_segment(handle)


def thread_url(thread_id: int, slug: str) -> str:
    """``url_for("threads.show", thread_id=..., slug=...)``, built from its prefix."""
    prefix = g.get("thread_url_prefix")
    if prefix is None:
        prefix = g.thread_url_prefix = url_for("threads.show", thread_id=1, slug="-")[:-3]
    return f"{prefix}{thread_id}/{_path_segment(slug)}"


def shown_byline(post: Post | None, viewer=None) -> Byline | None:
    """``post``'s byline as ``viewer`` may see it: nobody's name in place of a post they see
    only as a placeholder (deleted, removed, hidden), so a reply or a list's "latest" cannot
    name its author."""
    if post is None:
        return None
    if presentation(post, viewer)[1]:
        return Byline(name=None, profile_url=None)
    return byline_of(post)


def post_view(
    post: Post,
    viewer,
    *,
    opening_post_id: int | None,
    parents: dict[int, Post],
    context: ReaderContext | None = None,
    depth_cap: int = DEPTH_CAP,
) -> PostView:
    """Build the view of one post for ``viewer``; ``parents`` maps ids to already-loaded posts
    and ``context`` holds what was loaded once for the page about its reader.

    Replies deeper than ``depth_cap`` stay at the cap and say whom they reply to.
    """
    context = context or ReaderContext()
    parent = parents.get(post.parent_id) if post.parent_id else None
    beyond_cap = post.depth > depth_cap and parent is not None
    body_html, placeholder, mark = presentation(post, viewer)
    warning = None if placeholder else warning_of(post)
    own = owns_post(viewer, post)
    return PostView(
        id=post.id,
        thread_id=post.thread_id,
        byline=shown_byline(post, viewer),
        body_html=body_html,
        created_at=post.created_at,
        edited_at=post.edited_at,
        is_deleted=post.is_deleted,
        is_opening=post.id == opening_post_id,
        depth=min(post.depth, depth_cap),
        reply_to=shown_byline(parent, viewer) if beyond_cap else None,
        reply_to_id=parent.id if beyond_cap else None,
        can_edit=can_edit_post(viewer, post),
        state=post.state,
        placeholder=placeholder,
        mark=mark,
        can_report=not placeholder and can_report_post(viewer, post),
        can_delete=can_delete_post(viewer, post),
        warning_label=warning.label if warning else None,
        warning_open=bool(getattr(viewer, "open_content_warnings", False)),
        hidden_by_settings=hidden_for(viewer, warning) and not own,
        reactions=_reaction_counts(post, context) if not placeholder else (),
        can_react=not placeholder and can_react_to(viewer, post, context.blocks.refuses(post)),
        reactors=context.reactors.get(post.id) if own else None,
        collapsed_by_block=context.blocks.collapses(post) and not own,
        can_block=not placeholder and can_block(viewer, post),
        can_see_history=post.edited_at is not None and can_see_history(viewer, post),
        mod_tools=moderator_tools(viewer, post),
        can_message_author=can_message_author(viewer, post),
    )


def moderator_tools(viewer, post: Post) -> ModeratorTools | None:
    """The moderator tools ``viewer`` gets on ``post``: none on their own or deleted posts."""
    if not can_set_warning(viewer, post):
        return None
    return ModeratorTools(
        hide=can_hide_post(viewer, post),
        remove=can_remove_post(viewer, post),
        restore=can_restore_post(viewer, post),
        reveal=can_reveal_author(viewer, post),
    )


def _reaction_counts(post: Post, context: ReaderContext) -> tuple:
    counts = context.counts.get(post.id, {})
    return tuple(
        (kind, label, counts.get(kind, 0), (post.id, kind) in context.mine)
        for kind, label in REACTIONS.items()
    )


def removed_with_account(post: Post) -> bool:
    """The author deleted their account and took this post with it."""
    author = post.author
    return (
        post.deleted_at is not None
        and author is not None
        and author.deleted_at is not None
        and post.deleted_at >= author.deleted_at
    )


def presentation(post: Post, viewer) -> tuple[str, bool, str | None]:
    """(body HTML, whether it is a placeholder, note for the viewer) for ``post``.

    Others see a placeholder for hidden and removed posts; the author sees their own words
    with the reason (a removed post only as a placeholder); moderators see everything, marked.
    """
    if post.is_deleted:
        return str(AUTHOR_REMOVED_TEXT if removed_with_account(post) else DELETED_TEXT), True, None
    if post.state == PUBLISHED:
        return post.body_html, False, None
    if is_moderator(viewer):
        return post.body_html, False, _note(MODERATOR_NOTES[post.state], post.moderation_reason)
    if owns_post(viewer, post):
        note = _note(AUTHOR_NOTES[post.state], post.moderation_reason)
        if post.state in (REMOVED, REJECTED):
            return str(PLACEHOLDERS[post.state]), True, note
        return post.body_html, False, note
    return str(PLACEHOLDERS.get(post.state, HIDDEN_TEXT)), True, None


def _note(lead_and_tail: tuple[str, str], reason: str | None) -> str:
    lead, tail = lead_and_tail
    return f"{with_reason(str(lead), reason)} {tail}".strip()


# Punctuation a typed reason may end with that a sentence built around it must not repeat.
_TRAILING_STOPS = " \t\r\n.,;:"
_CLOSERS = "\"'”’»)]"


def as_sentence(text: str | None) -> str:
    """``text`` ending with one full stop (a question or exclamation mark, or an ellipsis,
    typed at its end is kept): reasons are typed freely, so "Too harsh." never becomes
    "Too harsh.." in a sentence made around it."""
    text = (text or "").strip().rstrip(_TRAILING_STOPS)
    if not text:
        return ""
    return text if text.rstrip(_CLOSERS).endswith((".", "!", "?", "…")) else f"{text}."


def with_reason(lead: str, reason: str | None) -> str:
    """One sentence: ``lead``, then the moderator's ``reason`` when there is one
    ("A moderator hid your post: Too harsh.")."""
    reason = (reason or "").strip()
    return as_sentence(f"{lead.rstrip(_TRAILING_STOPS)}: {reason}" if reason else lead)


def thread_row_options() -> tuple:
    """Loader options a query needs for ``thread_row`` (opening and latest bylines), so a
    list of threads is one query whatever its length."""
    return (
        joinedload(Thread.first_post).joinedload(Post.author),
        joinedload(Thread.first_post).joinedload(Post.alias),
        joinedload(Thread.last_post).joinedload(Post.author),
        joinedload(Thread.last_post).joinedload(Post.alias),
    )


def thread_row(thread: Thread, unread: int | None | bool = False) -> ThreadRow:
    """Build a board-list row from a thread with its first and last posts loaded."""
    return ThreadRow(
        id=thread.id,
        title=thread.title,
        url=thread_url(thread.id, thread.slug),
        byline=shown_byline(thread.first_post) or Byline(None, None),
        reply_count=thread.reply_count,
        pinned=thread.pinned,
        locked=thread.locked,
        last_activity_at=thread.last_activity_at,
        last_byline=shown_byline(thread.last_post),
        held=thread.held,
        warning_label=_opening_warning(thread),
        unread=unread,
    )


def _opening_warning(thread: Thread) -> str | None:
    opening = thread.first_post
    if opening is None or opening.is_deleted or opening.state != PUBLISHED:
        return None
    warning = warning_of(opening)
    return warning.label if warning else None
