"""Settings for a calmer forum: content-warning choices, counts, muted boards, breaks."""

from sqlalchemy import select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Board, BoardMute
from tests.factories import PASSWORD, make_member, make_thread


def test_settings_are_saved_and_shown_again(app, login_as):
    with app.app_context():
        make_member("calm_one")
        anxiety = db.session.execute(select(Board.id).filter_by(slug="anxiety")).scalar()
    member = login_as("calm_one")
    page = member.post(
        "/settings",
        data={
            "region": "US",
            "open_content_warnings": "y",
            "hidden_warnings": ["eating", "abuse"],
            "hide_counts": "y",
            "muted_boards": [str(anxiety)],
        },
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert "Your settings are saved." in text
    assert '<input checked id="open_content_warnings"' in text
    with app.app_context():
        saved = find_member("calm_one")
        assert saved.region == "US" and saved.open_content_warnings and saved.hide_counts
        assert saved.hidden_warnings == ["abuse", "eating"]
        assert db.session.execute(select(BoardMute.board_id)).scalars().all() == [anxiety]


def test_hiding_counts_removes_numbers_from_the_board_index(app, login_as):
    with app.app_context():
        member = make_member("calm_one")
        member.hide_counts = True
        db.session.commit()
    page = login_as("calm_one").get("/").get_data(as_text=True)
    assert "0 threads" not in page and "0 posts" not in page
    assert "0 threads" in app.test_client().get("/").get_data(as_text=True)


def test_a_muted_board_is_marked_and_can_be_unmuted(app, login_as):
    with app.app_context():
        make_thread(make_member("writer"), title="Busy anxiety thread", slug="anxiety")
        make_member("calm_one")
    member = login_as("calm_one")
    member.post("/b/anxiety/mute")
    index = member.get("/").get_data(as_text=True)
    anxiety = index[index.index("/b/anxiety") : index.index("/b/grief-and-loss")]
    assert "Muted" in anxiety and "Busy anxiety thread" not in anxiety
    board = member.get("/b/anxiety").get_data(as_text=True)
    assert "You muted this board" in board and "Unmute this board" in board
    member.post("/b/anxiety/unmute")
    assert "You muted this board" not in member.get("/b/anxiety").get_data(as_text=True)


def test_blocks_are_listed_in_settings_and_can_be_removed(app, login_as):
    with app.app_context():
        make_member("calm_one")
        make_member("unkind_one")
    member = login_as("calm_one")
    member.post("/u/unkind_one/block")
    settings = member.get("/settings").get_data(as_text=True)
    assert "unkind_one" in settings
    block_id = settings.split("/settings/blocks/")[1].split("/remove")[0]
    member.post(f"/settings/blocks/{block_id}/remove")
    assert "You haven't blocked anyone." in member.get("/settings").get_data(as_text=True)


def test_a_break_logs_out_everywhere(app, login_as):
    with app.app_context():
        make_member("tired_one")
    member = login_as("tired_one")
    other_device = login_as("tired_one")
    page = member.post("/settings/break", data={"days": "7"}, follow_redirects=True)
    assert "Your break has started." in page.get_data(as_text=True)
    assert "Log out" not in member.get("/").get_data(as_text=True)
    assert "Log out" not in other_device.get("/").get_data(as_text=True)
    with app.app_context():
        assert find_member("tired_one").break_until is not None
    assert PASSWORD  # the password still works: see the login-during-a-break test


def test_logging_in_during_a_break_asks_whether_to_end_it_early(app, login_as):
    with app.app_context():
        make_member("tired_one")
    login_as("tired_one").post("/settings/break", data={"days": "30"})
    returning = app.test_client()
    page = returning.post("/login", data={"handle": "tired_one", "password": PASSWORD})
    text = page.get_data(as_text=True)
    assert "You&#39;re taking a break" in text or "You're taking a break" in text
    assert "Log out" not in text
    assert "Log out" not in returning.get("/").get_data(as_text=True)
    ended = returning.post("/break/end", follow_redirects=True).get_data(as_text=True)
    assert "Welcome back. Go gently." in ended and "Log out" in ended
    with app.app_context():
        assert find_member("tired_one").break_until is None
