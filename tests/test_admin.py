"""The admin area: its page (boards with counts, moderators, labelled inputs), who may use it
(admins only; lurkers are sent to log in), services that leave the commit to the view, and
its forms with CSRF checks on. Boards and the moderator role have files of their own:
test_admin_boards.py and test_admin_moderators.py (shared helpers in tests/admin_area.py)."""

import re

import pytest
from flask import url_for
from sqlalchemy import select

from forum.admin import services
from forum.extensions import db
from forum.models import Board
from tests.admin_area import (
    DEFAULT_ORDER,
    NEW_BOARD,
    events,
    index_names,
    log_in_as_admin,
    member_named,
)
from tests.factories import PASSWORD, board, make_member, make_thread


@pytest.fixture
def as_admin(app, auth):
    """Log the client in as the admin ada_admin."""
    log_in_as_admin(app, auth)


# --- the admin page ------------------------------------------------------------------------


def test_admin_page_lists_every_board_with_counts_mode_and_archived_mark(app, client, as_admin):
    with app.app_context():
        make_thread(make_member("alice"), slug="anxiety")
        board("trauma").archived = True
        board("small-wins").moderation_mode = "pre"
        db.session.commit()
    text = client.get("/admin").get_data(as_text=True)
    names = re.findall(r'<h3><a href="/b/[^"]+">([^<]+)</a>', text)
    assert names == DEFAULT_ORDER
    anxiety = text[text.index('id="board-anxiety"') : text.index('id="board-grief-and-loss"')]
    assert "1 thread" in anxiety and "1 post" in anxiety
    trauma = text[text.index('id="board-trauma"') : text.index('id="board-coping-strategies"')]
    assert '<span class="tag">Archived</span>' in trauma and "Unarchive" in trauma
    small_wins = text[text.index('id="board-small-wins"') : text.index('id="board-off-topic"')]
    assert "reviewed before they appear" in small_wins
    assert "New board" in text and "Make a member a moderator" in text


def test_admin_page_lists_moderators_with_a_take_back_button_and_admins_without(
    app, client, as_admin
):
    with app.app_context():
        make_member("mona", role="moderator")
        make_member("quiet_member")
    text = client.get("/admin").get_data(as_text=True)
    moderators = text[text.index('id="moderators"') :]
    assert "ada_admin" in moderators and "mona" in moderators
    assert "quiet_member" not in moderators
    assert 'action="/admin/moderators/mona/revoke"' in moderators
    assert "/admin/moderators/ada_admin/revoke" not in moderators


def test_every_admin_page_input_has_a_label(client, as_admin):
    for url in ("/admin", "/admin/boards/anxiety/edit"):
        text = client.get(url).get_data(as_text=True)
        labelled = set(re.findall(r'<label for="([^"]+)"', text))
        inputs = re.findall(r"<(?:input|textarea)\b[^>]*>", text)
        for tag in inputs:
            if 'type="hidden"' in tag:
                continue
            field_id = re.search(r'id="([^"]+)"', tag)
            assert field_id and field_id.group(1) in labelled, tag


# --- who may use the admin area ------------------------------------------------------------


def admin_requests(app) -> list[tuple[str, str]]:
    """Every (method, url) of the admin blueprint, with sample arguments."""
    samples = {"slug": "anxiety", "handle": "mona", "resource_id": 1}
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("admin."):
                url = url_for(rule.endpoint, **{arg: samples[arg] for arg in rule.arguments})
                found += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return found


def test_the_admin_area_has_the_routes_it_promises(app):
    assert set(admin_requests(app)) == {
        ("GET", "/admin"),
        ("POST", "/admin/boards"),
        ("GET", "/admin/boards/anxiety/edit"),
        ("POST", "/admin/boards/anxiety/edit"),
        ("POST", "/admin/boards/anxiety/move"),
        ("POST", "/admin/boards/anxiety/archive"),
        ("POST", "/admin/boards/anxiety/unarchive"),
        ("POST", "/admin/moderators"),
        ("POST", "/admin/moderators/mona/revoke"),
        ("GET", "/admin/crisis"),
        ("POST", "/admin/crisis"),
        ("GET", "/admin/crisis/1/edit"),
        ("POST", "/admin/crisis/1/edit"),
        ("POST", "/admin/crisis/1/verify"),
        ("GET", "/admin/crisis/1/delete"),
        ("POST", "/admin/crisis/1/delete"),
    }


@pytest.mark.parametrize("role", ["moderator", "member"])
def test_anyone_but_an_admin_gets_403_on_every_admin_route(app, client, auth, role):
    with app.app_context():
        make_member("mona", role="moderator")
        make_member("someone", role=role)
    auth.login("someone")
    data = {**NEW_BOARD, "direction": "up", "handle": "someone"}
    for method, url in admin_requests(app):
        assert client.open(url, method=method, data=data).status_code == 403, (method, url)
    with app.app_context():
        assert member_named("mona").role == "moderator"
        assert member_named("someone").role == role
        assert index_names(client) == DEFAULT_ORDER


def test_lurkers_are_sent_to_log_in_from_every_admin_route(app, client):
    for method, url in admin_requests(app):
        response = client.open(url, method=method, data={"direction": "up"})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)
    assert client.get("/admin").headers["Location"] == "/login?next=/admin"


def test_admin_services_flush_but_leave_the_commit_to_the_view(app):
    with app.app_context():
        admin = make_member("ada_admin", role="admin")
        services.create_board(admin, "sleep-and-rest", "Sleep and Rest")
        services.set_board_archived(admin, board("anxiety"), True)
        db.session.rollback()
        assert db.session.execute(select(Board).filter_by(slug="sleep-and-rest")).first() is None
        assert board("anxiety").archived is False
        assert events("board_create") == []


# --- with CSRF checks on -------------------------------------------------------------------


class TestWithCsrfOn:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def as_admin(self, app, client):
        with app.app_context():
            make_member("ada_admin", role="admin")
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={"handle": "ada_admin", "password": PASSWORD, "csrf_token": token},
        )

    def test_a_stale_token_on_a_new_board_keeps_what_the_admin_typed(self, app, client, as_admin):
        response = client.post("/admin/boards", data={**NEW_BOARD, "csrf_token": "stale"})
        text = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "This form expired or could not be checked" in text
        assert 'value="sleep-and-rest"' in text and NEW_BOARD["description"] in text
        with app.app_context():
            assert (
                db.session.execute(select(Board).filter_by(slug="sleep-and-rest")).first() is None
            )

    def test_a_button_without_a_token_is_refused(self, app, client, as_admin):
        response = client.post("/admin/boards/anxiety/archive")
        assert response.status_code == 400
        with app.app_context():
            assert board("anxiety").archived is False

    def test_the_admin_page_carries_tokens_that_work(self, app, client, as_admin):
        page = client.get("/admin").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/admin/boards", data={**NEW_BOARD, "csrf_token": token})
        assert response.status_code == 302
        assert "Sleep and Rest" in index_names(client)


def test_admins_see_an_admin_link_and_others_do_not(app, login_as):
    with app.app_context():
        make_member("head_admin", role="admin")
        make_member("keeper_one", role="moderator")
    assert 'href="/admin">Admin</a>' in login_as("head_admin").get("/").get_data(as_text=True)
    assert 'href="/admin">Admin</a>' not in login_as("keeper_one").get("/").get_data(as_text=True)
