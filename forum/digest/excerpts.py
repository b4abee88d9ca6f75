"""Short plain-text excerpts of posts, for members who opted in to them in their digest."""

import re
from html.parser import HTMLParser

from forum.care.warnings import warning_of
from forum.models import Post
from forum.models.posts import PUBLISHED

EXCERPT_LENGTH = 120
# A cut within this many characters of the limit moves back to the last space.
WORD_SLACK = 30
BLOCK_TAGS = {"p", "br", "li", "ul", "ol", "blockquote", "pre", "h3", "h4", "h5", "hr", "tr"}
SPACES = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    """Collects the text of sanitized post HTML, with a space where a block ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The words of ``html`` on one line, without tags or entities."""
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    return SPACES.sub(" ", "".join(collector.parts)).strip()


def shorten(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """``text`` cut to about ``limit`` characters at a word boundary, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit - WORD_SLACK:
        cut = cut[:space]
    return cut.rstrip(" .,;:-") + "…"


def may_quote(post: Post | None) -> bool:
    """Whether a digest may quote ``post`` at all: published, not deleted, in a listed thread.

    Posts behind a content warning are never quoted: the warning would be skipped in an inbox.
    """
    return (
        post is not None
        and not post.is_deleted
        and post.state == PUBLISHED
        and not post.thread.held
        and warning_of(post) is None
    )


def excerpt_of(post: Post) -> str:
    """The first ~120 characters of the plain text of ``post``."""
    return shorten(plain_text(post.body_html))
