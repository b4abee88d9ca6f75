"""Security headers on every response, walked over the URL map so no route is missed."""

import re

import pytest
from flask import url_for

from forum.security import CONTENT_SECURITY_POLICY
from tests.factories import make_member, make_reply, make_thread

SAMPLES = {
    "slug": "anxiety",
    "thread_id": 1,
    "post_id": 2,
    "handle": "writer_one",
    "filename": "style.css",
    "notice_id": 1,
    "event_id": 1,
    "appeal_id": 1,
    "action": "hide",
    "decision": "grant",
    "resource_id": 1,
    "block_id": 1,
    "draft_id": 1,
    "choice": "no-reply-wanted",
    "code": "es",
}
FIXED = {
    "care.mute_board": {"action": "mute"},
    "notify.watch_thread": {"action": "watch"},
    "notify.watch_board": {"action": "watch"},
}


def every_get_url(app):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            arguments = {name: SAMPLES[name] for name in rule.arguments}
            arguments.update(FIXED.get(rule.endpoint, {}))
            yield url_for(rule.endpoint, **arguments)


@pytest.fixture
def content(app):
    with app.app_context():
        writer = make_member("writer_one")
        thread = make_thread(writer)
        make_reply(make_member("other_one"), thread, "reply")


def assert_protected(response, url):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer"), url  # search: stricter
    assert "camera=()" in headers["Permissions-Policy"], url
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_every_response_carries_the_headers(app, content, login_as):
    urls = list(every_get_url(app))
    assert len(urls) > 30
    for client in (app.test_client(), login_as("writer_one")):
        for url in urls + ["/nowhere", "/t/999999"]:
            assert_protected(client.get(url), url)
    # Redirects and POST answers too.
    member = login_as("writer_one")
    assert_protected(member.post("/logout"), "/logout")


def test_logged_in_pages_are_never_stored_but_lurker_pages_may_be(app, content, login_as):
    assert login_as("writer_one").get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in app.test_client().get("/").headers.get("Cache-Control", "")


def test_hsts_only_under_https(app, content):
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    app.config["FORUM_HTTPS"] = True
    assert "max-age=31536000" in app.test_client().get("/").headers["Strict-Transport-Security"]


def test_no_page_has_inline_script_or_style(app, content, login_as):
    member = login_as("writer_one")
    for url in every_get_url(app):
        response = member.get(url)
        if response.mimetype.startswith("image/"):
            continue  # the favicon: pictures hold no markup
        text = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), url
        assert " style=" not in text and "<style" not in text, url
        assert not re.search(r"\son[a-z]+\s*=", text), url
