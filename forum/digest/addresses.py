"""Email addresses members add for digests: checked by hand (no extra dependency), stored as
typed with the domain lower-cased.

Only plain ASCII addresses are accepted: they go into a ``To:`` header and through mail
servers that may not speak SMTPUTF8.
"""

import re

from flask_babel import lazy_gettext as _l

MAX_LENGTH = 254
MAX_LOCAL = 64
# The "dot-atom" local part of RFC 5322, without quoted strings or comments.
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

SHAPE = _l("An email address looks like name@example.org.")
TOO_LONG = _l("An email address has at most %(max)d characters.", max=MAX_LENGTH)
NAME_PART = _l(
    "The part before the @ may hold letters, digits and . _ - + (no spaces, and no two dots "
    "in a row)."
)
DOMAIN_PART = _l("The part after the @ should be a domain, like example.org.")


def email_problem(address: str) -> str | None:
    """Why ``address`` cannot be used as an email address, or None when it can."""
    if len(address) > MAX_LENGTH:
        return TOO_LONG
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return SHAPE
    if len(local) > MAX_LOCAL or not LOCAL_PART.fullmatch(local):
        return NAME_PART
    labels = domain.split(".")
    if len(labels) < 2 or not all(DOMAIN_LABEL.fullmatch(label) for label in labels):
        return DOMAIN_PART
    if labels[-1].isdigit():
        return DOMAIN_PART
    return None


def normalize_email(address: str | None) -> str | None:
    """The address as typed with its domain lower-cased (None for an empty one)."""
    address = (address or "").strip()
    if not address:
        return None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"
