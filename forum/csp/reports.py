"""Read the violation reports browsers send, in both formats, down to what is safe to keep.

Browsers send the CSP level 2 format (``application/csp-report``: one ``{"csp-report": {...}}``
object, kebab-case keys) for ``report-uri``, and the Reporting API format
(``application/reports+json``: a list of ``{"type": "csp-violation", "body": {...}}``,
camelCase keys) for ``report-to``. Either may arrive as ``application/json``.

A report names the page it came from, and that address can carry a search query or a
thread's slug (its title). So what is kept is only the directive that was violated and the
*kind* of thing blocked: a keyword (``inline``, ``eval``) or a URL's scheme, never the URL.
"""

import json
import re
from dataclasses import dataclass

ACCEPTED_TYPES = ("application/csp-report", "application/reports+json", "application/json")
MAX_REPORT_BYTES = 64 * 1024
# A directive is a short lowercase word with dashes; anything else is not one.
DIRECTIVE = re.compile(r"[a-z][a-z-]{0,39}")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]{0,19}):")
KEYWORDS = {"inline", "eval", "wasm-eval", "self", "trusted-types-policy", "trusted-types-sink"}


class BadReport(ValueError):
    """The body is not JSON, or not a violation report in either format."""


@dataclass(frozen=True)
class Violation:
    """One blocked thing: the directive (``script-src-elem``) and what kind of source it was."""

    directive: str
    blocked: str
    disposition: str = "enforce"

    @property
    def is_script(self) -> bool:
        return self.directive.startswith("script-src") or self.directive == "default-src"


def parse_reports(raw: bytes) -> list[Violation]:
    """The violations in one request body of any accepted type; BadReport if it has none."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadReport("not JSON") from error
    if isinstance(document, dict) and isinstance(document.get("csp-report"), dict):
        bodies = [_level2(document["csp-report"])]
    elif isinstance(document, list):
        bodies = [
            _reporting_api(item["body"])
            for item in document
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    else:
        bodies = []
    if not bodies:
        raise BadReport("no violation report in the body")
    return bodies


def _level2(report: dict) -> Violation:
    # Old browsers send only violated-directive, which is the whole directive with its
    # sources ("script-src 'self'"): its first word is the name.
    directive = report.get("effective-directive") or _first_word(report.get("violated-directive"))
    return _violation(directive, report.get("blocked-uri"), report.get("disposition"))


def _reporting_api(body: dict) -> Violation:
    directive = body.get("effectiveDirective") or _first_word(body.get("violatedDirective"))
    return _violation(directive, body.get("blockedURL"), body.get("disposition"))


def _first_word(value) -> str:
    return value.split()[0] if isinstance(value, str) and value.split() else ""


def _violation(directive, blocked, disposition) -> Violation:
    return Violation(
        directive=_clean_directive(directive),
        blocked=blocked_kind(blocked),
        disposition="report" if disposition == "report" else "enforce",
    )


def _clean_directive(value) -> str:
    value = value.strip().lower() if isinstance(value, str) else ""
    return value if DIRECTIVE.fullmatch(value) else "unknown"


def blocked_kind(value) -> str:
    """``inline``/``eval``/... as they are, a URL as its scheme only; ``unknown`` otherwise."""
    if not isinstance(value, str) or not value.strip():
        return "none"
    value = value.strip().lower()
    if value in KEYWORDS:
        return value
    found = SCHEME.match(value)
    return found.group(1) if found else "unknown"
