"""Every page: layout, crisis link, privacy (noindex, no third parties), error pages."""

import re

import html5lib
import pytest

from tests.factories import make_member, make_reply, make_thread


@pytest.fixture
def populated(app):
    with app.app_context():
        member = make_member("page_walker")
        thread = make_thread(member)
        reply = make_reply(member, thread, "a reply")
        return {"thread": thread.id, "post": reply.id}


def public_pages(ids):
    return [
        "/",
        "/b/depression",
        f"/t/{ids['thread']}",
        "/u/page_walker",
        "/guidelines",
        "/crisis",
        "/login",
        "/register",
        "/t/999999",
        "/b/nope",
    ]


def test_every_page_has_the_header_and_the_crisis_link(client, populated):
    for url in public_pages(populated):
        text = client.get(url).get_data(as_text=True)
        assert '<a class="site-name" href="/">Test Forum</a>' in text, url
        assert 'href="/crisis"><strong>Need help now?</strong>' in text, url


def test_pages_are_not_indexed_by_default(client, populated):
    for url in public_pages(populated):
        assert '<meta name="robots" content="noindex' in client.get(url).get_data(as_text=True)
    robots = client.get("/robots.txt")
    assert robots.get_data(as_text=True) == "User-agent: *\nDisallow: /\n"


def test_indexing_can_be_allowed(app, client):
    app.config["FORUM_ALLOW_INDEXING"] = True
    assert "noindex" not in client.get("/").get_data(as_text=True)
    assert "Allow: /" in client.get("/robots.txt").get_data(as_text=True)


def test_no_page_loads_anything_from_another_site(client, populated):
    for url in public_pages(populated):
        text = client.get(url).get_data(as_text=True)
        assets = re.findall(
            r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?"
            r'(?:src|href)="([^"]+)"',
            text,
        )
        assert all(asset.startswith("/") for asset in assets), (url, assets)


def test_crisis_page_lists_resources_from_the_shipped_file(client):
    text = client.get("/crisis").get_data(as_text=True)
    assert "<h1>Need help now?</h1>" in text
    assert "Emergency services" in text
    assert "Samaritans" in text


def test_crisis_resources_can_come_from_an_operators_file(app, client, tmp_path):
    from forum.pages.content import crisis_resources

    own = tmp_path / "crisis.json"
    own.write_text(
        '{"intro": "Local help.", "resources": [{"name": "Town Helpline", '
        '"region": "Our town", "how": "Call 0100", "hours": "Evenings", "url": null}]}'
    )
    app.config["FORUM_CRISIS_RESOURCES_FILE"] = str(own)
    text = client.get("/crisis").get_data(as_text=True)
    crisis_resources.cache_clear()
    assert "Town Helpline" in text
    assert "Samaritans" not in text


def test_guidelines_page_shows_the_shipped_text(client):
    text = client.get("/guidelines").get_data(as_text=True)
    assert "Our community guidelines" in text
    assert "Be kind" in text


@pytest.mark.parametrize(
    "url",
    [
        "/t/999999",
        "/t/abc",
        "/t/0",
        "/t/-1",
        "/p/99999999999999999999999",
        "/p/x/edit",
        "/b/does-not-exist",
        "/u/nobody_at_all",
        "/t/99999999999999999999/slug",
        "/nowhere",
        "/b/depression/new/extra",
    ],
)
def test_unknown_things_get_the_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "We couldn&#39;t find that page" in text or "couldn't find that page" in text
    assert "Need help now?" in text


def test_a_page_beyond_the_thread_is_a_404(client, populated):
    assert client.get(f"/t/{populated['thread']}?page=7").status_code == 404


def test_a_forged_board_cursor_is_a_clear_400(client):
    for cursor in ["garbage", "1.2.3", "2.20260101000000000000.1", "0.x.1", "0." + "9" * 90]:
        response = client.get(f"/b/depression?cursor={cursor}")
        assert response.status_code == 400
        assert "That page link is not valid" in response.get_data(as_text=True)


