"""The words of a digest email: counts by kind, one line per notification, the message itself.

Call these inside ``site_context()`` (bylines use url_for); links are absolute, on
FORUM_BASE_URL (``forum.web.site_url_for``).
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import current_app

from forum.digest.excerpts import excerpt_of, shorten
from forum.display import byline_of
from forum.models import Notice, Post
from forum.policy import can_quote_in_digest
from forum.web import is_safe_local_path, site_url, site_url_for

# The kind of the notices moderators send: the only ones quiet mode lets through.
MODERATION = "notice"
# A reminder the member asked for (forum.safety_plan): an email says no more than that, and
# links to the notifications page, never to what it is about (an inbox may be shared).
REMINDER = "reminder"
NOTICES_ENDPOINT = "notify.notifications"
NO_EXCERPT = "No excerpt for this one: open the forum to read it."


@dataclass(frozen=True)
class Kind:
    """How a digest words one kind of notification: counted, and as a line of the list."""

    one: str
    many: str
    line: str
    # The notified post is someone else's, so an excerpt may say whose (public byline).
    names_author: bool = False


KINDS = {
    "reply": Kind("reply to you", "replies to you", "A reply to you", True),
    "mention": Kind("mention of you", "mentions of you", "A mention of you", True),
    "thread": Kind(
        "new reply in a thread you follow",
        "new replies in threads you follow",
        "A new reply in a thread you follow",
        True,
    ),
    "board_thread": Kind(
        "new thread on a board you follow",
        "new threads on boards you follow",
        "A new thread on a board you follow",
        True,
    ),
    "reaction": Kind(
        "note of support on your posts", "notes of support on your posts", "Support on your post"
    ),
    MODERATION: Kind(
        "message from the moderators",
        "messages from the moderators",
        "A message from the moderators",
    ),
    REMINDER: Kind("reminder you asked for", "reminders you asked for", "A reminder you asked for"),
}
OTHER = Kind("other notification", "other notifications", "A notification")


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
    return [f"{count} {kind.one if count == 1 else kind.many}" for kind, count in ordered]


def digest_line(notice: Notice, post: Post | None, excerpts: bool) -> DigestLine:
    """One notification: a label and a link, plus an excerpt when the member opted in.

    ``actor_id`` is never read: for a reaction or a report it would name a person.
    """
    kind = KINDS.get(notice.kind, OTHER)
    url = notice_url(notice)
    if not excerpts or notice.kind == REMINDER:
        return DigestLine(kind.line, url)
    if notice.kind == MODERATION:
        text = " ".join((notice.text or "").split())
        return DigestLine(kind.line, url, excerpt=shorten(text) if text else None)
    if post is None:
        return DigestLine(kind.line, url)
    if not can_quote_in_digest(post):
        return DigestLine(kind.line, url, note=NO_EXCERPT)
    author = byline_of(post).name if kind.names_author else None
    return DigestLine(kind.line, url, author=author, excerpt=excerpt_of(post))


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
