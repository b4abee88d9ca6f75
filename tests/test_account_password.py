"""Account safety: changing the password (other sessions end) and recovery codes (shown once,
used once, refused the same way whatever was wrong)."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from forum.account.recovery import normalize_code
from forum.auth.passwords import verify_password
from forum.extensions import db
from forum.models import utcnow
from tests.accounts import (
    NEW_PASSWORD,
    RECOVERY_FAILED,
    code_on,
    give_code,
    logged_in,
    member_named,
    recover,
)
from tests.factories import PASSWORD, make_member


@pytest.fixture
def member(app):
    with app.app_context():
        make_member("river_stone")


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, member, login_as):
    this_browser = login_as("river_stone")
    copied = app.test_client()
    copied.set_cookie("session", this_browser.get_cookie("session").value)
    phone = login_as("river_stone")
    remembered = app.test_client()
    remembered.post("/login", data={"handle": "river_stone", "password": PASSWORD, "remember": "y"})
    remembered.delete_cookie("session")
    assert logged_in(copied) and logged_in(phone) and logged_in(remembered)

    response = this_browser.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )

    assert "Your password is changed." in response.get_data(as_text=True)
    assert logged_in(this_browser)
    assert not logged_in(copied)
    assert not logged_in(phone)
    assert not logged_in(remembered)
    with app.app_context():
        stored = member_named("river_stone").password_hash
        assert verify_password(stored, NEW_PASSWORD)
        assert not verify_password(stored, PASSWORD)


def test_a_wrong_current_password_is_refused_beside_the_field_and_changes_nothing(
    app, member, login_as
):
    client = login_as("river_stone")
    with app.app_context():
        token = member_named("river_stone").session_token
    response = client.post(
        "/settings/password",
        data={
            "current_password": "not my password at all",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="current_password-error">That is not your password.' in text
    assert NEW_PASSWORD not in text and "not my password at all" not in text
    with app.app_context():
        again = member_named("river_stone")
        assert again.session_token == token
        assert verify_password(again.password_hash, PASSWORD)


def test_a_new_password_must_be_long_and_typed_twice_the_same(member, login_as):
    response = login_as("river_stone").post(
        "/settings/password",
        data={"current_password": PASSWORD, "password": "short", "password_confirm": "other"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Passwords need at least 10 characters." in text
    assert "The two passwords are not the same." in text


# Recovery codes


def test_registration_shows_a_recovery_code_once_and_continues_where_asked(app, client):
    response = client.post(
        "/register?next=/b/anxiety",
        data={
            "handle": "quiet_heron",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_guidelines": "y",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Keep this recovery code somewhere safe" in text
    assert "Welcome, quiet_heron." in text
    assert 'href="/u/quiet_heron">quiet_heron</a>' in text
    assert '<a class="button" href="/b/anxiety">Continue</a>' in text
    assert response.headers["Cache-Control"] == "no-store"
    code = code_on(response)
    with app.app_context():
        stored = member_named("quiet_heron").recovery_hash
        assert stored.startswith("$argon2id$")
        assert code not in stored
        assert verify_password(stored, normalize_code(code))
    # It is never shown again: the settings page only says that one exists.
    settings = client.get("/settings/recovery").get_data(as_text=True)
    assert "You have a recovery code." in settings
    assert code not in settings
    assert code not in client.get("/b/anxiety").get_data(as_text=True)


def test_recovering_with_the_code_sets_a_new_password_and_logs_in(app, member, login_as, client):
    old_session = login_as("river_stone")
    code = give_code(old_session)

    # Typed by hand: lower case, spaces instead of dashes.
    response = recover(client, code=code.lower().replace("-", " "))

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Welcome back, river_stone." in text
    assert "Keep this recovery code somewhere safe" in text
    new_code = code_on(response)
    assert new_code != code
    assert logged_in(client)
    assert not logged_in(old_session)
    with app.app_context():
        again = member_named("river_stone")
        assert verify_password(again.password_hash, NEW_PASSWORD)
        assert verify_password(again.recovery_hash, normalize_code(new_code))
    login = app.test_client().post(
        "/login", data={"handle": "river_stone", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_a_code_works_only_once(app, member, login_as, client):
    code = give_code(login_as("river_stone"))
    assert recover(client, code=code).status_code == 200

    second = recover(app.test_client(), code=code, password="yet another long password")

    assert second.status_code == 400
    assert RECOVERY_FAILED in second.get_data(as_text=True)
    with app.app_context():
        assert verify_password(member_named("river_stone").password_hash, NEW_PASSWORD)


@pytest.mark.parametrize("case", ["wrong code", "unknown handle", "no code yet", "deleted account"])
def test_a_failed_recovery_says_the_same_thing_after_the_same_work(
    app, member, login_as, client, monkeypatch, case
):
    code = give_code(login_as("river_stone"))
    with app.app_context():
        make_member("no_code_yet")
        make_member("gone_member")
        gone = member_named("gone_member")
        gone.deleted_at = utcnow()
        db.session.commit()
    handle, typed = {
        "wrong code": ("river_stone", "ABCDE-FGHJK-MNPQR-STUVW"),
        "unknown handle": ("nobody_here", code),
        "no code yet": ("no_code_yet", code),
        "deleted account": ("gone_member", code),
    }[case]
    verifications = []
    original = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher,
        "verify",
        lambda self, *args: verifications.append(1) or original(self, *args),
    )

    response = recover(client, handle=handle, code=typed)

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="recovery_code-error">{RECOVERY_FAILED}</p>' in text
    assert f'value="{handle}"' in text
    assert NEW_PASSWORD not in text
    assert len(verifications) == 1
    assert not logged_in(client)
    with app.app_context():
        assert verify_password(member_named("river_stone").password_hash, PASSWORD)


def test_a_suspended_account_cannot_be_recovered(app, member, login_as, client):
    code = give_code(login_as("river_stone"))
    with app.app_context():
        suspended = member_named("river_stone")
        suspended.suspended_until = utcnow() + timedelta(days=7)
        db.session.commit()

    response = recover(client, code=code)

    assert response.status_code == 400
    assert "This account is suspended until" in response.get_data(as_text=True)
    assert not logged_in(client)
    with app.app_context():
        again = member_named("river_stone")
        assert verify_password(again.password_hash, PASSWORD)
        assert verify_password(again.recovery_hash, normalize_code(code))


def test_a_new_recovery_code_needs_the_password_and_replaces_the_old_one(app, member, login_as):
    client = login_as("river_stone")
    assert "You have no recovery code" in client.get("/settings/recovery").get_data(as_text=True)
    wrong = client.post("/settings/recovery", data={"password": "not my password at all"})
    assert wrong.status_code == 400
    assert 'id="password-error">That is not your password.' in wrong.get_data(as_text=True)
    with app.app_context():
        assert member_named("river_stone").recovery_hash is None

    first = give_code(client)
    second = give_code(client)

    assert first != second
    assert recover(app.test_client(), code=first).status_code == 400
    assert recover(app.test_client(), code=second).status_code == 200
