"""Lookalike handles, from the side of someone who wants to pass for another member, for the
moderators or for a crisis service: registration, ``forum users create`` and every other way
in refuse them, without saying which handle they resemble."""

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from forum import create_app
from forum.account.services import delete_account
from forum.auth import services
from forum.extensions import db
from forum.handles import skeleton
from forum.models import Member, utcnow
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import PASSWORD, make_member

LOOKALIKE = "That handle looks too much like an existing one or a staff/crisis name"
IMPOSTORS = [
    "m0d1",
    "rnod1",
    "adm1n",
    "moderat0r",
    "helpline",
    "Samaritans",
    "crisis-team",
    "former-member",
    "mod1",
    "support_team",
    "999",
    "Test_Forum",
]


def members_named(app, handle: str) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count()).select_from(Member).filter_by(handle=handle)
        ).scalar()


@pytest.fixture
def keeper_k(app):
    with app.app_context():
        make_member("keeper_k", role="moderator")


@pytest.mark.parametrize("handle", IMPOSTORS)
def test_a_handle_posing_as_staff_or_a_crisis_service_is_refused_at_registration(app, auth, handle):
    response = auth.register(handle, follow=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert LOOKALIKE in page
    assert 'id="handle-error"' in page
    assert members_named(app, handle) == 0


@pytest.mark.parametrize("handle", ["keeper-k", "Keeper-K", "keeperk", "keeper__k", "KEEPER_K"])
def test_a_lookalike_of_an_existing_handle_is_refused(app, auth, keeper_k, handle):
    response = auth.register(handle, follow=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    if handle.lower() == "keeper_k":
        assert "That handle is taken." in page
    else:
        assert LOOKALIKE in page
        # Which member it resembles is not said: only the handle typed is on the page.
        assert "keeper_k" not in page
    assert members_named(app, handle) == 0


def test_ordinary_handles_near_existing_ones_still_register(app, auth, keeper_k):
    for handle in ("keeper_j", "keeper", "maple", "river_stone", "sam"):
        response = auth.register(handle, follow=False)
        assert response.status_code == 200, handle
        assert "Keep this recovery code somewhere safe" in response.get_data(as_text=True)
        auth.logout()
        assert members_named(app, handle) == 1


def test_the_cli_refuses_lookalikes_too(runner, app, keeper_k):
    for handle in ("keeper-k", "m0d1", "crisis-team"):
        result = runner.invoke(
            args=["users", "create", handle, "--password-stdin"], input=f"{PASSWORD}\n"
        )
        assert result.exit_code != 0, handle
        assert LOOKALIKE in result.output
        assert "keeper_k" not in result.output
        assert members_named(app, handle) == 0


def test_every_member_made_through_the_service_holds_its_skeleton(app):
    with app.app_context():
        member = services.register_member("Quiet_Heron", PASSWORD)
        db.session.commit()
        assert db.session.get(Member, member.id).handle_skeleton == skeleton("quiet_heron")


def test_the_database_refuses_a_second_member_with_the_same_skeleton(app, keeper_k):
    """Two registrations at the same moment cannot both win: the column is unique."""
    with app.app_context():
        db.session.add(
            Member(
                handle="keeper-k",
                handle_key="keeper-k",
                handle_skeleton=skeleton("keeper-k"),
                password_hash="x",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_registration_that_loses_the_race_is_told_kindly(app, keeper_k, monkeypatch):
    """When the lookup misses a lookalike committed a moment earlier, the unique column
    still refuses it, and the answer is the usual one, not an error page."""
    monkeypatch.setattr(services, "skeleton_holder", lambda shape: None)
    with app.app_context():
        with pytest.raises(services.HandleLooksTaken) as refused:
            services.register_member("keeper-k", PASSWORD)
        assert "keeper_k" not in str(refused.value)
        # The session is still usable: the refusal rolled back only the new member.
        assert services.find_member("keeper_k") is not None
        assert services.find_member("keeper-k") is None


def test_a_lookalike_of_a_deleted_account_is_refused_until_its_handle_is_freed(app, auth):
    with app.app_context():
        gone = make_member("gone_heron")
        delete_account(gone, keep_posts=True, now=utcnow() - timedelta(days=29))
        db.session.commit()
        gone_id = gone.id
    assert auth.register("gone-heron", follow=False).status_code == 400
    with app.app_context():
        db.session.get(Member, gone_id).deleted_at = utcnow() - timedelta(days=31)
        db.session.commit()
    response = auth.register("gone-heron", follow=False)
    assert response.status_code == 200
    with app.app_context():
        tombstone = db.session.get(Member, gone_id)
        assert tombstone.handle_skeleton is None
        assert tombstone.handle_key == f"~deleted-{gone_id}"


@pytest.mark.skipif(bool(POSTGRES_URL), reason="uses its own SQLite file")
def test_the_migration_gives_existing_members_their_skeletons_oldest_lookalike_first(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'old.db'}"))
    rows = [
        (1, "keeper_k", "keeper_k", None),
        (2, "Keeper-K", "keeper-k", None),  # a lookalike from before the rule
        (3, "river_stone", "~deleted-3", "2020-01-01 00:00:00"),  # a freed tombstone
        (4, "gone_heron", "gone_heron", "2026-01-01 00:00:00"),  # deleted, handle held
        (5, "mod", "mod", None),  # a reserved word, made by hand before the rule
    ]
    with app.app_context():
        upgrade(revision="0008")
        for member_id, handle, key, deleted_at in rows:
            db.session.execute(
                text(
                    "INSERT INTO members (id, handle, handle_key, password_hash, role,"
                    " session_token, created_at, deleted_at)"
                    " VALUES (:id, :handle, :key, 'x', 'member', :token, '2020-01-01', :gone)"
                ),
                {"id": member_id, "handle": handle, "key": key, "token": key, "gone": deleted_at},
            )
        db.session.commit()
        upgrade()
        found = dict(db.session.execute(select(Member.id, Member.handle_skeleton)).all())
        assert found == {1: "keeperk", 2: None, 3: None, 4: "goneheron", 5: "mod"}
        with pytest.raises(services.HandleLooksTaken):
            services.register_member("keeper__k", PASSWORD)
        db.engine.dispose()
