"""Every string of the Big List of Naughty Strings (and the special cases of
``tests/fuzzing.py``) into the main text fields: a thread's title, body and content warning,
replies and edits (every third string), report details and search. Never a crash; what is
accepted is stored as typed (normalized as documented in ``tests/fuzzing.py``); what is
refused comes back beside its field with the typed text kept."""

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Report, Thread
from tests.fuzzing import (
    BLNS,
    BODY_SAMPLE,
    BODY_TOO_LONG,
    ONE_MB,
    POSTING,
    SAMPLE,
    SPECIAL,
    TITLE_TOO_LONG,
    WARNING_TOO_LONG,
    assert_kept,
    assert_no_crash,
    assert_refused_with,
    body_problems,
    build_scene,
    cleaned,
    one_line,
    shown_query,
)


@pytest.fixture
def scene(app, cast):
    return build_scene(app, cast)


def post_thread(client, title, body, warning):
    return client.post(
        "/b/depression/new",
        data={
            "title": title,
            "body": body,
            "content_warning": "custom",
            "content_warning_text": warning,
            **POSTING,
        },
    )


def test_every_blns_string_as_a_thread_title_body_and_warning(scene):
    author = scene.clients["author_one"]
    for value in [*BLNS, *SPECIAL]:
        title, warning = "T " + value, "W " + value
        response = post_thread(author, title, value, warning)
        assert_no_crash(response, value)
        problems = body_problems(cleaned(value))
        if len(one_line(title)) > 150:
            problems.append(TITLE_TOO_LONG)
        if len(one_line(warning)) > 60:
            problems.append(WARNING_TOO_LONG)
        if problems:
            assert_refused_with(
                response, problems, one_line(title), cleaned(value), one_line(warning)
            )
            continue
        assert response.status_code == 302, (value, response.status_code)
        thread_id = int(re.match(r"/t/(\d+)", response.headers["Location"]).group(1))
        with scene.app.app_context():
            thread = db.session.get(Thread, thread_id)
            post = db.session.get(Post, thread.first_post_id)
            assert (thread.title, post.body_source, post.content_warning_text) == (
                one_line(title),
                cleaned(value),
                one_line(warning),
            ), value


@pytest.mark.parametrize(
    ("title", "body", "warning", "message"),
    [
        (ONE_MB, "A body", "A warning", TITLE_TOO_LONG),
        ("A title", ONE_MB, "A warning", BODY_TOO_LONG),
        ("A title", "A body", ONE_MB, WARNING_TOO_LONG),
    ],
    ids=["title", "body", "warning"],
)
def test_a_megabyte_in_a_thread_field_is_refused_beside_it_and_kept(
    scene, title, body, warning, message
):
    response = post_thread(scene.clients["author_one"], title, body, warning)
    assert_no_crash(response, message)
    assert_refused_with(response, [message], one_line(title), body, one_line(warning))


def test_more_than_the_request_limit_gets_a_calm_413_that_says_the_text_is_still_there(scene):
    response = post_thread(scene.clients["author_one"], ONE_MB, ONE_MB, ONE_MB)
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "That was too large to send" in text
    assert "back button" in text and "your text is still there" in text


def test_every_blns_string_as_a_reply_and_its_page_renders(scene):
    author = scene.clients["author_one"]
    thread_id = scene.ids["thread"]
    accepted = 0
    for value in [*BODY_SAMPLE, *SPECIAL, ONE_MB]:
        response = author.post(f"/t/{thread_id}/reply", data={"body": value, **POSTING})
        assert_no_crash(response, value)
        problems = body_problems(cleaned(value))
        if problems:
            assert_refused_with(response, problems, cleaned(value))
            continue
        assert response.status_code == 302, (value, response.status_code)
        post_id = int(re.match(r"/p/(\d+)", response.headers["Location"]).group(1))
        stored = scene.query(select(Post.body_source).filter_by(id=post_id))
        assert stored == cleaned(value), value
        accepted += 1
    for page in range(1, (accepted + 2) // 50 + 2):
        response = scene.clients["reader_a"].get(f"/t/{thread_id}?page={page}")
        assert_no_crash(response, f"page {page}")
        assert response.status_code == 200, page


def test_every_blns_string_as_an_edit(scene):
    author = scene.clients["author_one"]
    post_id = scene.ids["post"]
    for value in [*BODY_SAMPLE, *SPECIAL, ONE_MB]:
        response = author.post(f"/p/{post_id}/edit", data={"body": value, **POSTING})
        assert_no_crash(response, value)
        problems = body_problems(cleaned(value))
        if problems:
            assert_refused_with(response, problems, cleaned(value))
            continue
        assert response.status_code == 302, (value, response.status_code)
        stored = scene.query(select(Post.body_source).filter_by(id=post_id))
        assert stored == cleaned(value), value


def test_every_blns_string_as_report_details(scene):
    reader = scene.clients["reader_a"]
    post_id = scene.ids["post"]
    for value in [*BLNS, *SPECIAL, ONE_MB]:
        response = reader.post(f"/p/{post_id}/report", data={"reason": "other", "details": value})
        assert_no_crash(response, value)
        if len(cleaned(value)) > 1_000:
            assert_refused_with(
                response, ["Please keep details to 1,000 characters."], cleaned(value)
            )
            continue
        assert response.status_code == 302, (value, response.status_code)
        stored = scene.query(select(Report.details).filter_by(post_id=post_id))
        assert stored == cleaned(value), value


def test_every_blns_string_as_a_search(scene):
    lurker, member = scene.app.test_client(), scene.clients["reader_a"]
    for client, values in ((lurker, [*BLNS, *SPECIAL, ONE_MB]), (member, SAMPLE)):
        for value in values:
            response = client.get("/search", query_string={"q": value})
            assert_no_crash(response, value)
            assert response.status_code == 200, value
            shown = shown_query(value)
            if shown:
                assert_kept(response, shown)
