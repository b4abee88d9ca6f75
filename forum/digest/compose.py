"""The words of a digest email: counts by kind, one line per notification, the message itself.

Call these inside ``site_context()`` (bylines use url_for); links are absolute, on
FORUM_BASE_URL (``forum.web.site_url_for``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from forum.digest.excerpts import excerpt_of, shorten
from forum.display import byline_of
from forum.models import Notice, Post
from forum.policy import can_quote_in_digest
from forum.redirects import is_safe_local_path
from forum.web import site_url, site_url_for

# The kind of the notices moderators send: the only ones quiet mode lets through.
MODERATION = "notice"
# A reminder the member asked for (forum.safety_plan): an email says no more than that, and
# links to the notifications page, never to what it is about (an inbox may be shared).
REMINDER = "reminder"
NOTICES_ENDPOINT = "notify.notifications"
NO_EXCERPT = _l("No excerpt for this one: open the forum to read it.")


@dataclass(frozen=True)
class Kind:
    """How a digest words one kind of notification: counted, and as a line of the list."""

    # "2 replies to you": the count in words, in the reader's language.
    counted: Callable[[int], str]
    line: str
    # The notified post is someone else's, so an excerpt may say whose (public byline).
    names_author: bool = False


KINDS = {
    "reply": Kind(
        lambda n: ngettext("%(num)d reply to you", "%(num)d replies to you", n),
        _l("A reply to you"),
        True,
    ),
    "mention": Kind(
        lambda n: ngettext("%(num)d mention of you", "%(num)d mentions of you", n),
        _l("A mention of you"),
        True,
    ),
    "thread": Kind(
        lambda n: ngettext(
            "%(num)d new reply in a thread you follow",
            "%(num)d new replies in threads you follow",
            n,
        ),
        _l("A new reply in a thread you follow"),
        True,
    ),
    "board_thread": Kind(
        lambda n: ngettext(
            "%(num)d new thread on a board you follow",
            "%(num)d new threads on boards you follow",
            n,
        ),
        _l("A new thread on a board you follow"),
        True,
    ),
    "reaction": Kind(
        lambda n: ngettext(
            "%(num)d note of support on your posts", "%(num)d notes of support on your posts", n
        ),
        _l("Support on your post"),
    ),
    MODERATION: Kind(
        lambda n: ngettext(
            "%(num)d message from the moderators", "%(num)d messages from the moderators", n
        ),
        _l("A message from the moderators"),
    ),
    REMINDER: Kind(
        lambda n: ngettext("%(num)d reminder you asked for", "%(num)d reminders you asked for", n),
        _l("A reminder you asked for"),
    ),
}
OTHER = Kind(
    lambda n: ngettext("%(num)d other notification", "%(num)d other notifications", n),
    _l("A notification"),
)


@dataclass(frozen=True)
class DigestLine:
    """One notification as the email lists it."""

    label: str
    url: str
    author: str | None = None
    excerpt: str | None = None
    note: str | None = None


def site_context():
    """A request context on FORUM_BASE_URL, for what uses url_for (bylines) outside a request."""
    base = current_app.config["FORUM_BASE_URL"].rstrip("/")
    return current_app.test_request_context("/", base_url=base)


def count_lines(counts: dict[str, int]) -> list[str]:
    """ "2 replies to you", "1 message from the moderators"... in a fixed order."""
    ordered = [(KINDS[kind], counts[kind]) for kind in KINDS if counts.get(kind)]
    other = sum(count for kind, count in counts.items() if kind not in KINDS)
    if other:
        ordered.append((OTHER, other))
    return [kind.counted(count) for kind, count in ordered]


def digest_line(notice: Notice, post: Post | None, excerpts: bool) -> DigestLine:
    """One notification: a label and a link, plus an excerpt when the member opted in.

    ``actor_id`` is never read: for a reaction or a report it would name a person.
    """
    kind = KINDS.get(notice.kind, OTHER)
    label = str(kind.line)
    url = notice_url(notice)
    if not excerpts or notice.kind == REMINDER:
        return DigestLine(label, url)
    if notice.kind == MODERATION:
        # Stored in English; a fixed sentence is worded in the reader's language (as in-app).
        text = " ".join((_(notice.text) if notice.text else "").split())
        return DigestLine(label, url, excerpt=shorten(text) if text else None)
    if post is None:
        return DigestLine(label, url)
    if not can_quote_in_digest(post):
        return DigestLine(label, url, note=str(NO_EXCERPT))
    author = byline_of(post).name if kind.names_author else None
    return DigestLine(label, url, author=author, excerpt=excerpt_of(post))


def notice_url(notice: Notice) -> str:
    """The absolute address of what ``notice`` is about (its own link first, as in-app)."""
    if notice.kind == REMINDER:
        return notices_page_url()
    if notice.link and is_safe_local_path(notice.link):
        return site_url(notice.link)
    if notice.post_id is not None:
        return site_url_for("threads.permalink", post_id=notice.post_id)
    if notice.thread_id is not None:
        return site_url_for("threads.show", thread_id=notice.thread_id)
    return notices_page_url()


def notices_page_url() -> str:
    return site_url_for(NOTICES_ENDPOINT)


def settings_url() -> str:
    return site_url_for("digest.email_settings")


def email_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text email to one address (no one else's address is ever on it)."""
    host = sender_host()
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("FORUM_MAIL_FROM") or formataddr(
        (current_app.config["FORUM_NAME"], f"noreply@{host}")
    )
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=host)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{settings_url()}>"
    message.set_content(body)
    return message


def sender_host() -> str:
    """The host name of FORUM_BASE_URL ("localhost" for an IP address)."""
    host = urlsplit(current_app.config["FORUM_BASE_URL"]).hostname or "localhost"
    try:
        ip_address(host)
    except ValueError:
        return host
    return "localhost"
