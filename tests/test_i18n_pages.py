"""Every page type, for every role, in the tests' pseudo-locale and in Spanish.

The pseudo-locale (tests/i18n_catalogs.py) turns every message of the extracted catalog into
"⟦Áććéńţéđ⟧" text. A page in it must show no plain English letters outside the markers: any
that remain are interface text that never went through gettext. Only what people wrote or
stored is exempt (post bodies, titles, handles, aliases, board names and descriptions, crisis
resources, safety-plan lines: every text value in the database), and language names, which
are written in their own language on purpose (``lang="…"``). The failure lists each
untranslated text with the pages showing it, so the leftovers are easy to find.

The same walk in Spanish checks ``<html lang="es">`` and a few known Spanish words per page.
"""

import re
from collections import defaultdict
from html import unescape

import html5lib
import pytest
from sqlalchemy import JSON, String, Text, select

from forum.crisis.resources import crisis_file
from forum.extensions import db
from forum.i18n import LANGUAGES
from forum.models import Member
from forum.pages.content import guidelines_html
from tests.browser.a11y_pages import ROLES, pages_for, seed
from tests.factories import PASSWORD
from tests.i18n_catalogs import CLOSE, OPEN, PSEUDO, pseudo, write_pseudo_catalog

XHTML = "{http://www.w3.org/1999/xhtml}"
SKIPPED_TAGS = {"script", "style", "template", "svg"}
# Made from what members wrote: an avatar's letters are a handle's, a search snippet's words
# (with <mark> around what was searched) a post's.
MEMBER_MADE = {"av", "snippet"}
# Attributes a person reads or hears.
READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def app_config(app_config, tmp_path):
    """The forum also offers the pseudo-locale, with its catalog made from the extracted one."""
    return {
        **app_config,
        "FORUM_EXTRA_LANGUAGES": {PSEUDO: pseudo("Pseudo")},
        "FORUM_EXTRA_TRANSLATIONS": str(write_pseudo_catalog(tmp_path / "pseudo")),
    }


def stored_texts(app) -> list[str]:
    """Every text in the database (what people wrote or an admin stored: JSON lists such as
    safety-plan lines too), with the text of stored HTML (rendered posts) piece by piece;
    longest first. Stored keys (a lower-case word: "reply", "moderator", a slug) are left out:
    the interface shows them only through a translated label."""
    # Language names are written in their own language on purpose (a select's options too).
    texts = {app.config["FORUM_NAME"], *LANGUAGES.values()}

    def add(value):
        if isinstance(value, list | tuple):
            for item in value:
                add(item)
        elif isinstance(value, str) and not re.fullmatch(r"[a-z]*", value.strip()):
            texts.add(value.strip())
            texts.update(part.strip() for part in re.split(r"<[^>]*>|\n", value))

    # The shipped guidelines are translated as whole files (guidelines.<language>.md), not
    # through the catalog: a language without its own file shows the English one.
    add(guidelines_html("en"))
    # The shipped crisis resources and their introduction are data too, per language in the
    # file (forum/data/crisis_resources.json), never through the catalog.
    with app.app_context():
        add(list(strings_in(crisis_file())))
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for row in db.session.execute(select(*columns)) if columns else ():
                for value in row:
                    add(value)
    return sorted((text for text in texts if len(text) >= 2), key=len, reverse=True)


def read_texts(page_html: str):
    """(text, where) for every piece of text a person reads or hears on the page: text
    nodes, and the attributes above (and a submit input's value). Text in another language
    on purpose (an element with its own ``lang``) is left out."""
    document = html5lib.parse(page_html)
    page_lang = document.get("lang")

    def walk(element, other_language):
        tag = element.tag.replace(XHTML, "") if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS or MEMBER_MADE.intersection((element.get("class") or "").split()):
            return
        own = element.get("lang")
        other_language = other_language or (own is not None and own != page_lang)
        if not other_language:
            if element.text and element.text.strip():
                yield element.text.strip(), tag
            for name in READ_ATTRIBUTES:
                if element.get(name):
                    yield element.get(name), f"{tag}[{name}]"
            if tag == "input" and element.get("type") in ("submit", "button", "reset"):
                yield element.get("value") or "", f"{tag}[value]"
        for child in element:
            yield from walk(child, other_language)
            if not other_language and child.tail and child.tail.strip():
                yield child.tail.strip(), tag

    yield from walk(document, False)


LOCAL_PATH = re.compile(r"/[\w/.-]*")
DOMAIN = re.compile(r"\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b")


def untranslated(text: str, stored: list[str]) -> str | None:
    """What is left of ``text`` that is neither marked nor stored, when English letters are
    left in it; else None."""
    left = unescape(text)
    while MARKED.search(left):  # inner markers first: a translated sentence may hold another
        left = MARKED.sub(" ", left)
    for value in stored:
        if value in left:
            left = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", left)
    left = " ".join(DOMAIN.sub(" ", left).split())  # a site's name (samaritans.org) is an address
    # A path (/b/slug) is an address, not words; the start of a stored value (a safety-plan
    # line cut where its phone number became a link) is what a person wrote.
    if LOCAL_PATH.fullmatch(left) or (
        len(left) >= 12 and any(value.startswith(left) for value in stored)
    ):
        return None
    return left if ENGLISH_WORD.search(left) else None


