"""What is typed is never lost, whatever it holds: passwords work exactly as typed (never
normalized), and text carried through a login, kept as a draft or typed into a refused
moderator action comes back whole (see ``tests/fuzzing.py`` for the hostile values)."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.fuzzing import (
    BLNS,
    ONE_MB,
    POSTING,
    SPECIAL,
    assert_kept,
    assert_no_crash,
    assert_refused_with,
    build_scene,
    cleaned,
    one_line,
    stripped,
)


@pytest.fixture
def scene(app, cast):
    return build_scene(app, cast)


# -- passwords and text carried through a login ---------------------------------------------


def test_hostile_passwords_work_exactly_as_typed(scene):
    """Passwords are never normalized: the exact string logs in, a cleaned one does not."""
    for number, value in enumerate([*SPECIAL, *BLNS[::40], ONE_MB]):
        password, handle = "long password " + value, f"secret_{number}"
        joined = scene.lurker().post(
            "/register",
            data={
                "handle": handle,
                "password": password,
                "password_confirm": password,
                "accept_guidelines": "y",
            },
        )
        assert_no_crash(joined, value)
        page = joined.get_data(as_text=True)
        assert "Keep this recovery code" in page, (
            value[:40],
            re.findall(r"class=\"error[^>]*>([^<]+)", page),
        )
        login = scene.lurker().post("/login", data={"handle": handle, "password": password})
        assert login.status_code == 302, value[:40]
        if cleaned(password) != password:
            other = scene.lurker().post(
                "/login", data={"handle": handle, "password": cleaned(password)}
            )
            assert other.status_code == 400, value[:40]


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("name") and values.get("type") == "hidden":
            self.values[values["name"]] = values.get("value") or ""


def hidden_inputs(response) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(response.get_data(as_text=True))
    return parser.values


def test_a_reply_sent_after_the_session_ended_comes_back_whole_after_login(scene):
    """Body, anonymity and content warning travel through the login form and come back."""
    thread_id = scene.ids["thread"]
    for value in [*SPECIAL, *BLNS[::25], ONE_MB[:19_000]]:
        body, warning = "B " + value, "W " + value[:40]
        lurker = scene.lurker()
        asked = lurker.post(
            f"/t/{thread_id}/reply",
            data={
                "body": body,
                "anonymous": "y",
                "content_warning": "custom",
                "content_warning_text": warning,
            },
        )
        assert_no_crash(asked, value)
        assert "Your session ended before your post was sent" in asked.get_data(as_text=True)
        carried = {k: v for k, v in hidden_inputs(asked).items() if k.startswith("carried_")}
        back = lurker.post(
            "/login",
            data={"handle": "reader_a", "password": PASSWORD, **hidden_inputs(asked), **carried},
        )
        assert_no_crash(back, value)
        assert "Here is what you were writing" in back.get_data(as_text=True), value[:40]
        assert_kept(back, cleaned(body))
        resent = hidden_inputs(back)
        assert resent.get("content_warning") == "custom", value[:40]
        assert resent.get("content_warning_text") == cleaned(warning), value[:40]
        assert 'name="anonymous" value="y" checked' in back.get_data(as_text=True)


def test_a_megabyte_handle_is_not_kept_as_a_megabyte_rate_limit_key(app):
    from forum.ratelimits import handle_key

    with app.test_request_context("/login", method="POST", data={"handle": ONE_MB}):
        assert len(handle_key()) < 100
    with app.test_request_context("/login", method="POST", data={"handle": " River_Stone "}):
        assert handle_key() == "handle:river_stone"


def test_a_megabyte_saved_as_a_draft_is_kept_and_the_page_shows_it_all(scene):
    """ "Save draft" never refuses: the page shows everything, the draft keeps the body whole
    (titles and warnings are cut to their columns, 150 and 60 characters)."""
    from forum.models import Draft

    author = scene.clients["author_one"]
    value = "nul\x00 and\r\n" + ONE_MB[:900_000]
    saved = author.post(
        "/b/depression/new",
        data={"title": value, "body": value, "save_draft": "1", **POSTING},
    )
    assert_no_crash(saved, "draft")
    assert saved.status_code == 200
    assert_kept(saved, one_line(value), cleaned(value))
    draft = scene.query(select(Draft).filter_by(place="new:depression"))
    assert (draft.title, draft.body) == (one_line(value)[:150], cleaned(value))
    autosaved = author.post("/drafts/save", data={"place": "new:depression", "body": ONE_MB})
    assert autosaved.get_json() == {"saved": True}
    assert scene.query(select(Draft.body).filter_by(place="new:depression")) == ONE_MB


def test_a_moderator_action_refused_for_its_target_still_shows_the_reason_typed(scene):
    keeper, post_id = scene.clients["keeper"], scene.ids["post"]
    reason = "Personal details\r\nabout someone else \u202e\x00 (second try)"
    first = keeper.post(f"/mod/posts/{post_id}/remove", data={"reason": "First"})
    assert first.status_code == 302
    again = keeper.post(f"/mod/posts/{post_id}/remove", data={"reason": reason})
    assert_refused_with(again, ["This post is already removed."], stripped(reason))
    assert "What you typed, so it is not lost" in again.get_data(as_text=True)
