"""What a handle looks like: its confusable skeleton, and the names no one may pose as.

Two handles that a reader could mistake for each other have the same *skeleton*
(``skeleton``): ``keeper_k`` and ``Keeper-K``, ``m0d1`` and ``mod1``, ``rnoderator`` and
``moderator``. A new handle is refused when its skeleton is already held by a member
(``members.handle_skeleton``, unique) or when it poses as staff or a crisis service
(``reserved_name``). Pure functions: no database, no app.
"""

import re

# Characters read as another: 0 as o; 1, l, and i as one letter; 5 as s; 4 as a; 3 as e.
CONFUSABLE = str.maketrans({"0": "o", "1": "i", "l": "i", "5": "s", "4": "a", "3": "e"})
SEPARATORS = re.compile(r"[-_.\s]+")
DIGITS_AND_SEPARATORS = frozenset("0123456789-_. ")

STAFF_WORDS = (
    "admin",
    "administrator",
    "mod",
    "moderator",
    "staff",
    "team",
    "support",
    "official",
    "system",
)
CRISIS_WORDS = (
    "helpline",
    "samaritans",
    "crisis",
    "crisis team",
    "crisis line",
    "emergency",
    "911",
    "999",
    "112",
    "shout",
    "lifeline",
    "childline",
)
# Names that would mislead in other ways: the display names of deleted and anonymous
# authors, and words that read as the forum itself or as nobody.
OTHER_RESERVED = (
    "former member",
    "deleted",
    "deleted member",
    "anonymous",
    "admins",
    "moderators",
    "mods",
    "root",
    "help",
    "forum",
    "everyone",
    "null",
    "none",
    "guest",
)
# A handle whose skeleton starts with one of these poses as staff, a crisis service or an
# anonymous author whatever follows ("crisis_team_uk", "helpline4u", "admin_jo", "anon_1").
IMPERSONATING_STARTS = ("admin", "moderator", "crisis", "helpline", "samaritan", "anon")


def skeleton(handle: str) -> str:
    """The handle as a reader sees it: case-folded; separators (``-``, ``_``, ``.``, spaces)
    dropped; 0 read as o; 1, l and i as one letter; 5 as s; 4 as a; 3 as e; "rn" as m and
    "vv" as w. Equal skeletons mean handles a reader could mistake for each other.

    Stored in ``members.handle_skeleton``: changing these rules needs a migration that
    recomputes that column.
    """
    text = SEPARATORS.sub("", (handle or "").casefold()).translate(CONFUSABLE)
    return text.replace("rn", "m").replace("vv", "w")


RESERVED_SKELETONS = frozenset(
    skeleton(word) for word in STAFF_WORDS + CRISIS_WORDS + OTHER_RESERVED
)
# The words a handle may not be made of (with digits and separators): letters only, so
# that "1999" or "2112" stay ordinary numbers while "999" itself is reserved.
IMPERSONATING_WORDS = frozenset(
    skeleton(word) for word in STAFF_WORDS + CRISIS_WORDS if not word.isdigit()
)
IMPERSONATING_STARTS_SKELETONS = tuple(skeleton(word) for word in IMPERSONATING_STARTS)


def reserved_name(handle: str, site_name: str = "") -> bool:
    """Whether ``handle`` poses as staff, a crisis service, a deleted or anonymous author or
    the site. It does when its skeleton

    1. equals that of a reserved word or of ``site_name`` (``adm1n``, ``Samaritans``,
       ``former-member``, ``9l1``);
    2. is made only of staff and crisis words, digits and separators (``mod1``, ``m0d_2``,
       ``crisis-team``, ``support_team``, ``4dmin99``);
    3. starts with admin, moderator, crisis, helpline, samaritan or anon (``crisis_uk``,
       ``helpline4u``, ``anon_heron``); or
    4. is "mod" before a separator (``mod_jo``, ``m0d-k``), as handles always were.

    Ordinary words that merely contain a reserved one (``modest``, ``team_player``,
    ``support_seeker``, ``sam``) are fine.
    """
    folded = (handle or "").casefold()
    shape = skeleton(folded)
    if shape in RESERVED_SKELETONS or (site_name and shape == skeleton(site_name)):
        return True
    if shape.startswith(IMPERSONATING_STARTS_SKELETONS):
        return True
    parts = SEPARATORS.split(folded, maxsplit=1)
    if len(parts) == 2 and skeleton(parts[0]) == "mod":
        return True
    return made_of_impersonating_words(folded)


def made_of_impersonating_words(text: str) -> bool:
    """Whether ``text`` splits into staff or crisis words, digits and separators, with at
    least one word (a small search over at most 24 characters)."""
    # reach[i] holds what is possible for text[:i]: False (only fillers so far) or True
    # (at least one word among them).
    reach: list[set[bool]] = [set() for _ in range(len(text) + 1)]
    reach[0].add(False)
    for start in range(len(text)):
        if not reach[start]:
            continue
        if text[start] in DIGITS_AND_SEPARATORS:
            reach[start + 1] |= reach[start]
        for end in range(start + 1, len(text) + 1):
            if skeleton(text[start:end]) in IMPERSONATING_WORDS:
                reach[end].add(True)
    return True in reach[len(text)]
