"""Content warnings: readers choose when they are ready to read."""

import pytest
from sqlalchemy import select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import ModerationEvent, Post, Thread
from tests.factories import make_member, make_reply, make_thread


def new_thread(client, warning="", text="", body="Something hard to read"):
    return client.post(
        "/b/trauma/new",
        data={
            "title": "What happened",
            "body": body,
            "content_warning": warning,
            "content_warning_text": text,
        },
        follow_redirects=True,
    )


def thread_id(app):
    with app.app_context():
        return db.session.execute(select(Thread.id)).scalar_one()


def test_a_warned_post_shows_only_its_warning_until_opened(app, auth, lurker):
    auth.register()
    new_thread(auth.client, warning="abuse")
    page = lurker.get(f"/t/{thread_id(app)}").get_data(as_text=True)
    assert '<details class="content-warning">' in page
    assert "<summary>Content warning: Abuse</summary>" in page
    summary_end = page.index("</summary>")
    assert page.index("Something hard to read") > summary_end  # inside the closed details


def test_a_custom_warning_is_kept_short_and_shown(app, auth, lurker):
    auth.register()
    new_thread(auth.client, warning="custom", text="Hospital stay")
    assert "Content warning: Hospital stay" in lurker.get(f"/t/{thread_id(app)}").get_data(
        as_text=True
    )
    too_long = auth.client.post(
        "/b/trauma/new",
        data={
            "title": "Another",
            "body": "Kept body",
            "content_warning": "custom",
            "content_warning_text": "x" * 61,
        },
    )
    assert too_long.status_code == 400
    assert "at most 60 characters" in too_long.get_data(as_text=True)
    assert "Kept body" in too_long.get_data(as_text=True)
    empty = auth.client.post(
        "/b/trauma/new", data={"title": "Another", "body": "Kept body", "content_warning": "custom"}
    )
    assert "Please write the warning" in empty.get_data(as_text=True)


def test_board_lists_show_the_opening_posts_warning_next_to_the_title(app, auth, lurker):
    auth.register()
    new_thread(auth.client, warning="self-harm")
    board = lurker.get("/b/trauma").get_data(as_text=True)
    assert "CW: Self-harm" in board


def test_replies_and_edits_can_carry_warnings(app, auth, lurker):
    with app.app_context():
        thread = make_thread(make_member("opener"))
        tid = thread.id
    auth.register()
    auth.client.post(f"/t/{tid}/reply", data={"body": "My reply", "content_warning": "grief"})
    with app.app_context():
        post_id = db.session.execute(select(Post.id).filter_by(body_source="My reply")).scalar()
    assert "Content warning: Grief and loss" in lurker.get(f"/t/{tid}").get_data(as_text=True)
    edit_form = auth.client.get(f"/p/{post_id}/edit").get_data(as_text=True)
    assert '<option selected value="grief">' in edit_form
    auth.client.post(f"/p/{post_id}/edit", data={"body": "My reply", "content_warning": ""})
    assert "Content warning: Grief" not in lurker.get(f"/t/{tid}").get_data(as_text=True)


def test_members_can_always_open_warnings(app, auth):
    auth.register()
    new_thread(auth.client, warning="abuse")
    with app.app_context():
        find_member("river_stone").open_content_warnings = True
        db.session.commit()
    page = auth.client.get(f"/t/{thread_id(app)}").get_data(as_text=True)
    assert '<details class="content-warning" open>' in page


def test_members_can_hide_posts_with_chosen_warnings(app, login_as):
    with app.app_context():
        writer = make_member("writer")
        thread = make_thread(writer, body="plain opening")
        make_reply(writer, thread, "about eating")
        from forum.threads.services import reply_to_thread
        from forum.warnings import ContentWarning

        reply_to_thread(
            writer, thread, "Hard words about food", False, warning=ContentWarning("eating")
        )
        reader = make_member("reader")
        reader.hidden_warnings = ["eating"]
        db.session.commit()
        tid = thread.id
    page = login_as("reader").get(f"/t/{tid}").get_data(as_text=True)
    assert "Hard words about food" not in page
    assert "A post was hidden by your settings (content warning: Eating disorders)." in page
    assert "about eating" in page
    own = login_as("writer").get(f"/t/{tid}").get_data(as_text=True)
    assert "Hard words about food" in own


def test_profiles_show_warnings_too(app, auth, lurker):
    auth.register()
    new_thread(auth.client, warning="suicide")
    profile = lurker.get("/u/river_stone").get_data(as_text=True)
    assert "<summary>Content warning: Suicide</summary>" in profile


@pytest.fixture
def keeper(app, login_as):
    with app.app_context():
        make_member("keeper", role="moderator")
    return login_as("keeper")


def test_moderators_change_a_warning_with_a_reason_in_the_log(app, auth, keeper, lurker):
    auth.register()
    new_thread(auth.client)
    with app.app_context():
        post_id = db.session.execute(select(Post.id)).scalar_one()
    no_reason = keeper.post(f"/mod/posts/{post_id}/warning", data={"content_warning": "abuse"})
    assert no_reason.status_code == 400
    keeper.post(
        f"/mod/posts/{post_id}/warning",
        data={"content_warning": "abuse", "reason": "Describes abuse"},
    )
    assert "Content warning: Abuse" in lurker.get(f"/t/{thread_id(app)}").get_data(as_text=True)
    with app.app_context():
        event = db.session.execute(select(ModerationEvent).filter_by(action="warning")).scalar()
        assert event.reason == "Describes abuse" and event.details == {"warning": "Abuse"}
    keeper.post(f"/mod/posts/{post_id}/warning", data={"content_warning": "", "reason": "Mild"})
    assert "Content warning" not in lurker.get(f"/t/{thread_id(app)}").get_data(as_text=True)
