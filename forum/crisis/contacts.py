"""Tap-to-call and tap-to-text links from a crisis resource's "how to reach it" words.

Admins write how to reach a service as a sentence ("Call 116 123 (free) or text HELP to
51444"). Each number that a verb to call ("call", "phone", "ring", "dial") or to text ("text",
"SMS") governs becomes a ``tel:`` or ``sms:`` link; a number with no verb of its own follows
the one before it ("Call your local emergency number: 112 (Europe), 999 (UK)"). A link's
address holds only digits and a leading ``+``, whatever was typed. Pure functions: no app, no
database.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# A number: three or more digits with spaces or hyphens between them, maybe a leading +, and
# digits in brackets ("(02) 9876 5432", "1 (800) 273-8255", the "(0)" of "+44 (0)20 7946
# 0000"). Never a part of a word or an address ("988lifeline.org", "example.org/24", "24/7"),
# and never glued to words in brackets ("116 123 (24 hours)").
NUMBER = re.compile(
    r"(?<![\w@./(-])(?:\+\s?)?(?:\(\d{1,5}\)\s?)?\d(?:(?:[ \-]|\s?\(\d{1,4}\)\s?)?\d){2,}"
    r"(?![\w@/]|\.\w)",
    re.ASCII,
)
# English and Spanish ("Llama al 024", "envía un mensaje de texto con AYUDA al 988").
CALL = r"call|phone|ring|dial|emergency number|llama|llame|llamar|marca|marque|marcar"
TEXT = r"text|sms|mensaje de texto|env[ií]a un mensaje|manda un mensaje"
OR = r"(?:or|o)"
# What a person does with the numbers after it; "or email", "chat" end the last verb's reach.
VERB = re.compile(
    rf"\b(?:(?P<both>(?:{CALL}) {OR} (?:{TEXT})|(?:{TEXT}) {OR} (?:{CALL}))"
    rf"|(?P<text>{TEXT})|(?P<call>{CALL})"
    rf"|(?P<other>e-?mail|chat|visit|write|correo|chatea|visita|escribe))\b",
    re.IGNORECASE,
)
# What a link says, in the reader's language ("Call 116 123").
SCHEMES = {"tel": _l("Call %(number)s"), "sms": _l("Text %(number)s")}


@dataclass(frozen=True)
class ContactLink:
    """A link that starts a call or a text: ``href`` is "tel:116123", ``label`` "Call 116 123"."""

    scheme: str
    number: str

    @property
    def href(self) -> str:
        return f"{self.scheme}:{dialable(self.number)}"

    @property
    def label(self) -> str:
        return SCHEMES[self.scheme] % {"number": self.number}


def dialable(number: str) -> str:
    """The digits of ``number``, with its leading ``+`` if it has one; the "(0)" of an
    international number is not dialled ("+44 (0)20 7946" -> "+44207946")."""
    if number.startswith("+"):
        return "+" + re.sub(r"[^0-9]", "", number.replace("(0)", ""))
    return re.sub(r"[^0-9]", "", number)


def contact_links(how: str) -> list[ContactLink]:
    """The call and text links of ``how``, in the order a reader meets them."""
    found: list[ContactLink] = []
    schemes: tuple[str, ...] = ()
    position = 0
    for match in NUMBER.finditer(how or ""):
        schemes = _schemes_before(how[position : match.start()], schemes)
        position = match.end()
        for scheme in schemes:
            link = ContactLink(scheme, match.group())
            if link not in found:
                found.append(link)
    return found


def _schemes_before(words: str, current: tuple[str, ...]) -> tuple[str, ...]:
    """The schemes the last verb in ``words`` asks for (``current`` when there is none)."""
    verbs = list(VERB.finditer(words))
    if not verbs:
        return current
    last = verbs[-1]
    if last.group("both"):
        return ("tel", "sms")
    if last.group("call"):
        return ("tel",)
    if last.group("text"):
        return ("sms",)
    return ()
