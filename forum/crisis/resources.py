"""Crisis resources by region: the shipped list, seeding it, and what a reader is shown first.

The ``crisis_resources`` table is the source of truth once ``forum init`` has seeded it from
``forum/data/crisis_resources.json`` (or ``FORUM_CRISIS_RESOURCES_FILE``). While the table is
empty the same file is shown instead, so the crisis page is never without help.

The first helplines a reader meets (on /crisis and on the crisis step) come from one query,
``resources_for``: emergency entries first, whatever anyone's position says, then the
region's entries, then everywhere's. An admin adding helplines can never push emergency help
off the screen.

Entries have a language. Region by region, a reader sees the entries in their language, else
the English ones, else whatever the region has (``for_reader``). The reader's language is the
interface language of the request (``reader_language``: the locale forum.i18n chooses).
"""

import json
import re
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from forum import policy
from forum.extensions import db
from forum.i18n import DEFAULT_LANGUAGE, LANGUAGES, english
from forum.models import CrisisResource

EVERYWHERE = "INT"
STALE_AFTER = timedelta(days=180)
# What an entry without a date in an operator's file counts as: never checked.
NEVER_VERIFIED = date.min
# The regions offered in selects; entries may use other short codes too.
REGIONS = {
    EVERYWHERE: _l("Everywhere"),
    "GB": _l("United Kingdom"),
    "IE": _l("Ireland"),
    "US": _l("United States"),
    "CA": _l("Canada"),
    "AU": _l("Australia"),
    "NZ": _l("New Zealand"),
    "ES": _l("Spain"),
    "MX": _l("Mexico"),
}
REGION_CODE = re.compile(r"[A-Za-z]{2,3}")
# Entries are in one of the forum's languages (forum.i18n.LANGUAGES, offered in the admin's
# select), or another code an operator's file gives. English is every region's fallback.
LANGUAGE_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
# Codes people use that are not the ISO ones.
REGION_ALIASES = {"UK": "GB"}
# Older crisis files named regions in words (in English, whatever the reader's language).
REGION_WORDS = {english(label).lower(): code for code, label in REGIONS.items()} | {
    "international": EVERYWHERE
}


def region_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for a region select, "Everywhere" first."""
    return list(REGIONS.items())


def region_label(code: str) -> str:
    """The name of a region code ("GB" -> "United Kingdom"); unknown codes as they are."""
    return REGIONS.get(code, code)


def region_code(value: str | None) -> str | None:
    """A region code from what someone typed or a file holds ("gb", "Everywhere"), or None."""
    text = " ".join(str(value or "").split())
    if REGION_CODE.fullmatch(text):
        return REGION_ALIASES.get(text.upper(), text.upper())
    return REGION_WORDS.get(text.lower())


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for a language select, English first."""
    return list(LANGUAGES.items())


def language_label(code: str) -> str:
    """The name of a language code ("es" -> "Español"); unknown codes as they are."""
    return LANGUAGES.get(code, code)


def language_code(value) -> str | None:
    """A language code from a locale or what a file holds ("es_MX", "ES", "en-GB"), or None."""
    found = LANGUAGE_CODE.fullmatch(str(value or "").strip())
    return found.group(1).lower() if found else None


def reader_language() -> str:
    """The reader's interface language: the request's locale (forum.i18n), English outside a
    request."""
    if not has_request_context() or "babel" not in current_app.extensions:
        return DEFAULT_LANGUAGE
    return language_code(get_locale()) or DEFAULT_LANGUAGE


def default_region() -> str:
    """``FORUM_REGION``: whose helplines a reader without a region setting sees first."""
    return region_code(current_app.config.get("FORUM_REGION")) or EVERYWHERE


def reader_region(member, requested: str | None = None) -> str:
    """The region to show first: the one asked for, else the member's setting, else the site's."""
    own = member.region if policy.is_member(member) else None
    return region_code(requested) or region_code(own) or default_region()


