"""Highlighted snippets: everything escaped, only the matched words wrapped in ``<mark>``."""

from markupsafe import Markup, escape

from forum.search.terms import WORD, fold

SNIPPET_CHARS = 240
# How much text to show before the first match.
LEAD_CHARS = 60


def highlight(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, with each word that matches a term wrapped in ``<mark>``."""
    wanted = {fold(term) for term in terms}
    pieces, position = [], 0
    for match in WORD.finditer(text):
        if fold(match.group()) in wanted:
            pieces.append(escape(text[position : match.start()]))
            pieces.append(Markup("<mark>%s</mark>") % match.group())
            position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> Markup:
    """About ``size`` characters of ``text`` around its first match, highlighted.

    The cut falls on spaces, so no word is broken; "…" marks text left out on either side.
    """
    wanted = {fold(term) for term in terms}
    first = next((m.start() for m in WORD.finditer(text) if fold(m.group()) in wanted), 0)
    start = max(0, first - LEAD_CHARS)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    end = start + size
    if end < len(text):
        space = text.rfind(" ", max(first + 1, start), end)
        end = space if space != -1 else end
    else:
        end = len(text)
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return Markup("%s%s%s") % (before, highlight(text[start:end], terms), after)
