"""Generated marks for people, without photos: initials on a colour, from the name shown.

A mark is a pure function of the name on the page (a handle, or an anonymous alias such as
"Anonymous Calm Heron"), never of the account behind it: two aliases of one person look as
unrelated as their names, and an alias's mark tells no more than its name does. The colours
are CSS classes (``av-0`` ... ``av-11``, patterns ``avp-0`` ... ``avp-3`` in static/style.css),
since the Content-Security-Policy allows no inline style; no image, upload or outside service.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

HUES = 12
PATTERNS = 4
ALIAS_PREFIX = "Anonymous "
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^\W\d_]+")


@dataclass(frozen=True)
class Avatar:
    """What a mark shows: up to two letters on one of ``HUES`` colours in one of
    ``PATTERNS`` patterns."""

    initials: str
    hue: int
    pattern: int

    @property
    def css_class(self) -> str:
        return f"av av-{self.hue} avp-{self.pattern}"


def initials_of(name: str) -> str:
    """The first letters of the name's first two words ("caring_reader" -> "CR", "Anonymous
    Calm Heron" -> "CH", "willow" -> "W"), upper-cased; "?" when it has no letter or digit."""
    shown = unicodedata.normalize("NFC", name).strip()
    if shown.startswith(ALIAS_PREFIX) and len(shown) > len(ALIAS_PREFIX):
        shown = shown[len(ALIAS_PREFIX) :]
    words = _WORDS.findall(shown)
    if not words:
        return "?"
    letters = words[0][0] + (words[1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_for(name: str) -> Avatar:
    """The mark of ``name``: the same name always gives the same mark."""
    shown = unicodedata.normalize("NFC", name).strip()
    digest = hashlib.sha256(shown.casefold().encode("utf-8")).digest()
    return Avatar(initials=initials_of(shown), hue=digest[0] % HUES, pattern=digest[1] % PATTERNS)


def avatar_html(name: str | None, anonymous: bool = False, large: bool = False) -> Markup:
    """The mark as a small decorative element (hidden from screen readers, which read the
    name beside it); anonymous marks are square-cornered so an alias never passes for a
    handle. Empty for a missing name."""
    if not name:
        return Markup("")
    mark = avatar_for(name)
    extra = (" av-anon" if anonymous else "") + (" av-large" if large else "")
    return Markup('<span class="{}{}" aria-hidden="true">{}</span>').format(
        mark.css_class, extra, escape(mark.initials)
    )