@cache
def crisis_file(path: str | None = None) -> dict:
    """The crisis data file (``intro`` and ``resources``): ``path`` or the shipped file."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("forum.data").joinpath("crisis_resources.json").read_text("utf-8")
    return json.loads(text)


def configured_file() -> dict:
    """The crisis data file the running app uses (``FORUM_CRISIS_RESOURCES_FILE`` or shipped)."""
    return crisis_file(current_app.config.get("FORUM_CRISIS_RESOURCES_FILE"))


def crisis_intro(language: str | None = None) -> str:
    """The calm opening words of the crisis page in ``language`` (the reader's when None). The
    file's ``intro`` is one text, or one per language ({"en": ..., "es": ...}): English, then
    any, when the language has none."""
    intro = configured_file().get("intro", "")
    if not isinstance(intro, dict):
        return str(intro or "")
    wanted = language or reader_language()
    return intro.get(wanted) or intro.get(DEFAULT_LANGUAGE) or next(iter(intro.values()), "")


def resource_from(spec: dict, position: int) -> CrisisResource:
    """A (not yet saved) entry from one item of the crisis file."""
    verified = spec.get("last_verified")
    return CrisisResource(
        name=spec["name"],
        how=spec["how"],
        hours=spec.get("hours") or "",
        region=region_code(spec.get("region")) or str(spec.get("region") or EVERYWHERE)[:32],
        url=spec.get("url") or None,
        last_verified=date.fromisoformat(verified) if verified else NEVER_VERIFIED,
        position=spec.get("position", position),
        is_emergency=bool(spec.get("emergency", False)),
        always_open=bool(spec.get("always_open", False)),
        language=language_code(spec.get("language")) or DEFAULT_LANGUAGE,
    )


def shipped_resources(skip_invalid: bool = False) -> list[CrisisResource]:
    """The entries of the crisis file, unsaved, numbered in file order.

    An entry without a name or ``how``, or with a date that is not ISO (2026-01-31), raises
    ``ValueError`` naming it; with ``skip_invalid`` it is logged and left out instead, so a
    typo in an operator's file never takes the crisis page down.
    """
    entries = []
    for position, spec in enumerate(configured_file().get("resources", []), start=1):
        try:
            entries.append(resource_from(spec, position))
        except (KeyError, TypeError, ValueError) as error:
            problem = f"Crisis resource {position} in the crisis file: {error!r}"
            if not skip_invalid:
                raise ValueError(problem) from None
            current_app.logger.warning("%s (left out)", problem)
    return entries


def seed_crisis_resources() -> int:
    """Fill an empty ``crisis_resources`` table from the crisis file; returns how many were added.

    Once there is any entry the table belongs to the admins: running it again adds nothing.
    """
    if _has_entries():
        return 0
    entries = shipped_resources()
    db.session.add_all(entries)
    db.session.flush()
    return len(entries)


def _has_entries() -> bool:
    return db.session.execute(select(CrisisResource.id).limit(1)).first() is not None


def display_order(region: str):
    """Sort key of "More helplines": the region's entries, then everywhere's, then other
    regions in the order of ``REGIONS``; each region by position."""
    known = list(REGIONS)

    def key(entry: CrisisResource) -> tuple:
        group = 0 if entry.region == region else 1 if entry.region == EVERYWHERE else 2
        place = known.index(entry.region) if entry.region in known else len(known)
        return (group, place, entry.region, entry.position, entry.id or 0)

    return key


def in_language(entries: list[CrisisResource], language: str) -> list[CrisisResource]:
    """Of one region's entries: those in ``language``, else the English ones, else all."""
    for wanted in (language, DEFAULT_LANGUAGE):
        chosen = [entry for entry in entries if entry.language == wanted]
        if chosen:
            return chosen
    return list(entries)


def for_reader(entries, language: str) -> list[CrisisResource]:
    """The entries a reader of ``language`` is shown, region by region (``in_language``), in
    the order given."""
    by_region: dict[str, list[CrisisResource]] = {}
    for entry in entries:
        by_region.setdefault(entry.region, []).append(entry)
    chosen = {id(entry) for group in by_region.values() for entry in in_language(group, language)}
    return [entry for entry in entries if id(entry) in chosen]


def signposts(entries, region: str, language: str) -> list[CrisisResource]:
    """The first helplines of ``region`` for a reader of ``language``, from ``entries``:
    emergency entries, then the region's, then everywhere's, each by position."""
    wanted = for_reader(
        [entry for entry in entries if entry.region in (region, EVERYWHERE)], language
    )

    def key(entry: CrisisResource) -> tuple:
        return (not entry.is_emergency, entry.region == EVERYWHERE, entry.position, entry.id or 0)

    return sorted(wanted, key=key)


def signpost_order() -> tuple:
    """The ORDER BY of the first helplines (among a region's and everywhere's entries):
    emergency entries, then the region's, then everywhere's; each by position."""
    everywhere_last = case((CrisisResource.region == EVERYWHERE, 1), else_=0)
    return (
        CrisisResource.is_emergency.desc(),
        everywhere_last,
        CrisisResource.position,
        CrisisResource.id,
    )


def resources_for(
    region: str | None, limit: int | None = 3, language: str | None = None
) -> list[CrisisResource]:
    """The first helplines for ``region`` (the site's region when None) for a reader of
    ``language`` (the reader's when None): emergency entries first, then the region's, then
    everywhere's, by position, in the reader's language region by region (``signposts``); at
    most ``limit`` (None: all). One query; the crisis file while the table is empty."""
    code = region_code(region) or default_region()
    wanted = language_code(language) or reader_language()
    query = (
        select(CrisisResource)
        .where(CrisisResource.region.in_((code, EVERYWHERE)))
        .order_by(*signpost_order())
    )
    found = list(db.session.execute(query).scalars())
    if not found and not _has_entries():
        found = shipped_resources(skip_invalid=True)
    return signposts(found, code, wanted)[:limit]


def all_resources() -> list[CrisisResource]:
    """Every stored entry: everywhere's first, then region by region, each by position."""
    entries = db.session.execute(select(CrisisResource)).scalars()
    return sorted(entries, key=display_order(EVERYWHERE))


def crisis_page_resources(
    region: str, first: int = 3, language: str | None = None
) -> tuple[list, list]:
    """What the crisis page shows: the first helplines for ``region`` (``resources_for``), and
    every other entry the reader's language gives (``for_reader``) for "More helplines", region
    by region. Two queries."""
    wanted = language_code(language) or reader_language()
    shown = resources_for(region, first, wanted)
    entries = for_reader(all_resources() or shipped_resources(skip_invalid=True), wanted)
    # The crisis file's entries have no id: they are told apart by name, region and position.
    seen = {(entry.id, entry.name, entry.region, entry.position) for entry in shown}
    more = [
        entry
        for entry in sorted(entries, key=display_order(region))
        if (entry.id, entry.name, entry.region, entry.position) not in seen
    ]
    return shown, more


def regions_without_24_hour_help() -> list[tuple[str, list[str]]]:
    """The regions whose first helplines (as readers see them) include no service that
    answers 24 hours a day: every region of the select, of an entry, and the site's own, each
    with the languages whose readers meet that ([] when it is every language). One query."""
    entries = all_resources() or shipped_resources(skip_invalid=True)
    regions = dict.fromkeys([*REGIONS, default_region(), *sorted({e.region for e in entries})])
    languages = list(dict.fromkeys([*LANGUAGES, *sorted({e.language for e in entries})]))
    found = []
    for region in regions:
        lacking = [
            language
            for language in languages
            if not any(entry.always_open for entry in signposts(entries, region, language)[:3])
        ]
        if lacking:
            found.append((region, [] if lacking == languages else lacking))
    return found


def stale_resources(now: datetime | date) -> list[CrisisResource]:
    """Entries whose ``last_verified`` is more than 180 days before ``now``, oldest first."""
    today = now.date() if isinstance(now, datetime) else now
    query = (
        select(CrisisResource)
        .where(CrisisResource.last_verified < today - STALE_AFTER)
        .order_by(CrisisResource.last_verified, CrisisResource.region, CrisisResource.position)
    )
    return list(db.session.execute(query).scalars())


def next_position(region: str) -> int:
    """The position after the last entry of ``region``: new entries go to its end."""
    highest = db.session.execute(
        select(func.max(CrisisResource.position)).where(CrisisResource.region == region)
    ).scalar()
    return (highest or 0) + 1
