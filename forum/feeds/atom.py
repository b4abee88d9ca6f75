"""Atom entries built from threads and posts, as the public may see them.

Entries carry what a lurker sees on the page: the byline (an alias for anonymous posts, never
the handle) and the post's HTML as it was sanitized when written. A post behind a content
warning is only its warning and a link: feed readers open every entry, so the words stay on
the forum, where the reader chooses to open them.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import escape

from forum.display import FORMER_MEMBER, byline_of
from forum.models import Post, Thread
from forum.warnings import warning_of
from forum.web import site_url_for

# Characters XML 1.0 forbids outright: one of them would make the whole feed unreadable.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    """One Atom entry; ``content`` is HTML as plain text (the template escapes it into XML)."""

    id: str
    title: str
    url: str
    author: str
    published: datetime
    updated: datetime
    content: str
    summary: str | None = None
    category: tuple[str, str] | None = None


@dataclass(frozen=True)
class Feed:
    """An Atom feed: where it lives, what it is about, and its entries newest first."""

    id: str
    title: str
    url: str
    page_url: str
    updated: datetime
    entries: list[Entry]


def xml_text(value: str) -> str:
    """``value`` without the characters no XML document may contain."""
    return NOT_IN_XML.sub("", value)


# The updated time of an empty feed of the whole forum or a board (there is no better one).
EMPTY_SINCE = datetime(2026, 1, 1)


def make_feed(
    title: str, url: str, page_url: str, entries: list[Entry], since: datetime | None = None
) -> Feed:
    """A feed whose ``updated`` is its newest entry's; when it has none, ``since`` (when what
    it follows began). Never "now": the same data must make the same feed, byte for byte, or
    its ETag and the lurkers' cache would change with the clock."""
    updated = max((entry.updated for entry in entries), default=None) or since or EMPTY_SINCE
    return Feed(
        id=url, title=xml_text(title), url=url, page_url=page_url, updated=updated, entries=entries
    )


def thread_entry(thread: Thread) -> Entry:
    """A thread as its opening post: title, board, byline and words."""
    post = thread.first_post
    return _entry(
        post,
        entry_id=site_url_for("threads.show", thread_id=thread.id),
        title=thread.title,
        url=site_url_for("threads.show", thread_id=thread.id, slug=thread.slug),
        category=(xml_text(thread.board.slug), xml_text(thread.board.name)),
    )


def reply_entry(post: Post, thread: Thread) -> Entry:
    """A reply, linked by its permalink."""
    url = site_url_for("threads.permalink", post_id=post.id)
    return _entry(post, entry_id=url, title=_("Re: %(title)s", title=thread.title), url=url)


def warned_content(label: str, url: str) -> str:
    """The content of an entry behind a warning: the warning, and a link to the post."""
    warning = _("Content warning: %(label)s", label=escape(label))
    link = _(
        '<a href="%(url)s">Read it on the forum</a>, where you can choose whether to open it.',
        url=escape(url),
    )
    return f"<p>{warning}</p>\n<p>{link}</p>"


def _entry(post: Post, *, entry_id: str, title: str, url: str, category=None) -> Entry:
    byline = byline_of(post)
    warning = warning_of(post)
    summary = _("Content warning: %(label)s", label=warning.label) if warning else None
    content = warned_content(warning.label, url) if warning else post.body_html
    return Entry(
        id=entry_id,
        title=xml_text(title),
        url=url,
        author=xml_text(byline.name if byline and byline.name else str(FORMER_MEMBER)),
        published=post.created_at,
        updated=post.edited_at or post.created_at,
        content=xml_text(content),
        summary=xml_text(summary) if summary else None,
        category=category,
    )
