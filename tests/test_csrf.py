"""CSRF on every POST: forms refuse a missing token and keep what was typed."""

import pytest
from flask import url_for

from forum.crisis.resources import seed_crisis_resources
from forum.extensions import db
from forum.moderation.log import record
from tests.factories import PASSWORD, make_member, make_thread


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


# POST routes without a session-bound CSRF token. Browsers send CSP violation reports on their
# own, with no form to carry a token: the route changes nothing but an in-memory list and a log
# line, takes only JSON report types (a cross-site HTML form cannot send those) and is rate
# limited. The blank safety plan (/safety-plan/blank) is filled in by people without an account
# and must work without a cookie: it stores nothing and only sends back, to whoever sent it,
# what they typed; a post another site made a browser send is refused by its Sec-Fetch-Site or
# Origin header (tested below).
CSRF_EXEMPT = {"csp.report", "safety_plan.blank"}


def post_routes(app):
    """Every rule of the app that accepts POST (bar CSRF_EXEMPT), with sample arguments."""
    samples = {
        "slug": "anxiety",
        "thread_id": 1,
        "post_id": 1,
        "handle": "river_stone",
        "action": "hide",
        "decision": "grant",
        "appeal_id": 1,
        "event_id": 1,
        "resource_id": 1,
        "block_id": 1,
        "choice": "no-reply-wanted",
        "draft_id": 1,
    }
    # Rules whose arguments are a fixed set of words.
    overrides = {
        "care.mute_board": {"action": "mute"},
        "notify.watch_thread": {"action": "watch"},
        "notify.watch_board": {"action": "watch"},
    }
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "POST" in rule.methods and rule.endpoint not in CSRF_EXEMPT:
                arguments = {arg: samples[arg] for arg in rule.arguments}
                arguments.update(overrides.get(rule.endpoint, {}))
                if rule.endpoint == "moderation.report":
                    arguments["post_id"] = 2  # someone else's post: one's own can't be reported
                yield url_for(rule.endpoint, **arguments)


def csrf_token_from(client, url="/login") -> str:
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def log_in_with_token(client):
    client.post(
        "/login",
        data={"handle": "river_stone", "password": PASSWORD, "csrf_token": csrf_token_from(client)},
    )


def test_every_post_route_refuses_a_request_without_a_token(app, client):
    with app.app_context():
        # An admin, so that every route is open to them and only the token is missing.
        member = make_member(role="admin")
        make_thread(member)
        make_thread(make_member("someone_else"))
        seed_crisis_resources()  # so /admin/crisis/1/... exists
        # A moderator's decision about river_stone, so /appeal/1 exists for them.
        record(
            make_member("a_moderator", role="moderator"),
            "silence",
            subject_id=member.id,
            reason="test",
        )
        db.session.commit()
    log_in_with_token(client)
    assert "Log out" in client.get("/").get_data(as_text=True)
    routes = list(post_routes(app))
    assert {
        "/logout",
        "/register",
        "/login",
        "/t/1/reply",
        "/p/1/edit",
        "/p/1/delete",
        "/b/anxiety/new",
    } <= set(routes)
    lurker = app.test_client()
    for route in routes:
        # Login and registration are for lurkers; members are sent home from them.
        sender = lurker if route in ("/login", "/register") else client
        response = sender.post(route, data={"body": "words", "title": "A title"})
        assert response.status_code == 400, route
    assert "Log out" in client.get("/").get_data(as_text=True)  # logout was refused too


def test_the_exempt_route_refuses_what_a_cross_site_form_can_send(app):
    assert set(app.view_functions) >= CSRF_EXEMPT
    lurker = app.test_client()
    # What a cross-site HTML form can send (urlencoded, multipart, text/plain) is refused.
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain"):
        sent = lurker.post("/csp-report", data="{}", content_type=content_type)
        assert sent.status_code == 415, content_type
    assert list(app.extensions["csp_reports"]) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.localhost"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
    ids=["cross-site", "same-site", "origin-only", "null-origin"],
)
def test_the_blank_safety_plan_refuses_what_another_site_sends(app, headers):
    sent = app.test_client().post(
        "/safety-plan/blank",
        data={"helpers": "Call 0800 000 000, a number someone else chose", "output": "print"},
        headers=headers,
    )
    text = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert "This form was sent from another site" in text
    assert "someone else chose" not in text


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, {}],
    ids=["same-origin", "no-browser-headers"],
)
def test_the_blank_safety_plan_answers_its_own_pages_without_a_cookie(app, headers):
    lurker = app.test_client()
    sent = lurker.post(
        "/safety-plan/blank",
        data={"helpers": "Call my friend Jo on 07700 900456", "output": "print"},
        headers=headers,
    )
    assert sent.status_code == 200
    assert "07700 900456" in sent.get_data(as_text=True)
    assert "Set-Cookie" not in sent.headers


def test_login_without_a_token_is_refused_beside_the_form(app, client):
    with app.app_context():
        make_member()
    response = client.post("/login", data={"handle": "river_stone", "password": PASSWORD})
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_new_thread_with_an_expired_token_keeps_the_text(app, client):
    with app.app_context():
        make_member()
    log_in_with_token(client)
    response = client.post(
        "/b/anxiety/new",
        data={"title": "My title", "body": "Words I must not lose", "csrf_token": "stale-token"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form expired or could not be checked" in text
    assert "Words I must not lose" in text
    assert 'value="My title"' in text


def test_forms_with_a_valid_token_go_through(app, client):
    with app.app_context():
        make_member()
    response = client.post(
        "/login",
        data={"handle": "river_stone", "password": PASSWORD, "csrf_token": csrf_token_from(client)},
        follow_redirects=True,
    )
    assert "Log out" in response.get_data(as_text=True)


def test_templates_take_the_csrf_field_from_one_macro():
    """A form's CSRF input is written once (templates/_controls.html): ``csrf_field()``,
    ``post_button()`` or a Flask-WTF form's own ``form.csrf_token``, never by hand."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    written_by_hand = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.name != "_controls.html" and 'name="csrf_token"' in path.read_text()
    ]
    assert written_by_hand == []
