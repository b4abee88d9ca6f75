"""The admin area: boards (create, edit, reorder, archive) and the moderator role."""

import re

import pytest
from flask import url_for
from sqlalchemy import select

from forum.admin import services
from forum.extensions import db
from forum.models import Board, Member, ModerationEvent, Notice, Thread
from tests.factories import PASSWORD, board, make_member, make_thread

DEFAULT_ORDER = [
    "Introductions",
    "Depression",
    "Anxiety",
    "Grief &amp; Loss",
    "Trauma",
    "Coping Strategies",
    "Small Wins",
    "Off-topic",
]
NEW_BOARD = {
    "slug": "sleep-and-rest",
    "name": "Sleep and Rest",
    "description": "Insomnia, nightmares and finding a gentler night.",
    "moderation_mode": "post",
}


def index_names(client) -> list[str]:
    """Board names on the public board index, in order."""
    text = client.get("/").get_data(as_text=True)
    return re.findall(r'<h2><a href="/b/[^"]+">([^<]+)</a></h2>', text)


def events(action: str) -> list[ModerationEvent]:
    return list(db.session.execute(select(ModerationEvent).filter_by(action=action)).scalars())


def member_named(handle: str) -> Member:
    return db.session.execute(select(Member).filter_by(handle=handle)).scalar_one()


def positions() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Board.position, Board.slug).order_by(Board.position))
    return [tuple(row) for row in rows]


@pytest.fixture
def as_admin(app, auth):
    """Log the client in as the admin ada_admin."""
    with app.app_context():
        make_member("ada_admin", role="admin")
    auth.login("ada_admin")


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


# --- creating boards -----------------------------------------------------------------------


def test_admin_creates_a_board_and_it_appears_last_on_the_index(app, client, as_admin):
    response = client.post("/admin/boards", data=NEW_BOARD, follow_redirects=True)
    assert "The board Sleep and Rest is open at /b/sleep-and-rest." in response.get_data(
        as_text=True
    )
    assert index_names(client) == [*DEFAULT_ORDER, "Sleep and Rest"]
    assert "Insomnia, nightmares and finding a gentler night." in client.get("/").get_data(
        as_text=True
    )
    assert client.get("/b/sleep-and-rest").status_code == 200
    with app.app_context():
        created = board("sleep-and-rest")
        assert (created.name, created.moderation_mode, created.archived) == (
            "Sleep and Rest",
            "post",
            False,
        )
        assert [position for position, _ in positions()] == list(range(1, 10))
        (event,) = events("board_create")
        assert event.actor.handle == "ada_admin"
        assert event.details["slug"] == "sleep-and-rest"


