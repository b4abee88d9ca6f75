"""Catalogs for the language tests: the messages extracted from the code (as ``make
translations`` does, with babel's API), the Spanish catalog, and a pseudo-locale made from the
extracted messages.

The pseudo-locale translates every message into its English with the letters accented and the
whole wrapped in markers ("Reply" -> "⟦Ŕéƥļý⟧"), keeping placeholders (``%(name)s``, ``%d``)
and markup (``<a href="...">``) exactly. A page in it shows at a glance what did not go
through gettext: any plain English letters outside the markers. It is served under a
right-to-left locale code, so its pages are ``dir="rtl"`` as Arabic or Hebrew would be.
"""

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SPANISH_PO = ROOT / "forum" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
# A right-to-left locale Babel knows (Yiddish), used by the tests only and never offered.
PSEUDO = "yi"
OPEN, CLOSE = "⟦", "⟧"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀćđéƒĝĥíĵķĺɱńóƥʠŕśţúʋŵẋýźÁƁĆĐÉƑĜĤÍĴĶĹṀŃÓƤǪŔŚŢÚƲŴẊÝŹ",
)
# What must stay exactly as written: %(name)s and %d placeholders, tags, entities.
KEPT = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif%]|<[^>]*>|&\w+;|&#\d+;")


@cache
def extracted() -> Catalog:
    """Every message the code and templates wrap, extracted as babel.cfg says."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(locale=None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def spanish() -> Catalog:
    with SPANISH_PO.open("rb") as po:
        return read_po(po, locale="es")


def pseudo(text: str) -> str:
    """``text`` accented and wrapped in markers, its placeholders and markup untouched."""
    pieces, last = [], 0
    for match in KEPT.finditer(text):
        pieces.append(text[last : match.start()].translate(ACCENTED))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:].translate(ACCENTED))
    return OPEN + "".join(pieces) + CLOSE


def write_pseudo_catalog(folder: Path) -> Path:
    """Compile the pseudo-locale's catalog under ``folder`` (a translation directory)."""
    catalog = Catalog(locale=PSEUDO)
    for message in extracted():
        if not message.id:
            continue
        if message.pluralizable:
            strings = tuple(pseudo(part) for part in message.id)
            catalog.add(message.id, strings, context=message.context)
        else:
            catalog.add(message.id, pseudo(message.id), context=message.context)
    target = folder / PSEUDO / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as mo:
        write_mo(mo, catalog)
    return folder
