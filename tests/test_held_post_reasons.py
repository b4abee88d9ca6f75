"""A held post tells its author the true reason it waits: the board is pre-moderated, or new
members' first posts wait, or both. Read as the author sees the page after posting."""

import html

import pytest

from forum.extensions import db
from tests.factories import board, make_member, make_thread

NEW_MEMBERS = "as new members' first posts do"
PRE_MODERATED = "posts on this board are checked by a moderator before they appear"
WAITING = "Your post is waiting for a moderator"


def said_after_posting(client, how: str, thread_id: int) -> str:
    """What the author reads once their new thread or reply has gone in."""
    if how == "thread":
        response = client.post(
            "/b/depression/new",
            data={"title": "Checking in", "body": "A quiet day today."},
            follow_redirects=True,
        )
    else:
        response = client.post(
            f"/t/{thread_id}/reply", data={"body": "Thinking of you."}, follow_redirects=True
        )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def place(app):
    """The depression board, pre-moderated or not, with a thread by a trusted member."""

    def make(pre_moderated: bool) -> int:
        with app.app_context():
            board("depression").moderation_mode = "pre" if pre_moderated else "post"
            db.session.commit()
            return make_thread(make_member("old_friend", trust=2)).id

    return make


@pytest.mark.parametrize("how", ["thread", "reply"])
def test_a_member_on_a_pre_moderated_board_is_told_it_is_the_board_with_the_new_member_rule_off(
    app, login_as, place, how
):
    # FORUM_NEW_MEMBER_HOLD is 0 here: nobody's first posts wait.
    thread_id = place(pre_moderated=True)
    with app.app_context():
        make_member("brand_new", trust=0)
    page = said_after_posting(login_as("brand_new"), how, thread_id)
    assert WAITING in page and PRE_MODERATED in page
    assert NEW_MEMBERS not in page


@pytest.mark.parametrize("how", ["thread", "reply"])
def test_a_member_who_is_not_new_is_told_it_is_the_board(app, login_as, place, how):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    thread_id = place(pre_moderated=True)
    with app.app_context():
        make_member("settled_in", trust=1)
    page = said_after_posting(login_as("settled_in"), how, thread_id)
    assert WAITING in page and PRE_MODERATED in page
    assert NEW_MEMBERS not in page


@pytest.mark.parametrize("how", ["thread", "reply"])
def test_a_new_member_on_an_ordinary_board_is_told_it_is_their_first_posts(
    app, login_as, place, how
):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    thread_id = place(pre_moderated=False)
    with app.app_context():
        make_member("brand_new", trust=0)
    page = said_after_posting(login_as("brand_new"), how, thread_id)
    assert WAITING in page and NEW_MEMBERS in page
    assert PRE_MODERATED not in page


def test_a_new_member_on_a_pre_moderated_board_is_told_both(app, login_as, place):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    thread_id = place(pre_moderated=True)
    with app.app_context():
        make_member("brand_new", trust=0)
    page = said_after_posting(login_as("brand_new"), "reply", thread_id)
    assert WAITING in page and NEW_MEMBERS in page and PRE_MODERATED in page


def test_a_trusted_member_on_a_pre_moderated_board_is_not_held_nor_told_so(login_as, place):
    thread_id = place(pre_moderated=True)
    page = said_after_posting(login_as("old_friend"), "reply", thread_id)
    assert WAITING not in page and "Thinking of you." in page
