"""The reader's language: which one a page is in, and the catalogs that translate it.

Flask-Babel translates every string a person sees: ``_()``/``gettext`` in templates and
views, ``lazy_gettext`` for text defined at import time (form labels), ``ngettext`` where a
count appears. The catalogs' source is ``forum/translations/<lang>/LC_MESSAGES/messages.po``;
the compiled ``.mo`` files are made from it at start into the instance folder (never
committed), so an edited ``.po`` takes effect on the next start.

A page's language is, in order: the member's own choice in /settings (``members.language``),
the language cookie a reader sets with the footer's switch (``/language/<code>``), the best
match for the browser's Accept-Language, and English. ``resolve_language`` is that rule as a
pure function: the lurkers' page cache (forum.pagecache) resolves a request's language with
it before Flask runs, so a cached page is always the one this module would render.
"""

import os
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_app_context, has_request_context, redirect, request, url_for
from flask_babel import Babel, force_locale, format_date, format_decimal, get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import NotFound
from werkzeug.http import parse_accept_header

from forum.paths import PACKAGE_DIR
from forum.redirects import safe_next_url

# The languages the forum speaks, as offered to readers (each name in its own language).
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
CATALOGS = PACKAGE_DIR / "translations"
# How long the footer's language choice is remembered (a year, renewed at each switch).
COOKIE_MAX_AGE = 365 * 24 * 3600


def offered_languages(config) -> dict[str, str]:
    """The languages this forum offers: ``LANGUAGES``, plus ``FORUM_EXTRA_LANGUAGES`` (code ->
    name; the tests' pseudo-locale)."""
    return {**LANGUAGES, **config.get("FORUM_EXTRA_LANGUAGES", {})}


def language_cookie_name(config) -> str:
    """``lang``; ``__Host-lang`` under HTTPS, like the session cookie (Secure, host-only)."""
    return "__Host-lang" if config.get("SESSION_COOKIE_SECURE") else "lang"


def resolve_language(
    offered, member_choice: str | None, cookie: str | None, accept: LanguageAccept
) -> str:
    """The language of a page: member's choice > language cookie > Accept-Language > English.
    A choice or cookie naming a language not offered (any more) is passed over."""
    for chosen in (member_choice, cookie):
        if chosen in offered:
            return chosen
    # The browser's languages in its order of preference, each exactly ("es-MX") or by its
    # primary language ("es"): werkzeug's best_match would rank a second choice's exact
    # match ("es;q=0.5") above the first choice's region ("en-US").
    for value, _quality in accept:
        tag = value.lower().replace("_", "-")
        for candidate in (tag, tag.split("-")[0]):
            if candidate in offered:
                return candidate
    return DEFAULT_LANGUAGE


def accept_of(header: str | None) -> LanguageAccept:
    """An Accept-Language header parsed as Flask does (for the cache's fast lane)."""
    return parse_accept_header(header, LanguageAccept)


def _member_choice() -> str | None:
    # With the database down or full (forum.faults) the member is not read at all.
    if g.get("database_fault"):
        return None
    return getattr(current_user, "language", None) if current_user.is_authenticated else None


def choose_language() -> str:
    """The language of this request (Flask-Babel's locale selector)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    config = current_app.config
    return resolve_language(
        offered_languages(config),
        _member_choice(),
        request.cookies.get(language_cookie_name(config)),
        request.accept_languages,
    )


def page_language() -> dict[str, str]:
    """``lang`` and ``dir`` for the page's ``<html>`` element, from the locale in use."""
    locale = get_locale()
    if locale is None:
        return {"lang": DEFAULT_LANGUAGE, "dir": "ltr"}
    code = str(locale).replace("_", "-")
    return {"lang": code, "dir": "rtl" if locale.text_direction == "rtl" else "ltr"}