def test_a_new_pre_moderated_board_holds_new_members_posts(app, client, as_admin):
    client.post("/admin/boards", data={**NEW_BOARD, "moderation_mode": "pre"})
    with app.app_context():
        assert board("sleep-and-rest").moderation_mode == "pre"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Bad Slug!"}, "lowercase letters, digits and hyphens only"),
        ({"slug": "x"}, "2 to 64 characters"),
        ({"slug": "a" * 65}, "2 to 64 characters"),
        ({"slug": "sleep_rest"}, "lowercase letters, digits and hyphens only"),
        ({"slug": ""}, "Please give the board an address."),
        ({"name": "   "}, "Please give the board a name."),
        ({"name": "n" * 81}, "Names are at most 80 characters."),
        ({"description": "d" * 501}, "Descriptions are at most 500 characters."),
        ({"moderation_mode": "never"}, "Not a valid choice"),
    ],
)
def test_invalid_new_board_comes_back_with_the_message_and_what_was_typed(
    app, client, as_admin, changes, message
):
    data = {**NEW_BOARD, **changes}
    response = client.post("/admin/boards", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert "Please look at the message below. Everything you typed is still here." in text
    if data["slug"]:
        assert f'value="{data["slug"]}"' in text
    if data["name"].strip():
        assert f'value="{data["name"]}"' in text
    assert data["description"] in text
    with app.app_context():
        assert db.session.execute(select(Board).filter_by(name=data["name"])).first() is None
        assert events("board_create") == []


def test_duplicate_slug_comes_back_with_the_message_and_what_was_typed(app, client, as_admin):
    response = client.post(
        "/admin/boards",
        data={**NEW_BOARD, "slug": "anxiety", "name": "Anxiety, again"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is already a board at /b/anxiety. Please choose another address." in text
    assert 'value="anxiety"' in text and 'value="Anxiety, again"' in text
    assert NEW_BOARD["description"] in text
    with app.app_context():
        assert board("anxiety").name == "Anxiety"
        assert len(positions()) == len(DEFAULT_ORDER)


# --- editing boards ------------------------------------------------------------------------


def test_edit_page_shows_the_board_as_it_is(client, as_admin):
    text = client.get("/admin/boards/anxiety/edit").get_data(as_text=True)
    assert "<h1>Edit Anxiety</h1>" in text
    assert 'value="Anxiety"' in text
    assert "Worry, panic, social anxiety" in text
    assert 'checked id="moderation_mode-0"' in text
    assert 'name="slug"' not in text


def test_edit_changes_name_description_and_moderation_mode_but_not_the_slug(app, client, as_admin):
    response = client.post(
        "/admin/boards/anxiety/edit",
        data={
            "name": "Anxiety and Panic",
            "description": "Worry and panic.",
            "moderation_mode": "pre",
            "slug": "panic",
        },
        follow_redirects=True,
    )
    assert "Saved the changes to Anxiety and Panic." in response.get_data(as_text=True)
    assert "Anxiety and Panic" in index_names(client)
    assert "Worry and panic." in client.get("/").get_data(as_text=True)
    with app.app_context():
        edited = board("anxiety")
        assert (edited.name, edited.moderation_mode) == ("Anxiety and Panic", "pre")
        assert db.session.execute(select(Board).filter_by(slug="panic")).first() is None
        (event,) = events("board_edit")
        assert event.details["changes"]["moderation_mode"] == ["post", "pre"]


def test_edit_with_an_empty_name_comes_back_with_what_was_typed(app, client, as_admin):
    response = client.post(
        "/admin/boards/anxiety/edit",
        data={"name": "", "description": "My new words", "moderation_mode": "pre"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please give the board a name." in text
    assert "My new words" in text
    assert 'checked id="moderation_mode-1"' in text
    with app.app_context():
        assert board("anxiety").name == "Anxiety"
        assert board("anxiety").moderation_mode == "post"


def test_saving_an_unchanged_board_writes_no_audit_row(app, client, as_admin):
    with app.app_context():
        anxiety = board("anxiety")
        unchanged = {
            "name": anxiety.name,
            "description": anxiety.description,
            "moderation_mode": anxiety.moderation_mode,
        }
    response = client.post("/admin/boards/anxiety/edit", data=unchanged, follow_redirects=True)
    assert "Nothing needed changing." in response.get_data(as_text=True)
    with app.app_context():
        assert events("board_edit") == []


def test_editing_an_unknown_board_is_not_found(client, as_admin):
    assert client.get("/admin/boards/no-such-board/edit").status_code == 404


# --- reordering ----------------------------------------------------------------------------


def test_moving_a_board_up_moves_it_up_on_the_index(app, client, as_admin):
    response = client.post(
        "/admin/boards/depression/move", data={"direction": "up"}, follow_redirects=True
    )
    assert "Moved Depression up, past Introductions." in response.get_data(as_text=True)
    assert index_names(client)[:3] == ["Depression", "Introductions", "Anxiety"]
    with app.app_context():
        assert positions()[:2] == [(1, "depression"), (2, "introductions")]
        (event,) = events("board_move")
        assert event.details["swapped_with"] == "introductions"


def test_moving_a_board_down_then_up_restores_the_order(client, as_admin):
    client.post("/admin/boards/anxiety/move", data={"direction": "down"})
    assert index_names(client)[2:4] == ["Grief &amp; Loss", "Anxiety"]
    client.post("/admin/boards/anxiety/move", data={"direction": "up"})
    assert index_names(client) == DEFAULT_ORDER


@pytest.mark.parametrize(
    ("slug", "direction", "message"),
    [
        ("introductions", "up", "Introductions is already first."),
        ("off-topic", "down", "Off-topic is already last."),
        ("anxiety", "sideways", "Boards move up or down."),
    ],
)
def test_a_move_that_cannot_happen_is_refused_and_changes_nothing(
    app, client, as_admin, slug, direction, message
):
    response = client.post(f"/admin/boards/{slug}/move", data={"direction": direction})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert index_names(client) == DEFAULT_ORDER
    with app.app_context():
        assert events("board_move") == []


def test_moving_boards_leaves_positions_unique_and_without_gaps(app):
    with app.app_context():
        admin = make_member("ada_admin", role="admin")
        # Gaps and a tie, as hand-edited data might have them.
        for slug, position in (("introductions", 10), ("depression", 10), ("anxiety", 40)):
            board(slug).position = position
        db.session.flush()
        services.move_board(admin, board("small-wins"), "down")
        assert positions() == list(
            enumerate(
                [
                    "grief-and-loss",
                    "trauma",
                    "coping-strategies",
                    "off-topic",
                    "small-wins",
                    "introductions",
                    "depression",
                    "anxiety",
                ],
                start=1,
            )
        )


# --- archiving -----------------------------------------------------------------------------


def test_archiving_hides_a_board_but_its_threads_stay_readable_and_closed_to_new_ones(
    app, client, auth, as_admin
):
    with app.app_context():
        make_member("alice")
        thread = make_thread(member_named("alice"), title="Still here after archiving")
        thread_url = f"/t/{thread.id}"
    response = client.post("/admin/boards/depression/archive", follow_redirects=True)
    assert "Archived Depression" in response.get_data(as_text=True)
    assert "Depression" not in index_names(client)
    auth.logout()
    auth.login("alice")
    assert "Still here after archiving" in client.get(thread_url).get_data(as_text=True)
    assert client.get("/b/depression/new").status_code == 403
    refused = client.post("/b/depression/new", data={"title": "A new one", "body": "Words"})
    assert refused.status_code == 403
    with app.app_context():
        assert board("depression").archived is True
        assert db.session.execute(select(Thread).filter_by(title="A new one")).first() is None
        assert len(events("board_archive")) == 1


def test_unarchiving_brings_a_board_back_in_its_place(app, client, as_admin):
    client.post("/admin/boards/depression/archive")
    response = client.post("/admin/boards/depression/unarchive", follow_redirects=True)
    assert "Depression is open again" in response.get_data(as_text=True)
    assert index_names(client) == DEFAULT_ORDER
    with app.app_context():
        assert board("depression").archived is False
        assert len(events("board_unarchive")) == 1


def test_archiving_an_archived_board_changes_nothing(app, client, as_admin):
    client.post("/admin/boards/depression/archive")
    response = client.post("/admin/boards/depression/archive", follow_redirects=True)
    assert "Depression was already archived." in response.get_data(as_text=True)
    with app.app_context():
        assert len(events("board_archive")) == 1


# --- moderators ----------------------------------------------------------------------------


def test_granting_the_moderator_role_opens_the_moderation_queue(app, client, auth, as_admin):
    with app.app_context():
        make_member("mona", trust=1)
    response = client.post("/admin/moderators", data={"handle": "Mona"}, follow_redirects=True)
    assert "mona is now a moderator." in response.get_data(as_text=True)
    with app.app_context():
        mona = member_named("mona")
        assert (mona.role, mona.trust_level) == ("moderator", 2)
        (event,) = events("grant_moderator")
        assert (event.actor.handle, event.subject_id) == ("ada_admin", mona.id)
        assert db.session.execute(select(Notice).filter_by(member_id=mona.id)).first()
    auth.logout()
    auth.login("mona")
    queue = client.get("/mod")
    assert queue.status_code == 200
    assert "<h1>Moderation</h1>" in queue.get_data(as_text=True)


def test_admin_actions_show_in_the_audit_log(app, client, as_admin):
    with app.app_context():
        make_member("mona")
    client.post("/admin/boards", data=NEW_BOARD)
    client.post("/admin/moderators", data={"handle": "mona"})
    log = client.get("/mod/log").get_data(as_text=True)
    assert "board_create" in log
    assert "grant_moderator" in log and "member mona" in log


def test_granting_to_an_unknown_handle_says_so_beside_the_field(app, client, as_admin):
    response = client.post("/admin/moderators", data={"handle": "nobody_here"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No member has the handle nobody_here." in text
    assert 'value="nobody_here"' in text
    with app.app_context():
        assert events("grant_moderator") == []


def test_granting_with_no_handle_asks_for_one(client, as_admin):
    response = client.post("/admin/moderators", data={"handle": "  "})
    assert response.status_code == 400
    assert "Please type the handle of the member." in response.get_data(as_text=True)


def test_an_admin_is_not_made_a_moderator(app, client, as_admin):
    with app.app_context():
        make_member("other_admin", role="admin")
    response = client.post("/admin/moderators", data={"handle": "other_admin"})
    assert response.status_code == 400
    assert "other_admin is an admin: admins already moderate." in response.get_data(as_text=True)
    with app.app_context():
        assert member_named("other_admin").role == "admin"
        assert events("grant_moderator") == []


def test_taking_back_the_moderator_role_closes_the_moderation_queue(app, client, auth, as_admin):
    with app.app_context():
        make_member("mona", role="moderator")
    response = client.post("/admin/moderators/mona/revoke", follow_redirects=True)
    assert "mona is a member again" in response.get_data(as_text=True)
    with app.app_context():
        assert member_named("mona").role == "member"
        (event,) = events("revoke_moderator")
        assert event.subject_id == member_named("mona").id
    auth.logout()
    auth.login("mona")
    assert client.get("/mod").status_code == 403


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("other_admin", "other_admin is an admin: the admin role is not changed here."),
        ("ada_admin", "You cannot take back your own role."),
        ("plain_member", "plain_member is not a moderator."),
    ],
)
def test_an_admin_or_a_plain_member_cannot_be_revoked(app, client, as_admin, handle, message):
    with app.app_context():
        make_member("other_admin", role="admin")
        make_member("plain_member")
    response = client.post(f"/admin/moderators/{handle}/revoke")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert member_named(handle).role == ("member" if handle == "plain_member" else "admin")
        assert events("revoke_moderator") == []


def test_revoking_an_unknown_handle_is_not_found(client, as_admin):
    assert client.post("/admin/moderators/nobody_here/revoke").status_code == 404


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


def test_an_archived_board_takes_no_replies_and_says_so(app, login_as):
    with app.app_context():
        make_member("head_admin", role="admin")
        thread_id = make_thread(make_member("old_writer")).id
        make_member("reader_one")
    login_as("head_admin").post("/admin/boards/depression/archive")
    reader = login_as("reader_one")
    board = reader.get("/b/depression").get_data(as_text=True)
    assert "This board is archived" in board
    assert "Start a thread" not in board
    assert reader.post(f"/t/{thread_id}/reply", data={"body": "late words"}).status_code == 403
    assert "Post reply" not in reader.get(f"/t/{thread_id}").get_data(as_text=True)


def test_admins_see_an_admin_link_and_others_do_not(app, login_as):
    with app.app_context():
        make_member("head_admin", role="admin")
        make_member("keeper_one", role="moderator")
    assert 'href="/admin">Admin</a>' in login_as("head_admin").get("/").get_data(as_text=True)
    assert 'href="/admin">Admin</a>' not in login_as("keeper_one").get("/").get_data(as_text=True)


def test_a_role_change_ends_the_members_sessions(app, login_as):
    with app.app_context():
        make_member("head_admin", role="admin")
        make_member("soon_keeper")
    before = login_as("soon_keeper")
    login_as("head_admin").post("/admin/moderators", data={"handle": "soon_keeper"})
    assert "Log out" not in before.get("/").get_data(as_text=True)
    after = login_as("soon_keeper")
    assert after.get("/mod").status_code == 200
