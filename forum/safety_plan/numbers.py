"""Phone numbers in a line of a safety plan, made into tel: and sms: links.

In a hard moment a number should be one tap away. A line is split into parts: plain text,
and numbers with the ``tel:`` and/or ``sms:`` address to reach them. Addresses are made only
of digits and a leading "+", whatever was typed, so a line can never become any other link.

What counts as a number: digits standing on their own (not inside a word or a web or email
address), at least 6 of them (116 123, 07700 900123, +44 20 7946 0958), or 3 to
5 digits after a word such as "call", "text" or "dial" earlier in the line (call 999, text
SHOUT to 85258), so that "10 000 steps" or "born in 2019" stay plain words. The last such word
before a number says how to use it: "text" (or "sms") gives an sms: link, "call or text" both,
anything else a tel: link.
"""

import re
from dataclasses import dataclass

from forum.crisis.contacts import dialable
from forum.safety_plan.content import SECTIONS

MIN_DIGITS, MIN_PLAIN_DIGITS, MAX_DIGITS = 3, 6, 15
# Digits with a space, a hyphen or a bracket (or two of them) between them; a "+" may lead.
CANDIDATE = re.compile(r"\+?[(]?\d(?:[ \-()]{0,2}\d)*")
CUE = re.compile(
    r"\b(call or text|text or call|call|phone|ring|dial|telephone|tel|text|txt|sms|whatsapp"
    r"|number|llama|llame|llamar|marca|marque|marcar|n[úu]mero|mensaje)\b",
    re.IGNORECASE,
)
TEXT_CUES = {"text", "txt", "sms", "whatsapp", "mensaje"}
BOTH_CUES = {"call or text", "text or call"}


@dataclass(frozen=True)
class Part:
    """A piece of a line: ``text`` as written; ``tel``/``sms`` the digits to dial or text."""

    text: str
    tel: str | None = None
    sms: str | None = None


def linked_parts(line: str) -> list[Part]:
    """``line`` as plain parts and number parts, in order; joined, the texts give the line."""
    parts, position = [], 0
    for match in CANDIDATE.finditer(line):
        start, end = match.span()
        found = _number(line, start, end)
        if found is None:
            continue
        if start > position:
            parts.append(Part(line[position:start]))
        parts.append(found)
        position = end
    if position < len(line) or not parts:
        parts.append(Part(line[position:]))
    return parts


def _number(line: str, start: int, end: int) -> Part | None:
    """The number part for ``line[start:end]``, or None when it is not a phone number."""
    text = line[start:end]
    while text.endswith((")", "(")) and text.count("(") != text.count(")"):
        end -= 1
        text = text[:-1]
    if _inside_a_word(line, start, end):
        return None
    # "+44 (0)20 ...": the bracketed 0 is dialled only from inside the country.
    address = dialable(text)
    digits = address.removeprefix("+")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    cues = [cue.group(1).lower() for cue in CUE.finditer(line, 0, start)]
    if len(digits) < MIN_PLAIN_DIGITS and not cues:
        return None
    how = cues[-1] if cues else "call"
    if how in BOTH_CUES:
        return Part(text, tel=address, sms=address)
    if how in TEXT_CUES:
        return Part(text, sms=address)
    return Part(text, tel=address)


def _inside_a_word(line: str, start: int, end: int) -> bool:
    """Whether the digits at ``line[start:end]`` belong to something else: a word, a web or
    email address ("988.ca", "jo@1737.nz", "help/116"), a decimal."""
    before, after = line[start - 1 : start], line[end : end + 1]
    if before and (before.isalnum() or before in "+.@/"):
        return True
    if after.isalnum():
        return True
    return after in ".@/" and line[end + 1 : end + 2].isalnum()


def linked_sections(sections: dict[str, list[str]]) -> list[tuple]:
    """(section, [parts of each line]) for every section of the plan, in order: what the
    reading view, the print view and the downloaded file show."""
    return [
        (section, [linked_parts(line) for line in sections.get(section.key) or []])
        for section in SECTIONS
    ]
