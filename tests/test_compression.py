"""Gzip in production (forum/compression.py): text shrinks for clients that accept it; images,
small answers and, against BREACH, members' pages asked for by another site stay as they are."""

import gzip

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from forum.compression import GzipMiddleware, accepts_gzip

PAGE = "<p>Calm words, said slowly. </p>" * 60


def app_answering(body=PAGE, mimetype="text/html", **headers):
    def app(environ, start_response):
        response = Response(body, mimetype=mimetype, headers=headers)
        return response(environ, start_response)

    return GzipMiddleware(app)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding_is_read_as_browsers_send_it(header, accepted):
    assert accepts_gzip(header) is accepted


def test_a_page_is_gzipped_for_a_client_that_accepts_it_and_says_it_varies():
    response = Client(app_answering()).get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    packed = response.get_data()
    assert int(response.headers["Content-Length"]) == len(packed) < len(PAGE) / 5
    assert gzip.decompress(packed).decode() == PAGE


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is():
    response = Client(app_answering()).get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True) == PAGE
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize(
    "app",
    [
        app_answering(body=b"\x89PNG" + bytes(2000), mimetype="image/png"),
        app_answering(body="<p>short</p>"),
        app_answering(**{"Content-Encoding": "br"}),
        app_answering(**{"Cache-Control": "no-transform"}),
    ],
    ids=["image", "small", "already encoded", "no-transform"],
)
def test_what_would_not_gain_or_must_not_change_passes_through(app):
    response = Client(app).get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") in (None, "br")


def test_a_strong_etag_becomes_weak_when_the_body_is_compressed():
    app = app_answering(ETag='"abc"')
    response = Client(app).get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["ETag"] == 'W/"abc"'


@pytest.mark.parametrize(
    ("site", "compressed"),
    [
        ("same-origin", True),
        ("none", True),
        ("cross-site", False),
        ("same-site", False),
        (None, False),
    ],
)
def test_a_members_page_is_compressed_only_for_the_forums_own_requests(site, compressed):
    app = app_answering(**{"Cache-Control": "no-store"})
    headers = {"Accept-Encoding": "gzip"} | ({"Sec-Fetch-Site": site} if site else {})
    response = Client(app).get("/", headers=headers)
    assert (response.headers.get("Content-Encoding") == "gzip") is compressed


def test_the_forum_itself_answers_gzip_through_the_middleware(app):
    client = Client(GzipMiddleware(app.wsgi_app))
    page = client.get("/guidelines", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert "Community guidelines" in gzip.decompress(page.get_data()).decode()
    style = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    assert style.headers["Content-Encoding"] == "gzip"
    icon = client.get("/favicon.ico", headers={"Accept-Encoding": "gzip"})
    assert icon.status_code == 200 and "Content-Encoding" not in icon.headers
