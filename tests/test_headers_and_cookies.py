"""The security headers on the answers test_security_headers' URL walk does not reach (error
pages for 405, 400 CSRF, 413, 429, a missing static file; redirects; 304s; fingerprinted
static files; feeds), and the session and remember cookies: HttpOnly, SameSite=Lax, and under
FORUM_HTTPS=1 Secure with the __Host- prefix; a new session at login."""

import re

import pytest
from flask import url_for

from tests.factories import PASSWORD, make_member, make_thread
from tests.test_security_headers import assert_protected


@pytest.fixture
def thread_id(app):
    with app.app_context():
        return make_thread(make_member("writer_one"), "Evenings", "Opening words.").id


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_error_pages_carry_the_headers_and_say_what_happened(app, thread_id):
    client = app.test_client()
    cases = [
        (client.get("/logout"), 405, "That action isn&#39;t available here"),
        (client.get("/static/no-such-file.css"), 404, "We couldn&#39;t find that page"),
        (client.post("/login", data={"x": "y" * (3 * 1024 * 1024)}), 413, "too large to send"),
    ]
    app.config["WTF_CSRF_ENABLED"] = True
    cases.append((client.post("/logout"), 400, "This form has expired"))  # the global check
    stale = client.post("/login", data={"handle": "a", "password": "b"})  # the form's own check
    cases.append((stale, 400, "Log in"))
    for response, status, words in cases:
        assert response.status_code == status
        assert words in text_of(response), status
        assert_protected(response, str(status))


@pytest.fixture
def limited_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    return app_config


def test_an_unexpected_error_and_an_options_answer_carry_the_headers(app):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as production does, with the 500 page
    client = app.test_client()
    failed = client.get("/broken-for-test")
    assert failed.status_code == 500
    assert "Something went wrong on our side" in text_of(failed)
    assert "a bug" not in text_of(failed)
    assert_protected(failed, "500")
    options = client.options("/")
    assert options.status_code == 200 and "GET" in options.headers["Allow"]
    assert_protected(options, "OPTIONS /")


def test_the_too_many_requests_page_carries_the_headers(limited_config, app):
    client = app.test_client()
    statuses = [client.post("/login", data={"handle": "x", "password": "y"}) for _ in range(11)]
    blocked = statuses[-1]
    assert [r.status_code for r in statuses[:10]] == [400] * 10
    assert blocked.status_code == 429
    assert "Please slow down for a moment" in text_of(blocked)
    assert_protected(blocked, "429")


def test_redirects_conditional_answers_static_files_and_feeds_carry_the_headers(app, thread_id):
    client = app.test_client()
    with app.app_context():
        make_member("reader_two")
    to_login = client.get("/settings/password")
    assert to_login.status_code == 302 and "/login" in to_login.headers["Location"]
    assert_protected(to_login, "redirect to login")
    logged_in = client.post("/login", data={"handle": "reader_two", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert_protected(logged_in, "redirect after login")
    client.post("/logout")

    with app.test_request_context():
        fingerprinted = url_for("static", filename="style.css")
    assert "?v=" in fingerprinted
    for url in ("/static/style.css", fingerprinted):
        response = client.get(url)
        assert response.status_code == 200 and "text/css" in response.content_type
        assert_protected(response, url)
        if response.headers.get("ETag"):
            again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
            assert again.status_code == 304
            assert_protected(again, f"{url} (304)")
    assert "immutable" in client.get(fingerprinted).headers["Cache-Control"]

    for url in ("/feed.atom", "/b/depression/feed.atom", f"/t/{thread_id}/feed.atom"):
        feed = client.get(url)
        assert feed.status_code == 200 and "atom" in feed.content_type, url
        assert "Evenings" in text_of(feed), url
        assert_protected(feed, url)


def cookie_attributes(response, name: str) -> dict:
    """The attributes of the Set-Cookie header for ``name`` (lower-case keys)."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            parts = [part.strip() for part in header.split(";")]
            attributes = {"value": parts[0].split("=", 1)[1]}
            for part in parts[1:]:
                key, _, value = part.partition("=")
                attributes[key.lower()] = value or True
            return attributes
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def log_in_remembered(client):
    return client.post(
        "/login", data={"handle": "reader_two", "password": PASSWORD, "remember": "y"}
    )


def test_cookies_are_httponly_and_samesite_lax(app):
    with app.app_context():
        make_member("reader_two")
    response = log_in_remembered(app.test_client())
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        cookie = cookie_attributes(response, name)
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name
        assert "secure" not in cookie, name  # plain HTTP (make run): a Secure cookie would vanish
        assert cookie["path"] == "/", name


@pytest.fixture
def https_config(app_config, monkeypatch):
    monkeypatch.setenv("FORUM_HTTPS", "1")
    return app_config


def test_under_https_cookies_are_secure_host_only_and_prefixed(https_config, app):
    with app.app_context():
        make_member("reader_two")
    client = app.test_client()
    response = client.post(
        "/login",
        data={"handle": "reader_two", "password": PASSWORD, "remember": "y"},
        base_url="https://forum.example",  # as the browser sees it
    )
    assert response.status_code == 302
    for name in ("__Host-session", "__Host-remember_token"):
        cookie = cookie_attributes(response, name)
        # What browsers demand of a __Host- cookie: Secure, Path=/, no Domain.
        assert cookie["secure"] is True and cookie["path"] == "/" and "domain" not in cookie
        assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    page = client.get("/", base_url="https://forum.example")
    assert "Log out" in text_of(page)  # the prefixed cookies do keep the member logged in


def test_logging_in_starts_a_new_session(app):
    """A session cookie from before login (one an attacker could have planted) stays a
    logged-out session: logging in issues a different one."""
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        make_member("reader_two")
    client = app.test_client()
    login_page = client.get("/login")
    before = cookie_attributes(login_page, "session")["value"]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(login_page))
    response = client.post(
        "/login", data={"handle": "reader_two", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    after = cookie_attributes(response, "session")["value"]
    assert after != before
    assert "Log out" in text_of(client.get("/"))

    planted = app.test_client()
    planted.set_cookie("session", before)
    page = text_of(planted.get("/"))
    assert "Log out" not in page and "Log in" in page
    # The pre-login session's CSRF token is not carried into the new session either.
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        assert serializer.loads(before).get("csrf_token") != serializer.loads(after).get(
            "csrf_token"
        )
