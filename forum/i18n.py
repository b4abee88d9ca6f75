"""The reader's language: which one a page is in, and the catalogs that translate it.

Flask-Babel translates every string a person sees: ``_()``/``gettext`` in templates and
views, ``lazy_gettext`` for text defined at import time (form labels), ``ngettext`` where a
count appears. The catalogs' source is ``forum/translations/<lang>/LC_MESSAGES/messages.po``;
the compiled ``.mo`` files are made from it at start into the instance folder (never
committed), so an edited ``.po`` takes effect on the next start.
"""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_request_context, request
from flask_babel import Babel, force_locale

from forum.paths import PACKAGE_DIR

# The languages the forum speaks, as offered to readers (each name in its own language).
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
CATALOGS = PACKAGE_DIR / "translations"

babel = Babel()


def choose_language() -> str:
    """The language of this request: the best match for the browser's Accept-Language."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGES, DEFAULT_LANGUAGE)


def english(text) -> str:
    """``text`` (a lazy string) in English, whatever the reader's language: for what is
    stored (a notice, an audit-log detail), which is translated when it is shown."""
    with force_locale(DEFAULT_LANGUAGE):
        return str(text)


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every ``.po`` under ``source`` whose ``.mo`` under ``target`` is missing or
    older. Each file is written beside and renamed into place, so workers starting together
    never read half a catalog."""
    for po_path in source.glob("*/LC_MESSAGES/*.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)


def init_app(app) -> None:
    """Compile the catalogs into the instance folder and bind Flask-Babel to ``app``."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(CATALOGS, compiled)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled))
    babel.init_app(app, locale_selector=choose_language)
