"""A copied session or remember cookie stops working when the session should end.

Each test copies BOTH cookies (the session and the "keep me logged in" remember cookie) from a
logged-in browser, lets something happen there (logging out, changing the password, using a
recovery code, deleting the account, a role change, a suspension), then replays the copies on
a brand-new client: it must see the logged-out page and be sent to log in. The session cookie
value itself must change at login and at a role change, so a cookie planted or copied before
never becomes a logged-in or more powerful one. (tests/test_auth.py and tests/test_account_*.py
cover the single-cookie variants on the same client.)
"""

import pytest

from forum.account import recovery
from forum.auth.services import find_member
from forum.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "another long password"


@pytest.fixture
def member(cast):
    """The shared cast: author_one's cookies are copied; head_admin and keeper act on them."""
    return cast.member


def logged_in_browser(app, handle="author_one", password=PASSWORD):
    """A client logged in with "keep me logged in", holding both cookies."""
    client = app.test_client()
    response = client.post("/login", data={"handle": handle, "password": password, "remember": "y"})
    assert response.status_code == 302, f"{handle} could not log in"
    assert client.get_cookie("session") is not None
    assert client.get_cookie("remember_token") is not None
    return client


def copy_cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")}


def replay(app, cookies: dict[str, str]):
    """A new client carrying only the copied cookies."""
    stranger = app.test_client()
    for name, value in cookies.items():
        stranger.set_cookie(name, value)
    return stranger


def assert_refused(client, handle="author_one"):
    """The client sees the logged-out page and is sent to log in for members' pages."""
    page = client.get("/").get_data(as_text=True)
    assert "Log out" not in page
    assert "Log in" in page
    assert f'href="/u/{handle}">{handle}</a>' not in page
    settings = client.get("/settings")
    assert settings.status_code == 302
    assert settings.headers["Location"].startswith("/login")


def assert_accepted(client, handle="author_one"):
    page = client.get("/").get_data(as_text=True)
    assert "Log out" in page and f'href="/u/{handle}">{handle}</a>' in page


def test_replayed_cookies_work_while_the_session_lasts(app, member):
    """The control: without anything ending the session, the copies do log in."""
    assert_accepted(replay(app, copy_cookies(logged_in_browser(app))))
    remembered_only = copy_cookies(logged_in_browser(app))
    del remembered_only["session"]
    assert_accepted(replay(app, remembered_only))


def test_both_cookies_copied_before_logout_are_refused_on_a_new_client(app, member):
    browser = logged_in_browser(app)
    copied = copy_cookies(browser)
    browser.post("/logout")
    assert_refused(replay(app, copied))
    assert_refused(replay(app, {"remember_token": copied["remember_token"]}))
    assert_refused(replay(app, {"session": copied["session"]}))


def test_both_cookies_copied_before_a_password_change_are_refused_on_a_new_client(app, member):
    browser = logged_in_browser(app)
    copied = copy_cookies(browser)
    changed = browser.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Your password is changed." in changed.get_data(as_text=True)
    assert_accepted(browser)  # the browser that changed it stays in, on a new token
    assert copy_cookies(browser)["session"] != copied["session"]
    assert_refused(replay(app, copied))
    assert_refused(replay(app, {"remember_token": copied["remember_token"]}))


def test_both_cookies_copied_before_a_recovery_are_refused_on_a_new_client(app, member):
    with app.app_context():
        code = recovery.issue_recovery_code(find_member("author_one"))
        db.session.commit()
    copied = copy_cookies(logged_in_browser(app))
    recovered = app.test_client().post(
        "/recover",
        data={
            "handle": "author_one",
            "recovery_code": code,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert "Keep this recovery code somewhere safe" in recovered.get_data(as_text=True)
    assert_refused(replay(app, copied))


def test_both_cookies_copied_before_deleting_the_account_are_refused(app, member):
    browser = logged_in_browser(app)
    copied = copy_cookies(browser)
    browser.post("/settings/delete", data={"password": PASSWORD, "posts": "keep"})
    assert_refused(replay(app, copied))


def test_the_session_cookie_changes_at_login(app, member):
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "before login"
    before = client.get_cookie("session").value
    client.post("/login", data={"handle": "author_one", "password": PASSWORD})
    after = client.get_cookie("session").value
    assert after != before
    assert_accepted(client)
    # The pre-login cookie, replayed, is still only a lurker's.
    assert_refused(replay(app, {"session": before}))


def test_a_role_change_changes_the_session_and_refuses_the_old_cookies(app, member):
    member_browser = logged_in_browser(app)
    copied = copy_cookies(member_browser)
    admin = logged_in_browser(app, "head_admin")
    granted = admin.post("/admin/moderators", data={"handle": "author_one"}, follow_redirects=True)
    assert "author_one is now a moderator." in granted.get_data(as_text=True)
    # The copies (and the browser itself) lost the old session: no moderator powers for them.
    assert_refused(replay(app, copied))
    assert replay(app, copied).get("/mod").status_code == 302
    assert_refused(member_browser)
    # Logging in again gives the new role on a new session cookie.
    again = logged_in_browser(app)
    assert again.get_cookie("session").value != copied["session"]
    assert again.get("/mod").status_code == 200


def test_cookies_copied_from_a_moderator_stop_working_when_the_role_is_taken_back(app, member):
    copied = copy_cookies(logged_in_browser(app, "keeper"))
    assert replay(app, copied).get("/mod").status_code == 200
    admin = logged_in_browser(app, "head_admin")
    revoked = admin.post("/admin/moderators/keeper/revoke", follow_redirects=True)
    assert "keeper is a member again" in revoked.get_data(as_text=True)
    stranger = replay(app, copied)
    assert_refused(stranger, "keeper")
    assert stranger.get("/mod").status_code == 302


def test_cookies_copied_before_a_suspension_are_refused(app, member):
    copied = copy_cookies(logged_in_browser(app))
    keeper = logged_in_browser(app, "keeper")
    response = keeper.post(
        "/mod/users/author_one/suspend",
        data={"reason": "a cooling-off time", "until": "2999-01-01"},
    )
    assert response.status_code == 302
    assert_refused(replay(app, copied))
