"""A forged Host header never reaches a page: anyone can send any Host, and a cookieless page
is cached and served to every later reader. Absolute links (the feeds') come from
FORUM_BASE_URL; every cached page is the same whatever Host (or X-Forwarded-Host behind a
trusted proxy) it was first asked with."""

import re

import pytest

from tests.factories import make_member, make_reply, make_thread

BASE = "https://forum.example.org"
# The views marked @lurker_cacheable (checked against the app below).
CACHED_ENDPOINTS = (
    "boards.index",
    "boards.show",
    "threads.show",
    "threads.permalink",
    "profiles.profile",
    "pages.guidelines",
    "pages.crisis",
    "feeds.site",
    "feeds.board",
    "feeds.thread",
)
FORGED = "evil.example"


@pytest.fixture
def app_config(app_config):
    # One trusted proxy hop, so X-Forwarded-Host is believed too: it must not matter either.
    return {**app_config, "FORUM_BASE_URL": BASE, "FORUM_TRUSTED_PROXIES": 1}


@pytest.fixture
def urls(app) -> dict[str, str]:
    """One URL per cached endpoint, on a thread with a reply."""
    with app.app_context():
        author = make_member("river_stone")
        thread = make_thread(author, title="Mornings are hard")
        reply = make_reply(author, thread, "A reply.")
        return {
            "boards.index": "/",
            "boards.show": "/b/depression",
            "threads.show": f"/t/{thread.id}/{thread.slug}",
            "threads.permalink": f"/p/{reply.id}",
            "profiles.profile": "/u/river_stone",
            "pages.guidelines": "/guidelines",
            "pages.crisis": "/crisis",
            "feeds.site": "/feed.atom",
            "feeds.board": "/b/depression/feed.atom",
            "feeds.thread": f"/t/{thread.id}/feed.atom",
        }


def forged(client, url):
    return client.get(url, headers={"Host": FORGED, "X-Forwarded-Host": FORGED})


def test_the_table_names_every_cached_endpoint(app, urls):
    assert set(urls) == set(CACHED_ENDPOINTS) == app.extensions["page_cache_endpoints"]


@pytest.mark.parametrize("endpoint", sorted(CACHED_ENDPOINTS))
def test_a_page_first_asked_with_a_forged_host_reaches_no_later_reader(app, urls, endpoint):
    url = urls[endpoint]
    poisoned = forged(app.test_client(), url)
    assert poisoned.status_code in (200, 302)
    # Without a cookie the fast lane answers; with one (not a session), Flask's own lane.
    for cookie in ({}, {"Cookie": "theme=dark"}):
        seen = app.test_client().get(url, headers=cookie)
        assert seen.status_code == poisoned.status_code
        assert seen.headers.get("X-Page-Cache") == "hit"
        assert FORGED not in seen.get_data(as_text=True)
        assert FORGED not in str(seen.headers)


@pytest.mark.parametrize("endpoint", sorted(CACHED_ENDPOINTS))
def test_a_cached_page_is_the_same_whatever_host_asked(app, urls, endpoint):
    app.config["FORUM_PAGE_CACHE"] = False
    url = urls[endpoint]
    honest = app.test_client().get(url)
    other = forged(app.test_client(), url)
    assert other.get_data() == honest.get_data()
    assert other.headers.get("Location") == honest.headers.get("Location")


@pytest.mark.parametrize("endpoint", ["feeds.site", "feeds.board", "feeds.thread"])
def test_feed_links_start_with_the_base_url_even_after_a_forged_host(app, urls, endpoint):
    forged(app.test_client(), urls[endpoint])
    text = app.test_client().get(urls[endpoint]).get_data(as_text=True)
    links = re.findall(r'href="([^"]+)"', text) + re.findall(r"<id>([^<]+)</id>", text)
    assert len(links) >= 4
    assert all(link.startswith(BASE + "/") for link in links), links
    assert FORGED not in text