def strings_in(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def walk(app, language: str):
    """Every page type as every role, with the language cookie set to ``language``: yields
    (role, page name, path, response). POST-with-errors pages are sent empty."""
    seeded = seed(app)
    for role, handle in ROLES.items():
        client = app.test_client()
        client.set_cookie("lang", language)
        if handle:
            response = client.post("/login", data={"handle": handle, "password": PASSWORD})
            assert response.status_code == 302, f"{handle} could not log in"
        for name, where, button in pages_for(role):
            path = seeded.get(where, where)
            if button or where in ("reply", "report"):
                response = client.post(path, data={})
            else:
                response = client.get(path)
            assert response.status_code < 500, f"{role}: {name} ({path})"
            yield role, name, path, response


def leftovers(app, language: str):
    """Untranslated text -> the pages showing it, over the whole walk; and the pages."""
    found, pages = defaultdict(list), []
    stored = None
    for role, name, path, response in walk(app, language):
        stored = stored or stored_texts(app)
        page = response.get_data(as_text=True)
        pages.append((role, name, path, page))
        for text, tag in read_texts(page):
            left = untranslated(text, stored)
            if left:
                found[f"{left!r} ({tag})"].append(f"{role}: {name} ({path})")
    return found, pages


def report(found) -> str:
    lines = [f"{len(found)} untranslated texts (text, then the pages showing it):"]
    for text, where in sorted(found.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(dict.fromkeys(where))
        lines.append(f"  {text}\n      on {shown[:300]}")
    return "\n".join(lines)


# --- the checker itself -------------------------------------------------------------------


def test_the_checker_finds_text_that_did_not_go_through_gettext():
    page = (
        '<!doctype html><html lang="yi" dir="rtl"><head><title>⟦Śéţţíńĝś⟧ · Test Forum</title>'
        "</head><body><p>⟦Ŕéƥĺý ţó ⟦5 ɱíńúţéś áĝó⟧⟧</p><p>Skip to content</p>"
        '<input placeholder="Search"><button aria-label="⟦Śéáŕćĥ⟧">⟦Ĝó⟧</button>'
        '<input type="submit" value="Post it"><span lang="es">Español</span>'
        "<p>river_stone · 12 · 2026-12-04</p><div>Feeling low tonight</div>"
        '<script>var english = "words";</script></body></html>'
    )
    stored = ["Feeling low tonight", "river_stone", "Test Forum"]
    left = [untranslated(text, stored) for text, _ in read_texts(page)]
    assert [text for text in left if text] == ["Skip to content", "Search", "Post it"]


# --- the pseudo-locale --------------------------------------------------------------------


def test_pseudo_locale_pages_are_right_to_left_and_carry_the_marked_text(app):
    """What is wrapped shows marked in the pseudo-locale, and every page is dir="rtl"."""
    found, pages = leftovers(app, PSEUDO)
    assert pages
    for role, name, path, page in pages:
        where = f"{role}: {name} ({path})"
        assert re.search(r'<html lang="yi" dir="rtl">', page), where
        # The footer's language switch is wrapped: its label is marked.
        assert 'aria-label="⟦Ĺáńĝúáĝé⟧"' in page, where
        # Relative times go through ngettext: each one shown is marked.
        for time in re.findall(r"<time [^>]*>([^<]*)</time>", page):
            assert time.startswith(OPEN) and time.endswith(CLOSE), f"{where}: {time!r}"


def test_no_page_shows_text_that_did_not_go_through_gettext(app):
    found, pages = leftovers(app, PSEUDO)
    assert len(pages) > 40
    assert not found, report(found)


# --- Spanish ------------------------------------------------------------------------------


def test_every_page_in_spanish_says_so(app):
    for role, name, path, response in walk(app, "es"):
        page = response.get_data(as_text=True)
        where = f"{role}: {name} ({path})"
        assert '<html lang="es" dir="ltr">' in page, where
        assert 'aria-label="Idioma"' in page, where
        assert '<span lang="es" aria-current="true">Español</span>' in page, where


# Known Spanish words per page: every page's help link and skip link, and the header's.
EVERY_PAGE = ("¿Necesitas ayuda ahora?", "Saltar al contenido", "Normas de la comunidad")
BY_ROLE = {"lurker": ("Iniciar sesión",), "member": ("Configuración",)}


def test_every_page_in_spanish_shows_known_spanish_words(app):
    missing = []
    for role, name, path, response in walk(app, "es"):
        page = unescape(response.get_data(as_text=True))
        for words in (*EVERY_PAGE, *BY_ROLE.get("lurker" if role == "lurker" else "member", ())):
            if words not in page:
                missing.append(f"{role}: {name} ({path}) lacks {words!r}")
        for english in ("Need help now?", "Skip to content"):
            if english in page:
                missing.append(f"{role}: {name} ({path}) still says {english!r}")
    assert not missing, "\n".join(missing)


def test_a_members_language_setting_is_used_on_every_page(app):
    """A member's choice wins over their cookie: the walk's member pages in Spanish although
    the cookie says English."""
    seed(app)
    with app.app_context():
        member = db.session.execute(select(Member).filter_by(handle="caring_reader")).scalar()
        member.language = "es"
        db.session.commit()
    client = app.test_client()
    client.set_cookie("lang", "en")
    client.post("/login", data={"handle": "caring_reader", "password": PASSWORD})
    for name, where, _ in pages_for("member"):
        if where.startswith("/"):
            page = client.get(where).get_data(as_text=True)
            assert '<html lang="es" dir="ltr">' in page, name
