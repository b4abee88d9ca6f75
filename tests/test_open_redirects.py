"""No route that takes a return address ever sends anyone off the site.

Every place that reads a ``next`` value (or another return target) gets the same corpus of
off-site forms: scheme-relative, backslashes, percent-encoded slashes, ``javascript:``, tab-,
space- and newline-prefixed, and fullwidth slashes. For each answer, the ``Location`` header,
any ``Refresh`` header or ``<meta http-equiv="refresh">`` and every link, form action and
source on the page are resolved against the page's own address the way a browser does
(backslashes count as slashes, tabs and newlines are dropped, leading spaces and control
characters are trimmed) and must stay on this host.

The routes: ``/login`` (the ``next`` form field and ``?next=``, logged in or not, and with text
carried from an ended session), ``/register?next=`` (its "Continue" link after joining),
every moderator action's ``next`` (post, thread, member and content-warning actions),
``/logout`` and ``/break/end`` (which must ignore any ``next``), the login redirect made from a
``Referer`` when a session ended, a notification whose stored link is off-site, and the
footer's language switch (``/language/<code>?next=``).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Notice
from tests.factories import PASSWORD, make_member, make_reply, make_thread

SITE = "http://localhost/"

# A fullwidth solidus is not a slash to a browser: "/／evil.example" is a path on this site,
# so the app may keep it (percent-encoded). Every other payload must fall back to home.
LOCAL_PATHS = {"/\uff0fevil.example"}

OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "////evil.example/path",
    "https://evil.example",
    "https://evil.example/x?y=1",
    "http:/\\evil.example",
    "http:/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%2F%2Fevil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "%252F%252Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%5C%5Cevil.example",
    "/%09/evil.example",
    "%09//evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    " //evil.example",
    "  https://evil.example",
    "\n//evil.example",
    "/\r\n/evil.example",
    "\x00//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\uff0f\uff0fevil.example",  # fullwidth solidus
    "/\uff0fevil.example",
    "\uff3c\uff3cevil.example",  # fullwidth reverse solidus
    "https:\uff0f\uff0fevil.example",
    "\u2215\u2215evil.example",  # division slash
    "//evil.example@localhost",
    "http://localhost@evil.example",
    "//localhost.evil.example",
    "evil.example",
    "@evil.example",
]


class _Links(HTMLParser):
    """Collects every URL a browser could follow or load from a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "src", "action", "formaction", "srcset", "poster", "data"):
            if values.get(name) is not None:
                self.urls.append(values[name])
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.urls.append(_refresh_target(values.get("content") or ""))


def _refresh_target(content: str) -> str:
    match = re.search(r"url\s*=\s*['\"]?([^'\"]*)", content, re.IGNORECASE)
    return match.group(1) if match else ""


def browser_resolves(base: str, url: str) -> str:
    """``url`` resolved against ``base`` (http or https) as the WHATWG URL parser does for
    these cases: tabs and newlines dropped, spaces and controls trimmed, ``\\`` read as ``/``,
    any run of two or more leading slashes starting a host, and ``https:host`` naming one."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(chr(c) for c in range(0x21)))
    cleaned = cleaned.replace("\\", "/")
    base_scheme = urlsplit(base).scheme
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    if scheme:
        name, rest = scheme.group(1).lower(), cleaned[scheme.end() :]
        if name not in ("http", "https"):
            return cleaned
        if name != base_scheme or rest.startswith("//"):
            return f"{name}://{rest.lstrip('/')}"
        cleaned = rest
    if cleaned.startswith("//"):
        return f"{base_scheme}://{cleaned.lstrip('/')}"
    return urljoin(base, cleaned)


def on_site(base: str, url: str) -> bool:
    resolved = urlsplit(browser_resolves(base, url))
    return resolved.scheme in ("http", "https") and resolved.hostname == "localhost"


def assert_stays_on_site(response, payload: str):
    """The answer's redirect, refresh and every link on its page stay on this host."""
    base = response.request.url if response.request else SITE
    assert response.status_code < 500, f"{payload!r}: {response.status_code}"
    location = response.headers.get("Location")
    if location is not None:
        assert on_site(base, location), f"{payload!r} redirected to {location!r}"
    refresh = response.headers.get("Refresh")
    if refresh is not None:
        assert on_site(base, _refresh_target(refresh)), f"{payload!r} refreshes to {refresh!r}"
    if response.mimetype == "text/html":
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        off = [url for url in parser.urls if not _harmless(url) and not on_site(base, url)]
        assert not off, f"{payload!r}: the page links off-site: {off}"


def _harmless(url: str) -> bool:
    """Links that leave the site by design and cannot carry the payload (crisis lines)."""
    return url.startswith(("tel:", "sms:", "mailto:")) and "evil" not in url


def test_the_checker_itself_catches_every_payload_as_off_site():
    for payload in OFF_SITE:
        if payload in ("evil.example", "@evil.example") or payload in LOCAL_PATHS:
            continue  # these are relative paths on the site: harmless as links
        if payload.startswith(("%", "/%")) or "\uff0f" in payload or "\uff3c" in payload:
            continue  # encoded or fullwidth: only dangerous if the app decodes them
        if payload.startswith("\u2215") or payload == "//evil.example@localhost":
            continue
        assert not on_site(SITE + "login", payload), payload
    assert on_site(SITE + "login", "/b/anxiety")
    assert on_site(SITE + "t/1", "?page=2")


