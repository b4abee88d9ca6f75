"""Short plain-text excerpts of posts, for members who opted in to them in their digest."""

from forum.models import Post
from forum.render import text_of

EXCERPT_LENGTH = 120
# A cut within this many characters of the limit moves back to the last space.
WORD_SLACK = 30


def shorten(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """``text`` cut to about ``limit`` characters at a word boundary, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit - WORD_SLACK:
        cut = cut[:space]
    return cut.rstrip(" .,;:-") + "…"


def excerpt_of(post: Post) -> str:
    """The first ~120 characters of the plain text of ``post``."""
    return shorten(text_of(post.body_html))
