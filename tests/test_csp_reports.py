"""POST /csp-report: browsers' violation reports are accepted in both formats, kept in memory,
logged without anything personal, and refused when too large, malformed or of another type."""

import http.client
import json
import logging
import threading

import pytest
from werkzeug.serving import make_server

from forum.csp.reports import Violation, blocked_kind

SECRET_QUERY = "q=my+sister+died+Kx81"
SECRET_PATH = "/t/7/i-cannot-sleep-since-Rw52"
LEVEL2 = {
    "csp-report": {
        "document-uri": f"http://127.0.0.1{SECRET_PATH}?{SECRET_QUERY}",
        "referrer": f"http://127.0.0.1/search?{SECRET_QUERY}",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 3,
        "script-sample": "alert('Pw19')",
        "status-code": 200,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": f"http://127.0.0.1{SECRET_PATH}",
        "user_agent": "Chromium",
        "body": {
            "documentURL": f"http://127.0.0.1{SECRET_PATH}?{SECRET_QUERY}",
            "blockedURL": "https://evil.example/steal?cookie=Zq37",
            "effectiveDirective": "img-src",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "something-else"}},
]


def send(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/csp-report", data=data, content_type=content_type)


def kept(app) -> list[Violation]:
    return list(app.extensions["csp_reports"])


def test_the_policy_names_the_report_endpoint(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "report-uri /csp-report" in policy
    assert "script-src 'self'" in policy


def test_a_level_2_report_is_kept_and_logged_as_directive_and_kind_only(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    response = send(client, LEVEL2)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert kept(app) == [Violation("script-src-elem", "inline", "enforce")]
    lines = [r.getMessage() for r in caplog.records if "csp violation" in r.getMessage()]
    assert lines == ["csp violation directive=script-src-elem blocked=inline disposition=enforce"]
    everything = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Kx81", "Rw52", "sister", "Pw19", "alert"):
        assert secret not in everything


def test_a_reporting_api_list_keeps_its_csp_violations_as_schemes(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    assert send(client, REPORTING_API, "application/reports+json").status_code == 204
    assert kept(app) == [Violation("img-src", "https", "enforce")]
    assert "evil.example" not in caplog.text and "Zq37" not in caplog.text
    assert "csp violation directive=img-src blocked=https" in caplog.text


def test_plain_json_is_accepted_in_either_format(app, client):
    assert send(client, LEVEL2, "application/json").status_code == 204
    assert send(client, REPORTING_API, "application/json; charset=utf-8").status_code == 204
    assert [v.directive for v in kept(app)] == ["script-src-elem", "img-src"]


def test_an_old_browsers_whole_directive_is_reduced_to_its_name(app, client):
    report = {"csp-report": {"violated-directive": "script-src 'self'", "blocked-uri": "eval"}}
    assert send(client, report).status_code == 204
    assert kept(app) == [Violation("script-src", "eval", "enforce")]


def test_junk_in_the_fields_is_not_kept_or_logged(app, client, caplog):
    report = {
        "csp-report": {
            "effective-directive": "<script>alert(1)</script>",
            "blocked-uri": "javascript\nalert(1)",
            "disposition": "<b>",
        }
    }
    assert send(client, report).status_code == 204
    assert kept(app) == [Violation("unknown", "unknown", "enforce")]
    assert "alert" not in caplog.text


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("inline", "inline"),
        ("eval", "eval"),
        ("data:text/html,<script>", "data"),
        ("blob:http://127.0.0.1/uuid", "blob"),
        ("HTTP://Example.org/a?b=c", "http"),
        ("", "none"),
        (None, "none"),
        (42, "none"),
        ("example.org/path", "unknown"),
    ],
)
def test_a_blocked_uri_is_reduced_to_a_keyword_or_scheme(value, kind):
    assert blocked_kind(value) == kind


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"",
        b"[]",
        b'"a string"',
        b'{"csp-report": "not an object"}',
        b'[{"type": "deprecation", "body": {}}]',
        b'{"something": "else"}',
    ],
)
def test_a_body_that_is_not_a_report_is_refused(app, client, body):
    assert send(client, body).status_code == 400
    assert kept(app) == []


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "text/html"],
)
def test_another_content_type_is_refused(app, client, content_type):
    assert send(client, LEVEL2, content_type).status_code == 415
    assert kept(app) == []


def test_a_report_over_64_kb_is_refused(app, client):
    huge = {"csp-report": {**LEVEL2["csp-report"], "script-sample": "x" * 70_000}}
    response = send(client, huge)
    assert response.status_code == 413
    assert kept(app) == []
    just_under = {"csp-report": {**LEVEL2["csp-report"], "script-sample": "x" * 60_000}}
    assert send(client, just_under).status_code == 204


def test_a_chunked_report_over_64_kb_is_refused_without_a_length(app):
    """Over real HTTP with no Content-Length: the endpoint counts the bytes itself."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        statuses = []
        for size in (70_000, 100):
            body = json.dumps({"csp-report": {**LEVEL2["csp-report"], "script-sample": "x" * size}})
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            chunks = (body[i : i + 4096].encode() for i in range(0, len(body), 4096))
            connection.request(
                "POST",
                "/csp-report",
                body=chunks,
                headers={"Content-Type": "application/csp-report"},
                encode_chunked=True,
            )
            statuses.append(connection.getresponse().status)
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert statuses == [413, 204]
    assert kept(app) == [Violation("script-src-elem", "inline", "enforce")]


def test_only_the_last_100_reports_are_kept(app, client):
    for number in range(105):
        report = {"csp-report": {"effective-directive": "img-src", "blocked-uri": f"s{number}:x"}}
        assert send(client, report).status_code == 204
    reports = kept(app)
    assert len(reports) == 100
    assert reports[0].blocked == "s5" and reports[-1].blocked == "s104"


def test_a_report_needs_no_csrf_token_and_no_login(app):
    app.config["WTF_CSRF_ENABLED"] = True
    lurker = app.test_client()
    assert send(lurker, LEVEL2).status_code == 204
    # The CSRF check is still on for everything else.
    assert lurker.post("/logout").status_code == 400


@pytest.fixture
def limited_app(app_config):
    from forum import create_app

    return create_app(
        {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "FORUM_LIMIT_CSP_REPORTS": "3 per minute",
        }
    )


def test_reports_are_rate_limited_per_address(limited_app):
    client = limited_app.test_client()
    here = {"REMOTE_ADDR": "10.9.0.1"}
    statuses = [
        client.post(
            "/csp-report",
            data=json.dumps(LEVEL2),
            content_type="application/csp-report",
            environ_base=here,
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [204, 204, 204, 429]
    assert len(limited_app.extensions["csp_reports"]) == 3
    elsewhere = client.post(
        "/csp-report",
        data=json.dumps(LEVEL2),
        content_type="application/csp-report",
        environ_base={"REMOTE_ADDR": "10.9.0.2"},
    )
    assert elsewhere.status_code == 204


def test_the_limit_defaults_to_60_a_minute(app):
    assert app.config["FORUM_LIMIT_CSP_REPORTS"] == "60 per minute"
