"""Privacy nudge: spot details in a post's Markdown source that could identify someone.

A pure function over text; the posting flow decides what to do with the findings. English and
Spanish: phone numbers of every region (found by ``phonenumbers``' PhoneNumberMatcher, the port
of Google's libphonenumber), emails, street addresses (UK/US and Spanish/Mexican), postcodes,
Spanish and Mexican identity numbers (DNI, NIE, CURP), full names after a cue ("my name is",
"me llamo", "mi hijo"), social profiles.

Every pattern is linear by construction: each quantifier has an upper bound, and repeated
pieces are separated by a character the piece cannot contain, so a failing match backtracks
through a bounded number of ways from each start position. The phone matcher gives up after a
bounded number of tries per region. A 20,000-character post costs about a second at
worst, however hostile it is: only stretches of text with nine digits or more go to the phone
matcher.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType


@dataclass(frozen=True)
class Finding:
    """One identifying detail: its kind, a label for people, and the exact text matched."""

    kind: str
    label: str
    excerpt: str


LABELS = {
    "phone": _l("a phone number"),
    "email": _l("an email address"),
    "address": _l("a street address"),
    "name": _l("a full name"),
    "social": _l("a link to a social media profile"),
    "id": _l("an identity document number"),
}

# Building blocks, substituted for <TOKENS> in the patterns below.
_PARTS = {
    "<SP>": r"[ \t\u00a0]",
    "<UPPER>": r"[A-ZÀ-ÖØ-Þ]",
    "<LOWER>": r"[a-zß-öø-ÿ]",
    "<LETTER>": r"[A-Za-zÀ-ÖØ-öø-ÿ]",
    # Capitalised words that open sentences or headings, never a name or a street.
    "<STOP>": r"(?:The|A|An|Of|And|But|Or|So|Then|My|Me|To|In|On|For|With|At|By|From|Is|Was"
    r"|Who|When|If|He|She|It|Its|They|We|You|Our|Your|His|Her|Their|This|That|Not|Too|Also"
    r"|Just|Lol|Haha|Btw|Today|Yesterday|Tomorrow|Step|Day|Days|Week|Weeks|Month|Months|Year"
    r"|Years|Hour|Hours|Minute|Minutes|Mile|Miles|Times|Chapter|Part|Page)(?![\w'’-])",
    "<SUFFIX>": r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Court|Ct|Crescent"
    r"|Cres|Place|Pl|Boulevard|Blvd|Terrace|Tce|Gardens|Gdns|Grove|Square|Sq|Parade|Mews|Hill"
    r"|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Wynd)",
}


def _compile(pattern: str, flags: int = 0, parts: dict[str, str] | None = None) -> re.Pattern[str]:
    """Compile a verbose pattern after filling in its own and the shared building blocks."""
    # Its own blocks first: they may be written in terms of the shared ones.
    for token, part in {**(parts or {}), **_PARTS}.items():
        pattern = pattern.replace(token, part)
    return re.compile(pattern, flags | re.VERBOSE)


# --- phone -----------------------------------------------------------------------------

# Regions whose national numbers (written without +) are looked for: the crisis regions and the
# Spanish-speaking ones the forum serves. "US" finds Canada's numbers too (one numbering plan);
# a number written with its +country code is found whatever the region.
PHONE_REGIONS = ("GB", "IE", "US", "AU", "NZ", "ES", "MX")
# Numbers that belong to services, not people: freephone, shared-cost, premium, "universal".
_SERVICE_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.UAN,
        PhoneNumberType.VOICEMAIL,
    }
)
_MATCHER_TRIES = 500
# Where a phone number could be: nine digits or more, at most four marks between two digits.
# Only these stretches go to the matcher, so digits scattered through prose cost nothing.
_NUMBERISH = re.compile(r"[+(]{0,2}[0-9](?:[ .()\u00a0/-]{0,4}[0-9]){8,}")
_NOT_BEFORE = re.compile(r"[\w+.,/$£€¥#-]")  # inside a word, price, id or longer number
_NOT_AFTER = re.compile(r"[\w%:/]|[.,-][0-9]")  # a time, percentage, decimal or fraction
_HOW_NUMBER = re.compile(r"\+?[0-9][0-9 ()-]{1,18}[0-9]")
_DIGIT_GROUP = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"[^0-9+()]")
_DATE = re.compile(
    r"(?<![0-9])(?:(?:19|20)[0-9]{2}[-. ][01]?[0-9][-. ][0-3]?[0-9]"
    r"|[0-3]?[0-9][-. ][01]?[0-9][-. ](?:19|20)[0-9]{2})(?![0-9])"
)

# Freephone and non-geographic numbers belong to services, helplines above all, not people:
# UK 0800/0808/0845/0870/03xx, AU 1800/1300, North American toll-free 1-8xx.
_SERVICE_NUMBER = re.compile(
    r"(?:440?|0)(?:80[08]|84[45]|87[01]|3(?:00|03|30|33|4[345]|7[01]))"
    r"|(?:61)?1[38]00|1?8(?:00|33|44|55|66|77|88)[0-9]{7}$"
)


@cache
def _helpline_numbers() -> frozenset[tuple[int, int]]:
    """(country code, national number) of every number in the shipped crisis resources: a post
    that passes a helpline on ("Teléfono de la Esperanza: 717 003 717") is not a privacy risk,
    even where the helpline's number looks like a mobile."""
    shipped = resources.files("forum.data").joinpath("crisis_resources.json").read_text("utf-8")
    numbers = set()
    for entry in json.loads(shipped).get("resources", []):
        region = str(entry.get("region") or "")
        for written in _HOW_NUMBER.findall(entry.get("how") or ""):
            try:
                number = phonenumbers.parse(written, region if len(region) == 2 else None)
            except phonenumbers.NumberParseException:
                continue
            numbers.add((number.country_code, number.national_number))
    return frozenset(numbers)


