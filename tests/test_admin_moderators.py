"""Admins and the moderator role: granting it opens the moderation queue, taking it back
closes it, admins and plain members cannot be revoked, and a role change ends the sessions."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notice
from tests.admin_area import NEW_BOARD, events, log_in_as_admin, member_named
from tests.factories import make_member


@pytest.fixture
def as_admin(app, auth):
    """Log the client in as the admin ada_admin."""
    log_in_as_admin(app, auth)


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


def test_a_role_change_ends_the_members_sessions(app, login_as):
    with app.app_context():
        make_member("head_admin", role="admin")
        make_member("soon_keeper")
    before = login_as("soon_keeper")
    login_as("head_admin").post("/admin/moderators", data={"handle": "soon_keeper"})
    assert "Log out" not in before.get("/").get_data(as_text=True)
    after = login_as("soon_keeper")
    assert after.get("/mod").status_code == 200
