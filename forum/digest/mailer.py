"""Sending email: read FORUM_SMTP_URL, open one SMTP connection, hand it messages.

``smtp://host[:port]`` talks plain SMTP (port 25; meant for a relay on the same machine),
``smtps://user:password@host[:port]`` uses TLS from the start (port 465) and
``smtp+starttls://user:password@host[:port]`` upgrades with STARTTLS (port 587). A user name
and password, when given, are percent-decoded and used to log in.
"""

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

PLAIN, TLS, STARTTLS = "plain", "tls", "starttls"
SCHEMES = {"smtp": (PLAIN, 25), "smtps": (TLS, 465), "smtp+starttls": (STARTTLS, 587)}
TIMEOUT_SECONDS = 30
BAD_URL = (
    "FORUM_SMTP_URL must look like smtp://host:port, smtps://user:password@host:465 "
    "or smtp+starttls://user:password@host:587."
)


class AddressRefused(Exception):
    """The mail server refused this message's recipient; other messages may still go."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send: parsed from FORUM_SMTP_URL (the password is never printed)."""

    security: str
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpServer:
    """The server named by ``url``; ValueError (without echoing the URL) when it is not one."""
    parts = urlsplit((url or "").strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise ValueError(BAD_URL)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(BAD_URL) from None
    security, default_port = SCHEMES[scheme]
    return SmtpServer(
        security=security,
        host=parts.hostname,
        port=port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


@contextmanager
def smtp_connection(url: str, timeout: float = TIMEOUT_SECONDS) -> Iterator[smtplib.SMTP]:
    """An open, logged-in connection to the server of ``url``, closed afterwards."""
    server = parse_smtp_url(url)
    if server.security == TLS:
        context = ssl.create_default_context()
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=timeout)
    try:
        if server.security == STARTTLS:
            connection.starttls(context=ssl.create_default_context())
        if server.username:
            connection.login(server.username, server.password or "")
        yield connection
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


def send_message(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """Send one message; AddressRefused when the server will not take its recipient."""
    try:
        connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        raise AddressRefused(str(refused)) from None