@contextmanager
def in_language(code: str | None):
    """Render what is inside in ``code`` (a member's language for their email), whatever the
    request's; ``None`` keeps the forum's default."""
    # Flask-Babel keeps its state in ``g`` and does nothing while ``g`` is empty. The value
    # before is put back after, so the rest of the request is in its own language again.
    if not has_app_context():  # no app, no catalogs: text is the English it was written in
        yield
        return
    before = g.get("forum_forced_language")
    g.forum_forced_language = code or DEFAULT_LANGUAGE
    try:
        with force_locale(code or DEFAULT_LANGUAGE):
            yield
    finally:
        if before is None:
            g.pop("forum_forced_language", None)
        else:
            g.forum_forced_language = before


def switch_language(code: str):
    """GET /language/<code>?next=/local/path: remember the reader's language in a cookie and
    go back to the page they were on (a local path only: never another site)."""
    config = current_app.config
    if code not in offered_languages(config):
        raise NotFound()
    response = redirect(safe_next_url(request.args.get("next"), "/"))
    response.set_cookie(
        language_cookie_name(config),
        code,
        max_age=COOKIE_MAX_AGE,
        path="/",
        secure=bool(config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def language_switch_url(code: str) -> str:
    """Where the footer's link to ``code`` goes: the switch, coming back to this page; for a
    member who chose a language in /settings (which wins over the cookie), their settings."""
    if _member_choice():
        return url_for("care.settings", _anchor="language")
    # A search's words never travel on in a link (they could end up in someone's logs).
    here = request.path if request.endpoint == "search.search" else request.full_path
    return url_for("language", code=code, next=here.rstrip("?"))


def vary_on_language(response):
    """after_request: a page depends on Accept-Language and on the language cookie."""
    if response.mimetype in ("text/html", "application/atom+xml", "text/plain"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


# --- dates in the reader's language -------------------------------------------------------
# English keeps exactly the wording pages have always had; other languages ask Babel (CLDR).


def _english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == DEFAULT_LANGUAGE


def long_date(moment: datetime | None, padded: bool = True) -> str:
    """ "04 December 2026" ("4 December 2026" unpadded); "4 de diciembre de 2026" in Spanish."""
    if moment is None:
        return ""
    if not _english():
        return format_date(moment, "long")
    return moment.strftime("%d %B %Y") if padded else f"{moment.day} {moment:%B %Y}"


def long_datetime(moment: datetime | None) -> str:
    """ "04 December 2026 18:30" (UTC, as stored); "4 de diciembre de 2026 18:30" in Spanish."""
    if moment is None:
        return ""
    if _english():
        return moment.strftime("%d %B %Y %H:%M")
    return f"{format_date(moment, 'long')} {moment:%H:%M}"


def month_year(moment: datetime | None) -> str:
    """ "December 2026"; "diciembre de 2026" in Spanish."""
    if moment is None:
        return ""
    if _english():
        return moment.strftime("%B %Y")
    return format_skeleton("yMMMM", moment, locale=get_locale())


def english(text) -> str:
    """``text`` (a lazy string) in English, whatever the reader's language: for what is
    stored (a notice, an audit-log detail), which is translated when it is shown."""
    with in_language(DEFAULT_LANGUAGE):
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
    """Compile the catalogs into the instance folder and bind Flask-Babel to ``app``; the
    language switch, ``<html lang dir>`` and the date filters."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(CATALOGS, compiled)
    extra = app.config.get("FORUM_EXTRA_TRANSLATIONS")  # the tests' pseudo-locale
    directories = [str(compiled), *([extra] if extra else [])]
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(directories))
    # {% trans %} blocks are trimmed (whitespace runs become one space), as babel.cfg
    # extracts them: a msgid never carries a template's line breaks and indentation.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # One Babel per app: Flask-Babel caches loaded catalogs on it, and each app (each test's
    # forum) has catalogs of its own.
    Babel(app, locale_selector=choose_language)
    app.add_url_rule("/language/<code>", "language", switch_language)
    app.after_request(vary_on_language)
    app.jinja_env.globals["language_switch_url"] = language_switch_url
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["long_datetime"] = long_datetime
    app.jinja_env.filters["month_year"] = month_year
    app.jinja_env.filters["number"] = format_decimal  # 1,000 in English, 1.000 in Spanish

    @app.context_processor
    def language_values():
        return {"page_language": page_language(), "languages": offered_languages(app.config)}