def test_language_switch_returns_only_to_this_site(client):
    for payload in OFF_SITE:
        response = client.get("/language/es", query_string={"next": payload})
        assert response.status_code == 302
        assert_stays_on_site(response, payload)
        if payload not in LOCAL_PATHS:
            assert response.headers["Location"] == "/", payload


@pytest.fixture
def member(app):
    with app.app_context():
        make_member("river_stone")


def test_login_form_next_never_leads_off_site(app, client, member):
    for payload in OFF_SITE:
        response = client.post(
            "/login",
            query_string={"next": payload},
            data={"handle": "river_stone", "password": PASSWORD, "next": payload},
        )
        assert response.status_code == 302, payload
        if payload not in LOCAL_PATHS:
            assert response.headers["Location"] == "/", payload
        assert_stays_on_site(response, payload)
        client.post("/logout")


def test_login_page_with_next_links_only_on_site(app, client, member):
    for payload in OFF_SITE:
        response = client.get("/login", query_string={"next": payload})
        assert response.status_code == 200
        assert "Log in" in response.get_data(as_text=True)
        assert_stays_on_site(response, payload)


def test_a_member_already_logged_in_is_sent_home_not_to_next(app, client, auth, member):
    auth.login()
    for payload in OFF_SITE:
        response = client.get("/login", query_string={"next": payload})
        assert response.status_code == 302, payload
        if payload not in LOCAL_PATHS:
            assert response.headers["Location"] == "/", payload
        assert_stays_on_site(response, payload)


def test_text_carried_through_login_is_never_sent_off_site(app, client, member):
    for payload in OFF_SITE:
        response = client.post(
            "/login",
            data={
                "handle": "river_stone",
                "password": PASSWORD,
                "next": payload,
                "carried_title": "A title",
                "carried_body": "Words I wrote",
            },
        )
        assert_stays_on_site(response, payload)
        client.post("/logout")


def test_registration_continue_link_stays_on_site(app):
    for number, payload in enumerate(OFF_SITE):
        client = app.test_client()
        page = client.get("/register", query_string={"next": payload})
        assert_stays_on_site(page, payload)
        response = client.post(
            "/register",
            query_string={"next": payload},
            data={
                "handle": f"joiner_{number}",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "accept_guidelines": "y",
            },
        )
        text = response.get_data(as_text=True)
        assert "Keep this recovery code somewhere safe" in text, payload
        if payload not in LOCAL_PATHS:
            assert 'class="button" href="/">Continue</a>' in text, payload
        assert_stays_on_site(response, payload)


@pytest.fixture
def moderated(app):
    """A moderator, a member with a thread and a reply."""
    with app.app_context():
        make_member("keeper", role="moderator")
        author = make_member("author_one")
        thread = make_thread(author, title="Evenings", body="Opening words")
        reply = make_reply(author, thread, "Words under review")
        return {"thread": thread.id, "post": reply.id}


def test_every_moderator_action_next_stays_on_site(app, login_as, moderated):
    keeper = login_as("keeper")
    post, thread = moderated["post"], moderated["thread"]
    for number, payload in enumerate(OFF_SITE):
        warning = "grief" if number % 2 == 0 else ""
        actions = [
            (f"/mod/posts/{post}/approve", {}),
            (f"/mod/threads/{thread}/lock", {}),
            (f"/mod/threads/{thread}/unlock", {}),
            ("/mod/users/author_one/reinstate", {}),
            (f"/mod/posts/{post}/warning", {"content_warning": warning, "reason": "care"}),
        ]
        for url, data in actions:
            response = keeper.post(url, data={"next": payload, **data})
            assert response.status_code == 302, (url, payload, response.status_code)
            assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")
            assert_stays_on_site(response, payload)


def test_logout_and_break_end_ignore_any_next(app, client, auth, member):
    for payload in OFF_SITE[:12]:
        auth.login()
        response = client.post("/logout", query_string={"next": payload}, data={"next": payload})
        assert response.headers["Location"] == "/", payload
        assert_stays_on_site(response, payload)
        response = client.post("/break/end", query_string={"next": payload}, data={"next": payload})
        assert response.headers["Location"] == "/login", payload
        assert_stays_on_site(response, payload)


@pytest.mark.parametrize(
    "referrer",
    [
        "https://evil.example/b/anxiety",
        "http://localhost//evil.example",
        "http://localhost/\\evil.example",
        "http://localhost/%2F%2Fevil.example",
        "http://evil.example@localhost//evil.example",
    ],
)
def test_a_form_sent_after_the_session_ended_returns_only_to_this_site(client, referrer):
    response = client.post("/notifications/read-all", headers={"Referer": referrer})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    assert_stays_on_site(response, referrer)
    login = client.get(location)
    assert_stays_on_site(login, referrer)


def test_a_notification_with_an_off_site_link_opens_the_notifications_page(
    app, client, auth, member
):
    auth.login()
    with app.app_context():
        member_id = db.session.execute(select(Member.id)).scalar_one()
        # Links are written by the app; PostgreSQL could not even store a NUL in one.
        stored = [payload for payload in OFF_SITE if "\x00" not in payload]
        notices = [Notice(member_id=member_id, link=payload) for payload in stored]
        db.session.add_all(notices)
        db.session.commit()
        opened = [(notice.id, notice.link) for notice in notices]
    for notice_id, payload in opened:
        response = client.get(f"/notifications/{notice_id}")
        assert response.status_code == 302
        if payload not in LOCAL_PATHS:
            assert response.headers["Location"] == "/notifications", payload
        assert_stays_on_site(response, payload)
