"""Admins and boards: creating, editing, reordering and archiving them, seen on the admin
page, the public index and the audit log."""

import pytest
from sqlalchemy import select

from forum.admin import services
from forum.extensions import db
from forum.models import Board, Thread
from tests.admin_area import (
    DEFAULT_ORDER,
    NEW_BOARD,
    events,
    index_names,
    log_in_as_admin,
    member_named,
    positions,
)
from tests.factories import board, make_member, make_thread


@pytest.fixture
def as_admin(app, auth):
    """Log the client in as the admin ada_admin."""
    log_in_as_admin(app, auth)


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
