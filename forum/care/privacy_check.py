"""Privacy nudge: spot details in a post's Markdown source that could identify someone.

A pure function over text; the posting flow decides what to do with the findings.

Every pattern is linear by construction: each quantifier has an upper bound, and repeated
pieces are separated by a character the piece cannot contain, so a failing match backtracks
through a bounded number of ways from each start position. A 20,000-character post costs tens
of milliseconds at worst, however hostile it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


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

_PHONE = _compile(r"""
    (?<![\w+.,/$£€¥#-])                 # not inside a word, price, id or longer number
    (?:\+[0-9]{1,3}[ .\u00a0-]?)?        # country code
    (?:\([0-9]{1,5}\)[ .\u00a0-]?)?      # area code in brackets
    [0-9]{1,12}(?:[ .\u00a0-][0-9]{1,12}){0,6}
    (?![\w%:/]|[.,-][0-9])               # not a time, percentage, decimal or fraction
""")
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


def _looks_like_phone(candidate: str) -> bool:
    """Tell a personal phone number from dates, big numbers, helplines and lists of numbers."""
    groups = _DIGIT_GROUP.findall(candidate)
    digits = sum(len(group) for group in groups)
    if not 9 <= digits <= 15 or _DATE.search(candidate):
        return False
    if _SERVICE_NUMBER.match("".join(groups)):
        return False
    if candidate[0] in "+(":
        return True
    if len(groups) == 1:  # an unbroken run: only a national number with its trunk 0
        return candidate.startswith("0")
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
        separators <= {" ", ".", "\u00a0"}
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


# --- the check -------------------------------------------------------------------------


def _whole(match: re.Match[str]) -> tuple[int, int] | None:
    """Report the whole match."""
    return match.span()


def _address_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Report the address after its cue."""
    return match.span("address")


_SpanOf = Callable[[re.Match[str]], tuple[int, int] | None]
_DETECTORS: tuple[tuple[str, re.Pattern[str], _SpanOf], ...] = (
    ("phone", _PHONE, lambda m: m.span() if _looks_like_phone(m.group()) else None),
    ("email", _EMAIL, _whole),
    ("email", _SPELLED_EMAIL, _spelled_email_span),
    ("address", _STREET, _street_span),
    ("address", _STREET_AFTER_CUE, _address_span),
    ("address", _UK_POSTCODE, _whole),
    ("address", _US_CITY_STATE_ZIP, _whole),
    ("name", _NAME, _full_name_span),
    ("social", _SOCIAL_URL, _social_url_span),
    ("social", _HANDLE_ON_PLATFORM, _whole),
    ("social", _REDDIT_USER, _whole),
)


def identifying_details(text: str) -> list[Finding]:
    """Findings in order of appearance, at most one per distinct excerpt; [] when none."""
    candidates = []
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
