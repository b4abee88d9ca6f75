"""Every /mod and /admin route, taken from the URL map so a new one cannot be missed, is
checked on the server for each kind of person: lurker, member, moderator, admin."""

import pytest
from flask import url_for

from tests.factories import make_reply, make_thread

PEOPLE = ("lurker", "member", "moderator", "admin")


@pytest.fixture
def world(app, cast):
    """The cast's member writes a thread and a reply; the other member, the moderator and
    the admin try every staff route."""
    with app.app_context():
        author = cast.account(cast.member)
        thread = make_thread(author)
        post = make_reply(author, thread, "words")
        return {
            "thread_id": thread.id,
            "post_id": post.id,
            "handle": cast.member,
            "slug": "depression",
            "appeal_id": 1,
            "action": "lock",
            "decision": "grant",
            "resource_id": 1,
        }


def staff_routes(app, world):
    """(method, url, area) for every rule under /mod or /admin."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith(("/mod", "/admin")):
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                arguments = {name: world[name] for name in rule.arguments}
                if rule.endpoint == "moderation.act_on_post":
                    arguments["action"] = "approve"
                if rule.endpoint == "moderation.act_on_member":
                    arguments["action"] = "reinstate"
                area = "admin" if rule.rule.startswith("/admin") else "mod"
                yield method, url_for(rule.endpoint, **arguments), area


def client_for(cast, person):
    handles = {"member": cast.other, "moderator": cast.moderator, "admin": cast.admin}
    return cast.lurker() if person == "lurker" else cast.client(handles[person])


def expected(person: str, area: str) -> str:
    if person == "lurker":
        return "login"
    if person == "member" or (person == "moderator" and area == "admin"):
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize("person", PEOPLE)
def test_every_staff_route_is_checked_on_the_server(app, world, cast, person):
    routes = list(staff_routes(app, world))
    assert len(routes) >= 12  # /mod, /mod/log, actions, appeals and the admin area
    client = client_for(cast, person)
    for method, url, area in routes:
        response = client.open(url, method=method, data={})
        want = expected(person, area)
        if want == "login":
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
        elif want == "forbidden":
            assert response.status_code == 403, (method, url, person)
        else:
            assert response.status_code not in (302, 401, 403) or (
                response.status_code == 302
                and not response.headers["Location"].startswith("/login")
            ), (method, url, person)


def test_staff_pages_open_for_the_right_people_with_their_content(app, world, login_as):
    keeper = login_as("keeper")
    assert "<h1>Moderation</h1>" in keeper.get("/mod").get_data(as_text=True)
    assert "<h1>Audit log</h1>" in keeper.get("/mod/log").get_data(as_text=True)
    assert keeper.get("/admin").status_code == 403
    assert "<h1>Admin</h1>" in login_as("head_admin").get("/admin").get_data(as_text=True)


def test_the_shared_cast_is_who_it_says_in_every_header(cast):
    """tests/conftest.py's cast: each person is logged in as themselves with their role's
    links, and the lurker is logged in as nobody."""
    staff_links = {
        cast.member: (False, False),
        cast.other: (False, False),
        cast.moderator: (True, False),
        cast.admin: (True, True),
    }
    for handle, (moderation, admin) in staff_links.items():
        page = cast.client(handle).get("/").get_data(as_text=True)
        assert f'href="/u/{handle}">{handle}</a>' in page, handle
        assert ('<a href="/mod">Moderation</a>' in page) is moderation, handle
        assert ('<a href="/admin">Admin</a>' in page) is admin, handle
    page = cast.lurker().get("/").get_data(as_text=True)
    assert "Log in" in page and "Log out" not in page
    assert not any(f'href="/u/{handle}">' in page for handle in staff_links)