def test_wrong_method_gets_the_405_page_in_layout(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Need help now?" in response.get_data(as_text=True)


def test_server_errors_get_the_500_page_in_layout(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong on our side" in text
    assert "Need help now?" in text


def test_rate_limit_page_is_in_layout(app, client):
    from flask import abort

    @app.get("/too-many")
    def too_many():
        abort(429)

    response = client.get("/too-many")
    assert response.status_code == 429
    assert "Please slow down for a moment" in response.get_data(as_text=True)


def test_health_check_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_stylesheet_has_dark_mode_and_is_served_locally(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "prefers-color-scheme: dark" in css
    assert "@import" not in css and "url(http" not in css


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e3", "99999999999999999999999", "٣"])
def test_impossible_page_numbers_are_a_404_not_an_error(client, populated, page):
    for url in (f"/b/depression?page={page}", f"/t/{populated['thread']}?page={page}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Need help now?" in response.get_data(as_text=True)


def test_form_fields_carry_no_empty_or_none_attributes(app, client, auth):
    auth.register()
    pages = [client.get(url).get_data(as_text=True) for url in ("/b/depression/new", "/")]
    invalid = client.post("/b/depression/new", data={"title": "x", "body": ""})
    pages.append(invalid.get_data(as_text=True))
    for text in pages:
        assert '="None"' not in text
    assert 'aria-invalid="true"' in pages[-1]
    assert 'aria-describedby="title-error"' in pages[-1]


# --- the crisis link in the header --------------------------------------------------------------

CRISIS_BODY = "Some nights I just want to die. I don't know who else to tell."


def header_crisis_link_problem(text: str) -> str | None:
    """Why the page fails to put a crisis link first in its header, right after the skip link
    (None when it does): the next link a keyboard or screen reader meets after "Skip to
    content" must be the way to /crisis, and it must sit in the header, not the footer."""
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    body = tree.find("body")
    links = list(body.iter("a"))
    if not links or links[0].get("class") != "skip-link":
        return "the skip link is not the first link"
    if links[1].get("href") != "/crisis":
        return f"the link after the skip link goes to {links[1].get('href')}"
    header = body.find("header")
    if header is None or header.get("class") != "site-header":
        return "no header"
    if links[1] not in list(header.iter("a")) or next(header.iter("a")) is not links[1]:
        return "the crisis link is not the header's first link"
    elements = [child for child in body if isinstance(child.tag, str)]
    if elements[1] is not header:
        return "the header does not follow the skip link"
    return None


def pages_of_every_kind(app, login_as, lurker, populated) -> list[tuple[str, object]]:
    """(label, response) for each page type, fetched as the person who would see it."""
    with app.app_context():
        make_member("other_reader")
        make_member("calm_keeper", role="moderator")
        make_member("head_keeper", role="admin")
    walker, reader = login_as("page_walker"), login_as("other_reader")
    keeper, head = login_as("calm_keeper"), login_as("head_keeper")
    post, thread = populated["post"], populated["thread"]
    pages = [(f"lurker {url}", lurker.get(url)) for url in public_pages(populated)]
    pages += [
        ("lurker 405", lurker.get("/logout")),
        ("lurker search", lurker.get("/search?q=reply")),
        ("lurker recover", lurker.get("/recover")),
        ("member 403", walker.get("/admin")),
    ]
    member_urls = [
        "/",
        f"/t/{thread}",
        "/b/depression/new",
        f"/t/{thread}/reply",
        f"/p/{post}/edit",
        f"/p/{post}/delete",
        f"/p/{post}/history",
        "/settings",
        "/settings/password",
        "/settings/recovery",
        "/settings/delete",
        "/settings/email",
        "/notifications",
        "/notices",
        "/drafts",
        "/private/new",
    ]
    pages += [(f"member {url}", walker.get(url)) for url in member_urls]
    pages += [
        ("member report form", reader.get(f"/p/{post}/report")),
        ("member block form", reader.get(f"/p/{post}/block")),
        (
            "member crisis step",
            walker.post("/b/depression/new", data={"title": "Tonight", "body": CRISIS_BODY}),
        ),
        (
            "member form with errors",
            walker.post("/b/depression/new", data={"title": "", "body": ""}),
        ),
    ]
    pages += [(f"moderator {url}", keeper.get(url)) for url in ("/mod", "/mod/log", "/waiting")]
    pages += [(f"admin {url}", head.get(url)) for url in ("/admin", "/admin/crisis")]
    return pages


def test_every_page_type_has_the_crisis_link_first_in_its_header(app, login_as, lurker, populated):
    problems = {}
    for label, response in pages_of_every_kind(app, login_as, lurker, populated):
        assert response.status_code < 500, label
        problem = header_crisis_link_problem(response.get_data(as_text=True))
        if problem:
            problems[f"{label} ({response.status_code})"] = problem
    assert problems == {}
