"""The account pages (password, recovery, export, deletion): lurkers are asked to log in, the
pages link to each other, and every account form refuses a POST without a CSRF token.

The aspects have files of their own: test_account_password.py, test_account_export.py,
test_account_deletion.py (their shared helpers are in tests/accounts.py)."""

import pytest

from tests.accounts import logged_in, member_named
from tests.factories import PASSWORD, make_member


@pytest.fixture
def member(app):
    with app.app_context():
        make_member("river_stone")


ACCOUNT_PAGES = ("/settings/password", "/settings/recovery", "/settings/export", "/settings/delete")


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_ask_lurkers_to_log_in(lurker, path):
    response = lurker.get(path)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_account_pages_link_to_each_other_and_recovery_is_open_to_lurkers(member, login_as, lurker):
    page = login_as("river_stone").get("/settings/password").get_data(as_text=True)
    for path in ACCOUNT_PAGES:
        assert f'href="{path}"' in page
    recover_page = lurker.get("/recover").get_data(as_text=True)
    for name in ("handle", "recovery_code", "password", "password_confirm"):
        assert f'<label for="{name}">' in recover_page


class TestWithCsrf:
    """Every account form refuses a POST without a token, and nothing changes."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(
        "path", ["/settings/password", "/settings/recovery", "/settings/delete", "/recover"]
    )
    def test_account_forms_refuse_a_post_without_a_token(self, app, member, client, path):
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login", data={"handle": "river_stone", "password": PASSWORD, "csrf_token": token}
        )
        response = client.post(
            path,
            data={
                "current_password": PASSWORD,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "posts": "remove",
                "handle": "river_stone",
                "recovery_code": "ABCDE-FGHJK-MNPQR-STUVW",
            },
        )
        assert response.status_code == 400
        assert "This form expired" in response.get_data(as_text=True)
        assert logged_in(client)
        with app.app_context():
            river = member_named("river_stone")
            assert river.deleted_at is None and river.recovery_hash is None