def _is_service(readings: list[phonenumbers.PhoneNumber]) -> bool:
    """A helpline's or a business's number: a shipped helpline as any region reads it, or
    freephone and the like as every region that knows the number reads it (UK "055" numbers
    are corporate, Mexico City's 55 numbers are people's)."""
    helplines = _helpline_numbers()
    if any((number.country_code, number.national_number) in helplines for number in readings):
        return True
    valid = [number for number in readings if phonenumbers.is_valid_number(number)]
    return bool(valid) and all(phonenumbers.number_type(n) in _SERVICE_TYPES for n in valid)


@lru_cache(maxsize=256)
def _numbers_in(run: str) -> tuple[tuple[int, int, phonenumbers.PhoneNumber], ...]:
    """(start, end, number) of each number every region's matcher finds in ``run``, as that
    region reads it, when it is written the way that region's numbers are."""
    found = []
    for region in PHONE_REGIONS:
        for match in PhoneNumberMatcher(run, region, Leniency.POSSIBLE, _MATCHER_TRIES):
            if _as_written(match.raw_string, region, match.number):
                found.append((match.start, match.end, match.number))
    return tuple(found)


def _as_written(raw: str, region: str, number: phonenumbers.PhoneNumber) -> bool:
    """Whether ``raw`` is how people write ``number`` (as ``region`` reads it): with its
    country code, or as the region's own numbers are written, trunk prefix and all. "123456789"
    is no Irish number (they start with 0), "612345678" is a Spanish one."""
    digits = "".join(_DIGIT_GROUP.findall(raw))
    significant = phonenumbers.national_significant_number(number)
    if raw.lstrip("(").startswith("+") or digits.startswith(("00", "011")):
        return digits.endswith(f"{number.country_code}{significant}")
    national = "".join(
        _DIGIT_GROUP.findall(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    )
    trunk = phonenumbers.ndd_prefix_for_region(region, True) or ""
    return digits in (national, trunk + national)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where personal phone numbers are: every region's candidates, each read as a number of
    every region that found it, kept when it looks like a person's (``_looks_like_phone``)."""
    readings: dict[tuple[int, int], list[phonenumbers.PhoneNumber]] = {}
    for run in _NUMBERISH.finditer(text):
        for start, end, number in _numbers_in(run.group()):
            readings.setdefault((run.start() + start, run.start() + end), []).append(number)
    services = [span for span, numbers in readings.items() if _is_service(numbers)]
    spans = []
    for (start, end), numbers in readings.items():
        if any(s <= start and end <= e for s, e in services):
            continue  # a helpline, or a part of one
        if _NOT_BEFORE.match(text[start - 1 : start]) or _NOT_AFTER.match(text, end):
            continue
        valid = any(phonenumbers.is_valid_number(number) for number in numbers)
        if _looks_like_phone(text[start:end], valid):
            spans.append((start, end))
    return spans


def _looks_like_phone(candidate: str, valid: bool = False) -> bool:
    """Tell a personal phone number from dates, big numbers, helplines and lists of numbers.

    ``valid``: the numbering plan of a region says the number exists (a Spanish mobile written
    in one run, "612345678", or as "612 345 678"); a fictional or unassigned number is judged
    by its shape alone.
    """
    groups = _DIGIT_GROUP.findall(candidate)
    digits = sum(len(group) for group in groups)
    if not 9 <= digits <= 15 or _DATE.search(candidate):
        return False
    if _SERVICE_NUMBER.match("".join(groups)):
        return False
    if candidate[0] in "+(":
        return True
    if len(groups) == 1:  # an unbroken run: a national number with its trunk 0, or a real one
        return candidate.startswith("0") or valid
    if sum(len(group) == 1 for group in groups) > 1:
        return False  # a list of small numbers: 1 2 3 4 5 6 7 8 9
    if max(map(len, groups)) < 3 and not candidate.startswith("0"):
        return False  # pairs are a phone only after a trunk 0 (06 12 34 56 78), else a list
    marks = _SEPARATOR.findall(candidate)
    separators = set(marks)
    if separators == {"."} and (
        len(groups) == 2 or (len(groups) == 4 and max(map(len, groups)) <= 3)
    ):
        return False  # a decimal or an IP address
    if marks[-1] == "." and marks.count(".") == 1:
        return False  # a decimal after thousands: 1 000 000.00
    if (
        not valid
        and separators <= {" ", ".", "\u00a0"}
        and not groups[0].startswith("0")
        and len(groups[0]) <= 3
        and all(len(group) == 3 for group in groups[1:])
    ):
        return False  # thousands written with spaces: 120 000 000
    return sum(len(g) == 4 and g[:2] in ("19", "20") for g in groups) < 2  # 1990-2000-2010


# --- email -----------------------------------------------------------------------------

_EMAIL = _compile(r"""
    (?<![\w.%+-])
    [A-Za-z0-9][A-Za-z0-9._%+-]{0,63}
    @(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}
    (?![\w-]|\.[A-Za-z0-9])
""")
# "jane dot doe at gmail dot com", "jane [at] example [dot] org", "jane at gmail.com".
# The pieces hold no dots, so each dot in the text can be read in only one way.
_SPELLED_EMAIL = _compile(
    r"""
    (?<![\w.%+-])
    <PIECE>(?:<DOT><PIECE>){0,3}
    (?:<SP>{0,3}[\[(<{]<SP>{0,2}at<SP>{0,2}[\])>}]<SP>{0,3}|<SP>{1,3}at<SP>{1,3}|@)
    (?P<domain><LABEL>(?:<DOT><LABEL>){0,3}<DOT>
        (?:com|net|org|edu|gov|info|biz|io|co|me|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be
        |ch|at|se|no|dk|fi|pl|pt|br|mx|in|jp|za|ac|app|dev|email|online|xyz))
    (?![\w-])
    """,
    re.IGNORECASE,
    parts={
        "<DOT>": r"(?:<SP>{0,3}[\[(<{]<SP>{0,2}dot<SP>{0,2}[\])>}]<SP>{0,3}"
        r"|<SP>{1,3}dot<SP>{1,3}|\.)",
        "<PIECE>": r"[a-z0-9_%+-]{1,64}",
        "<LABEL>": r"[a-z0-9-]{1,63}",
    },
)
_SPELLED_MARK = re.compile(r"[\[(<{][ \t\u00a0]*(?:at|dot)[ \t\u00a0]*[\])>}]|\sdot\s", re.I)
# A plain " at " before an ordinary domain is usually prose ("an article at nhs.uk").
_MAIL_PROVIDER_NAMES = (
    "gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac aol proton"
    " protonmail pm gmx yandex zoho fastmail hey tutanota btinternet sky virginmedia"
    " talktalk comcast verizon"
)
_MAIL_PROVIDERS = frozenset(_MAIL_PROVIDER_NAMES.split())
_FIRST_LABEL = re.compile(r"[a-z0-9-]+", re.IGNORECASE)


def _spelled_email_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Accept a spelled-out address, leaving plain ones to the ordinary email pattern."""
    if _SPELLED_MARK.search(match.group()):
        return match.span()
    if "@" in match.group():
        return None
    provider = _FIRST_LABEL.match(match.group("domain"))
    return match.span() if provider and provider.group().lower() in _MAIL_PROVIDERS else None


# --- street address --------------------------------------------------------------------

_STREET = _compile(r"""
    (?<![\w.,/:£$€-])
    [0-9]{1,5}[A-Za-z]?,?                                   # house number: 42, 221B
    (?:<SP>{1,3}(?!<STOP>)(?:<UPPER>[A-Za-zÀ-ÖØ-öø-ÿ'’.-]{0,30}|[0-9]{1,3}(?:st|nd|rd|th))){1,4}
    <SP>{1,3}<SUFFIX>(?![\w'’-])                           # 1-4 words, then Street, Rd...
""")
# A number that counts something else: "Chapter 3 Long Road", "Step 4 Higher Ground Way".
_COUNTER_BEFORE = re.compile(
    r"(?:chapter|step|day|week|month|part|page|level|season|episode|book|volume|vol|no|number)"
    r"\.?[ \t\u00a0]{1,3}$",
    re.IGNORECASE,
)


def _street_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Report a street address unless its number counts chapters, steps or days."""
    before = match.string[max(0, match.start() - 12) : match.start()]
    return None if _COUNTER_BEFORE.search(before) else match.span()


# Lower-case streets are too close to prose ("a 3 hour drive") unless a cue says "address".
_STREET_AFTER_CUE = _compile(
    r"""
    \b(?:live[sd]?|living|staying|address<SP>{1,3}is)<SP>{1,3}(?:(?:at|on)<SP>{1,3})?
    (?P<address>[0-9]{1,5}[a-z]?,?
        (?:<SP>{1,3}(?!<STOP>)(?:[a-zà-ÿ][a-zà-ÿ'’.-]{0,30}|[0-9]{1,3}(?:st|nd|rd|th))){1,4}
        <SP>{1,3}<SUFFIX>)
    (?![\w'’-])
    """,
    re.IGNORECASE,
)
_UK_AREAS = (
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT"
    " DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA"
    " LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE"
    " SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV"
    " YO ZE"
)
_UK_POSTCODE = _compile(
    r"(?<![\w-])(?:<AREAS>)[0-9][A-Z0-9]?<SP>?[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])",
    parts={"<AREAS>": "|".join(_UK_AREAS.split())},
)
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV"
    " NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY"
)
_US_CITY_STATE_ZIP = _compile(
    r"""
    (?<![\w-])
    <CITY>(?:<SP><CITY>){0,2},<SP>{0,2}(?:<STATES>)<SP>{1,2}[0-9]{5}(?:-[0-9]{4})?   # ZIP+4
    (?![\w-])
    """,
    parts={
        "<CITY>": r"(?!<STOP>)<UPPER>[A-Za-z.'’-]{1,25}",
        "<STATES>": "|".join(_US_STATES.split()),
    },
)


# --- full name -------------------------------------------------------------------------

_RELATIONS = (
    "son daughter child kid baby husband wife partner boyfriend girlfriend fianc[eé]e? ex"
    " ex-husband ex-wife mum mom mother dad father stepdad stepmum stepmom brother sister"
    " cousin aunt auntie uncle niece nephew nan gran grandma grandmother grandad granddad"
    " grandfather friend best<SP>{1,3}friend flatmate roommate neighbou?r colleague co-?worker"
    " boss manager teacher landlord therapist counsel+or psychiatrist psychologist doctor gp"
    " nurse social<SP>{1,3}worker support<SP>{1,3}worker key<SP>{1,3}worker abuser"
)
_NAME = _compile(
    r"""
    (?i:                                                # the cue, in any case
        \b(?:my|his|her|their|our)<SP>{1,3}
            (?:(?:real|full|actual|legal|birth)<SP>{1,3})?name(?:<SP>{1,3}is|['’]s)
      | \bi(?:['’]?m|<SP>{1,3}am)<SP>{1,3}(?:called|named)
      | \bmy<SP>{1,3}(?:<RELATIONS>)
            (?:<SP>{0,3},|<SP>{1,3}(?:is<SP>{1,3})?(?:called|named))?
    )
    <SP>{1,3}[*_]{0,2}                                  # maybe Markdown emphasis
    (?P<name>
        (?:(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Doctor)\.?<SP>{1,3})?
        <WORD>(?:<SP>{1,3}<WORD>){0,3}
    )
    """,
    parts={
        "<RELATIONS>": "|".join(_RELATIONS.split()),
        # A capital then a lower-case letter (or O'Brien's apostrophe), so "I'm" is no name.
        "<WORD>": r"(?!<STOP>)<UPPER>(?:<LOWER>|['’]<UPPER>)<LETTER>{0,30}"
        r"(?:-<UPPER><LETTER>{1,30})?",
    },
)


def _full_name_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Two capitalised words make a full name; a lone first name is a harmless pseudonym."""
    return match.span("name") if len(match.group("name").split()) >= 2 else None


# --- social profile --------------------------------------------------------------------

_SOCIAL_URL = _compile(
    r"""
    (?<![\w.@/-])
    (?:https?://)?(?:[a-z0-9-]{1,30}\.)?
    (?:
        (?:facebook|fb|instagram|twitter|x|tiktok)\.com/
            (?!(?:help|about|policies|privacy|legal|terms|login|signup|explore|settings|home
                |search|hashtag|groups|events|pages|share|sharer|intent|i|watch)(?![\w.-]))
      | threads\.(?:net|com)/
      | linkedin\.com/in/
      | snapchat\.com/add/
      | reddit\.com/u(?:ser)?/
      | youtube\.com/(?:@|c/|channel/|user/)
      | bsky\.app/profile/
    )
    (?P<path>[^\s<>()\[\]{}"'`|\\]{1,300})           # up to a space or Markdown's ")"
    """,
    re.IGNORECASE,
)
_HANDLE_ON_PLATFORM = _compile(
    r"""
        (?<![\w@.])<HANDLE><SP>{1,3}(?:on|at|over<SP>{1,3}on)<SP>{1,3}<PLATFORM>\b
      | \b<PLATFORM>(?:<SP>{1,3}(?:handle|username|user<SP>name|account|name|id))?
            <SP>{0,3}(?:is|:|-|=)?<SP>{0,3}<HANDLE>
    """,
    re.IGNORECASE,
    parts={
        "<HANDLE>": r"@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?(?![\w@])",
        "<PLATFORM>": r"(?:instagram|insta|ig|twitter|x|tiktok|threads|snapchat|snap|bluesky"
        r"|bsky|facebook|fb|reddit|youtube|tumblr|twitch|mastodon|discord)",
    },
)
_REDDIT_USER = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}(?![\w/-])")
_URL_TRAILING = ".,;:!?*_~"


def _social_url_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Leave sentence punctuation and Markdown emphasis after a link out of the excerpt."""
    path = match.group("path").rstrip(_URL_TRAILING)
    return (match.start(), match.start("path") + len(path)) if path else None


# --- Spanish and Mexican addresses, identity numbers and names ----------------------------

_ES_PARTS = {
    # "Calle", "C/", "Avda.", "Av.", "Paseo", "Pza."...: in any case ("la calle Mayor 12").
    "<VIA>": r"(?i:calle|c/|avenida|avda\.|avd\.|av\.|paseo|p[º°]|plaza|pza\.|plza\.|ronda"
    r"|carretera|ctra\.|camino|traves[ií]a|glorieta|callej[oó]n|calzada|calz\.|bulevar|blvr?\."
    r"|cerrada|privada|priv\.|rambla|pasaje|urbanizaci[oó]n|urb\.|andador|prolongaci[oó]n)",
    "<AFTER_VIA>": r"(?:(?<=[/.º°])<SP>{0,3}|<SP>{1,3})",
    "<CONNECTOR>": r"(?:de|del|la|las|los|el)",
    # "Calle Mayor 12, 3º B", "nº 45", "1234A".
    "<HOUSE>": r",?<SP>{1,3}(?:(?i:n[º°o]\.?|n[úu]m\.?|n[úu]mero|\#)<SP>{0,2})?[0-9]{1,5}[A-Za-z]?"
    r"(?![\w/]|[.,][0-9])",
    # A number that counts something: "la Avenida Reforma 2 veces", "calle desde hace 2 años".
    "<COUNTED>": r"<SP>{1,3}(?i:veces|vez|horas?|d[ií]as?|minutos?|a[ñn]os|semanas?|mes(?:es)?"
    r"|km|kil[oó]metros?|metros?|personas?|euros?|pesos?|d[oó]lares|mg)(?![\w])",
    "<FLOOR>": r"(?:,?<SP>{1,3}(?:[0-9]{1,2}<SP>?\.?[º°ª]|(?i:bajo|[aá]tico|entresuelo|principal))"
    r"(?:<SP>{0,2}[-,]?<SP>{0,2}(?:[A-Z](?![\w])|(?i:izq(?:uierda|da)?\.?|dcha\.?|derecha"
    r"|centro|interior|exterior))(?![\w]))?)?",
    "<COLONIA>": r"(?:,?<SP>{1,3}(?:Col\.|Colonia)<SP>{1,3}<CAPWORD>(?:<SP>{1,3}<CAPWORD>){0,3})?",
    # Last: the blocks above are written with it (each block may use only those after it).
    "<CAPWORD>": r"<UPPER>[A-Za-zÀ-ÖØ-öø-ÿ'’-]{0,30}",
}
_CALLE = _compile(
    r"""
    (?<![\w])<VIA><AFTER_VIA>
    (?:<CONNECTOR><SP>{1,3}){0,3}<CAPWORD>                    # Mayor, de la Constitución
    (?:<SP>{1,3}(?:<CONNECTOR><SP>{1,3}){0,3}<CAPWORD>){0,4}  # Insurgentes Sur
    <HOUSE>(?!<COUNTED>)<FLOOR><COLONIA>
    """,
    parts=_ES_PARTS,
)
# All in lower case after a cue: "vivo en la calle del pez 12".
_CALLE_AFTER_CUE = _compile(
    r"""
    (?i:\b(?:vivo|vive|vivimos|viven|mi<SP>{1,3}direcci[oó]n<SP>{1,3}es)<SP>{1,3}(?:en<SP>{1,3})?
        (?:(?:la|el)<SP>{1,3})?)
    (?P<address><VIA><AFTER_VIA>
        (?:(?!<NOT_A_NAME>)[a-zà-ÿ][a-zà-ÿ'’.-]{0,30}<SP>{1,3}){1,4}
        <HOUSE>(?!<COUNTED>)<FLOOR>)
    """,
    parts={
        **_ES_PARTS,
        "<HOUSE>": _ES_PARTS["<HOUSE>"].replace(",?<SP>{1,3}", ",?<SP>{0,3}", 1),
        "<NOT_A_NAME>": r"(?:desde|hace|con|sin|por|para|que|y|o|pero|porque|cuando|hasta"
        r"|durante|unos?|unas?|muy|m[aá]s|casi|ya|no|s[ií]|en|a|al)(?![\w])",
    },
)
# "C.P. 28013", "CP 06700": a Spanish or Mexican postcode after its abbreviation.
_CODIGO_POSTAL = _compile(r"(?<![\w])(?i:c\.?<SP>?p\.?)<SP>{0,2}[0-9]{5}(?![\w])")

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
# A DNI: 8 digits (maybe "12.345.678") and its check letter; a NIE: X, Y or Z, 7 digits, letter.
_DNI = _compile(
    r"(?<![\w.-])(?P<digits>[0-9]{8}|[0-9]{2}\.[0-9]{3}\.[0-9]{3})<SP>?-?<SP>?"
    r"(?P<letter>[A-Za-z])(?![\w])"
)
_NIE = _compile(
    r"(?<![\w.-])(?P<prefix>[XYZxyz])<SP>?-?<SP>?(?P<digits>[0-9]{7})<SP>?-?<SP>?"
    r"(?P<letter>[A-Za-z])(?![\w])"
)
_MX_STATES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ"
    " YN ZS NE"
)
# A CURP: four letters, the birth date, sex, state, three consonants, two check characters.
_CURP = _compile(
    r"""
    (?<![\w])[A-Z][AEIOUX][A-Z]{2}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])
    [HMX](?:<STATES>)[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9](?![\w])
    """,
    parts={"<STATES>": "|".join(_MX_STATES.split())},
)


def _dni_span(match: re.Match[str]) -> tuple[int, int] | None:
    """A DNI or NIE whose letter is its check letter (so "12345678A" in a list is nothing)."""
    digits = match.group("digits").replace(".", "")
    prefix = match.groupdict().get("prefix")
    if prefix:
        digits = str("XYZ".index(prefix.upper())) + digits
    right = _DNI_LETTERS[int(digits) % 23]
    return match.span() if match.group("letter").upper() == right else None


_RELACIONES = (
    "hijo hija hijos hijas niño niña bebé bebe marido esposo esposa mujer pareja novio novia ex"
    " exmarido exmujer expareja madre mamá mama padre papá papa padrastro madrastra hermano"
    " hermana primo prima tío tio tía tia sobrino sobrina abuelo abuela amigo amiga"
    " mejor<SP>{1,3}amigo mejor<SP>{1,3}amiga compañero compañera vecino vecina jefe jefa"
    " profesor profesora maestro maestra casero casera terapeuta psiquiatra psicólogo psicóloga"
    " psicologo psicologa médico médica medico medica doctor doctora enfermero enfermera"
    " trabajador<SP>{1,3}social trabajadora<SP>{1,3}social agresor agresora maltratador"
    " cuñado cuñada suegro suegra"
)
_NOMBRE = _compile(
    r"""
    (?i:                                                # the cue, in any case
        \bme<SP>{1,3}llamo
      | \b(?:mi|su)<SP>{1,3}(?:verdadero<SP>{1,3})?nombre
            (?:<SP>{1,3}(?:completo|real|verdadero|de<SP>{1,3}verdad))?<SP>{1,3}es
      | \b(?:mi|su)<SP>{1,3}(?:<RELACIONES>)(?:<SP>{0,3},|<SP>{1,3}se<SP>{1,3}llama)?
    )
    <SP>{1,3}[*_]{0,2}
    (?P<name>
        (?:(?:Dr|Dra|Sr|Sra|Srta|Lic|Ing|Prof)\.?<SP>{1,3})?
        <PALABRA>(?:<SP>{1,3}(?:(?:de|del|de<SP>la|de<SP>los)<SP>{1,3})?<PALABRA>){0,3}
    )
    """,
    parts={
        "<RELACIONES>": "|".join(_RELACIONES.split()),
        "<PALABRA>": r"(?!<NO_ES_NOMBRE>)<UPPER><LOWER><LETTER>{0,30}(?:-<UPPER><LETTER>{1,30})?",
        # Capitalised words that open a sentence, never a name.
        "<NO_ES_NOMBRE>": r"(?:Y|Hoy|Ayer|Mañana|Pero|Que|Porque|Cuando|Si|No|El|La|Los|Las|Un"
        r"|Una|Mi|Me|Yo|Es|Era|Soy|Estoy|Tengo|Desde|Hace|Aquí|Aqui|Ahora|Bueno|Hola|Gracias"
        r"|Jaja|Jajaja|Lol|También|Tambien|Pues|Entonces|Siempre|Nunca|Muy|Mucho|Todo|Nada)"
        r"(?![\w'’-])",
    },
)


# --- the check -------------------------------------------------------------------------


def _whole(match: re.Match[str]) -> tuple[int, int] | None:
    """Report the whole match."""
    return match.span()


def _address_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Report the address after its cue."""
    return match.span("address")


_SpanOf = Callable[[re.Match[str]], tuple[int, int] | None]
_DETECTORS: tuple[tuple[str, re.Pattern[str], _SpanOf], ...] = (
    ("email", _EMAIL, _whole),
    ("email", _SPELLED_EMAIL, _spelled_email_span),
    ("address", _STREET, _street_span),
    ("address", _STREET_AFTER_CUE, _address_span),
    ("address", _UK_POSTCODE, _whole),
    ("address", _US_CITY_STATE_ZIP, _whole),
    ("address", _CALLE, _whole),
    ("address", _CALLE_AFTER_CUE, _address_span),
    ("address", _CODIGO_POSTAL, _whole),
    ("id", _DNI, _dni_span),
    ("id", _NIE, _dni_span),
    ("id", _CURP, _whole),
    ("name", _NAME, _full_name_span),
    ("name", _NOMBRE, _full_name_span),
    ("social", _SOCIAL_URL, _social_url_span),
    ("social", _HANDLE_ON_PLATFORM, _whole),
    ("social", _REDDIT_USER, _whole),
)


def identifying_details(text: str) -> list[Finding]:
    """Findings in order of appearance, at most one per distinct excerpt; [] when none."""
    candidates = [(start, -end, "phone") for start, end in _phone_spans(text)]
    for kind, pattern, span_of in _DETECTORS:
        for match in pattern.finditer(text):
            span = span_of(match)
            if span is not None and span[0] < span[1]:
                candidates.append((span[0], -span[1], kind))
    findings: list[Finding] = []
    seen: set[str] = set()
    covered_until = 0
    # Earliest first, longest first: a link's digits or a name inside an address stay one finding.
    for start, negative_end, kind in sorted(candidates):
        end = -negative_end
        excerpt = text[start:end]
        if start < covered_until or excerpt in seen:
            continue
        covered_until = end
        seen.add(excerpt)
        findings.append(Finding(kind=kind, label=LABELS[kind], excerpt=excerpt))
    return findings
