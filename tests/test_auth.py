"""Registration, login, logout: pseudonymous handles, safe passwords, sessions that end."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from forum.auth import services
from forum.config import DEFAULT_ARGON2
from forum.extensions import db
from forum.models import Member
from tests.factories import PASSWORD, make_member


def test_register_logs_in_and_shows_the_handle_in_the_header(client, auth):
    page = auth.register("quiet_heron")
    text = page.get_data(as_text=True)
    assert "Welcome, quiet_heron." in text
    assert 'href="/u/quiet_heron">quiet_heron</a>' in text
    assert "Log out" in text


def test_registration_asks_for_no_email_or_real_name(client):
    form = client.get("/register").get_data(as_text=True)
    assert 'name="handle"' in form
    assert "email" not in form.lower().replace("never ask for your email", "")
    assert "real name" in form  # only in the advice not to use one


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "3 to 24 characters"),
        ("x" * 25, "3 to 24 characters"),
        ("has space", "3 to 24 characters"),
        ("émile", "3 to 24 characters"),
        ("<script>", "3 to 24 characters"),
        ("Admin", "looks too much like an existing one or a staff/crisis name"),
        ("moderator", "looks too much like an existing one or a staff/crisis name"),
        ("MOD", "looks too much like an existing one or a staff/crisis name"),
        ("anonymous", "looks too much like an existing one or a staff/crisis name"),
        ("Anonymous_Heron", "looks too much like an existing one or a staff/crisis name"),
        ("system", "looks too much like an existing one or a staff/crisis name"),
        ("staff", "looks too much like an existing one or a staff/crisis name"),
    ],
)
def test_unusable_handles_are_refused_beside_the_field(client, handle, message):
    response = client.post(
        "/register",
        data={
            "handle": handle,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_guidelines": "y",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert 'id="handle-error"' in text


def test_handles_are_unique_ignoring_case(client, auth, app):
    with app.app_context():
        make_member("River_Stone")
    response = auth.register("river_stone", follow=False)
    assert response.status_code == 400
    assert "That handle is taken." in response.get_data(as_text=True)
    assert 'value="river_stone"' in response.get_data(as_text=True)


def test_short_unconfirmed_or_unaccepted_registration_explains_each_problem(client):
    response = client.post(
        "/register",
        data={"handle": "new_member", "password": "short", "password_confirm": "different"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Passwords need at least 10 characters." in text
    assert "The two passwords are not the same." in text
    assert "Please read and accept the community guidelines to join." in text
    assert 'value="new_member"' in text


def test_passwords_are_hashed_with_argon2id_at_owasp_strength(app):
    assert app.config["PASSWORD_HASH"] != DEFAULT_ARGON2  # the suite uses cheap settings
    assert DEFAULT_ARGON2 == {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
    app.config["PASSWORD_HASH"] = dict(DEFAULT_ARGON2)
    with app.app_context():
        member = make_member("strong_one")
        stored = member.password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_weaker_hashes_are_upgraded_at_login(app, auth):
    with app.app_context():
        member = make_member("old_timer")
        member.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        db.session.commit()
    page = auth.login("old_timer")
    assert "Log out" in page.get_data(as_text=True)
    with app.app_context():
        stored = db.session.execute(
            select(Member.password_hash).filter_by(handle="old_timer")
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, PASSWORD)


def test_failed_login_never_reveals_whether_the_handle_exists(app, client, auth):
    with app.app_context():
        make_member("known_one")
    wrong_password = auth.login("known_one", "not the password", follow=False)
    unknown_handle = auth.login("nobody_here", "not the password", follow=False)
    assert wrong_password.status_code == unknown_handle.status_code == 400
    for response in (wrong_password, unknown_handle):
        assert "That handle and password do not match an account." in response.get_data(
            as_text=True
        )
    assert wrong_password.get_data(as_text=True).replace(
        "known_one", "X"
    ) == unknown_handle.get_data(as_text=True).replace("nobody_here", "X")


@pytest.mark.parametrize("target", ["/b/anxiety", "/t/1?page=2", "/u/someone"])
def test_login_returns_to_a_local_next_path(app, client, target):
    with app.app_context():
        make_member()
    response = client.post(
        f"/login?next={target}",
        data={"handle": "river_stone", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "https://evil.example/x",
        "%2F%2Fevil.example",
        "/%2F/evil.example",
        "/%5Cevil.example",
        "%252F%252Fevil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        " //evil.example",
        "/\t/evil.example",
        "http:/\\/evil.example",
        "evil.example",
    ],
)
def test_login_never_redirects_off_site(app, client, target):
    with app.app_context():
        make_member()
    response = client.post(
        "/login", data={"handle": "river_stone", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session_on_the_server(app, client, auth):
    with app.app_context():
        make_member()
    auth.login()
    copied_session = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", copied_session)
    page = client.get("/").get_data(as_text=True)
    assert "Log out" not in page
    assert "Log in" in page
    assert client.get("/b/anxiety/new").status_code == 302


def test_remember_cookie_replayed_after_logout_is_refused(app, client, auth):
    with app.app_context():
        make_member()
    auth.login(remember="y")
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    copied = remembered.value
    auth.logout()
    client.delete_cookie("session")
    client.set_cookie("remember_token", copied)
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_session_is_renewed_at_login(app, client, auth):
    with app.app_context():
        make_member()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_password_change_logs_out_other_sessions(app, client, auth):
    with app.app_context():
        make_member()
    auth.login()
    copied_session = client.get_cookie("session").value
    with app.app_context():
        member = services.find_member("river_stone")
        services.change_password(member, "another long password")
        db.session.commit()
    client.set_cookie("session", copied_session)
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(app, client, auth):
    with app.app_context():
        make_member()
    response = auth.login(follow=False)
    cookie = next(
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_under_https(tmp_path, database_url, monkeypatch):
    from forum import create_app
    from tests.conftest import base_config

    monkeypatch.setenv("FORUM_HTTPS", "1")
    app = create_app(base_config(tmp_path, database_url))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_cli_creates_users_with_a_role_from_stdin(runner, app):
    result = runner.invoke(
        args=["users", "create", "first_admin", "--role", "admin", "--password-stdin"],
        input="a long admin password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin first_admin." in result.output
    with app.app_context():
        member = services.find_member("first_admin")
        assert member.role == "admin"
        assert services.authenticate("first_admin", "a long admin password") is not None


def test_cli_refuses_bad_handles_and_short_passwords(runner):
    reserved = runner.invoke(
        args=["users", "create", "admin", "--password-stdin"], input="a long admin password\n"
    )
    short = runner.invoke(
        args=["users", "create", "okay_name", "--password-stdin"], input="short\n"
    )
    assert reserved.exit_code != 0 and "staff/crisis name" in reserved.output
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_cookies_use_the_host_prefix_under_https(tmp_path, database_url, monkeypatch):
    from forum import create_app
    from tests.conftest import base_config

    monkeypatch.setenv("FORUM_HTTPS", "1")
    app = create_app(base_config(tmp_path, database_url))
    with app.app_context():
        make_member("secure_one")
    client = app.test_client()
    response = client.post(
        "/login",
        data={"handle": "secure_one", "password": PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(cookie for cookie in cookies if cookie.startswith("__Host-session="))
    remember = next(cookie for cookie in cookies if cookie.startswith("__Host-remember_token="))
    for cookie in (session, remember):
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
        assert "Domain=" not in cookie
