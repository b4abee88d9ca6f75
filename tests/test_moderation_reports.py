"""Reporting posts: the reporter, the author, other members and lurkers each see the right
thing, and enough reports hide a post until a moderator looks."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationItem, Post, Report
from tests.factories import make_member, make_reply, make_thread

PENDING = "This post is hidden while a moderator looks at it."


@pytest.fixture
def reported(app):
    """A thread by "author_one" with a reply to report, and three members who may report."""
    with app.app_context():
        author = make_member("author_one")
        thread = make_thread(author, body="Opening words")
        reply = make_reply(author, thread, "The words someone reports")
        for handle in ("reader_a", "reader_b", "reader_c"):
            make_member(handle)
        return {"thread": thread.id, "post": reply.id}


def send_report(client, post_id, reason="harassment", details=""):
    return client.post(
        f"/p/{post_id}/report", data={"reason": reason, "details": details}, follow_redirects=True
    )


def test_every_post_has_a_report_link_and_a_page_of_its_own(reported, login_as):
    reader = login_as("reader_a")
    thread = reader.get(f"/t/{reported['thread']}").get_data(as_text=True)
    assert f'href="/p/{reported["post"]}/report">Report</a>' in thread
    form = reader.get(f"/p/{reported['post']}/report").get_data(as_text=True)
    assert "Someone may be at risk of harm" in form
    assert "Harmful advice or misinformation" in form
    assert "Shares private information" in form
    assert "The words someone reports" in form


def test_reporter_sees_a_confirmation_and_the_post_stays_up_after_one_report(
    reported, login_as, client
):
    page = send_report(login_as("reader_a"), reported["post"], details="Unkind to me")
    assert "Thank you for telling us." in page.get_data(as_text=True)
    assert "The words someone reports" in client.get(f"/t/{reported['thread']}").get_data(
        as_text=True
    )


def test_reporting_again_updates_the_one_open_report(reported, login_as, app):
    reader = login_as("reader_a")
    send_report(reader, reported["post"], "spam")
    send_report(reader, reported["post"], "hate", "second thoughts")
    with app.app_context():
        reports = db.session.execute(select(Report)).scalars().all()
        assert [(r.reason, r.details) for r in reports] == [("hate", "second thoughts")]
        items = db.session.execute(select(ModerationItem)).scalars().all()
        assert len(items) == 1


def test_three_reports_hide_the_post_for_others_but_not_for_its_author(reported, login_as, client):
    for handle in ("reader_a", "reader_b", "reader_c"):
        send_report(login_as(handle), reported["post"])
    lurker_view = client.get(f"/t/{reported['thread']}").get_data(as_text=True)
    assert PENDING in lurker_view
    assert "The words someone reports" not in lurker_view
    member_view = login_as("reader_a").get(f"/t/{reported['thread']}").get_data(as_text=True)
    assert "The words someone reports" not in member_view
    author_view = login_as("author_one").get(f"/t/{reported['thread']}").get_data(as_text=True)
    assert "The words someone reports" in author_view
    assert PENDING in author_view  # marked for the author


def test_two_reports_are_not_enough_by_default(reported, login_as, client):
    for handle in ("reader_a", "reader_b"):
        send_report(login_as(handle), reported["post"])
    assert PENDING not in client.get(f"/t/{reported['thread']}").get_data(as_text=True)


def test_the_threshold_is_configurable(app, reported, login_as, client):
    app.config["FORUM_AUTO_HIDE_REPORTS"] = 1
    send_report(login_as("reader_a"), reported["post"])
    assert PENDING in client.get(f"/t/{reported['thread']}").get_data(as_text=True)


def test_one_report_by_a_trusted_member_hides_the_post_at_once(app, reported, login_as, client):
    with app.app_context():
        make_member("trusted_one", trust=2)
    send_report(login_as("trusted_one"), reported["post"])
    assert PENDING in client.get(f"/t/{reported['thread']}").get_data(as_text=True)


def test_reports_from_a_member_often_dismissed_weigh_less(app, reported, login_as, client):
    with app.app_context():
        from forum.auth.services import find_member

        for handle in ("reader_a", "reader_b"):
            find_member(handle).reports_dismissed = 5
        db.session.commit()
    for handle in ("reader_a", "reader_b", "reader_c"):
        send_report(login_as(handle), reported["post"])
    # 0.5 + 0.5 + 1 is below the threshold of 3.
    assert PENDING not in client.get(f"/t/{reported['thread']}").get_data(as_text=True)


def test_the_author_never_learns_who_reported(reported, login_as):
    send_report(login_as("reader_a"), reported["post"], details="very specific words")
    author = login_as("author_one")
    for url in (f"/t/{reported['thread']}", "/notices", f"/p/{reported['post']}/edit"):
        text = author.get(url).get_data(as_text=True)
        assert "reader_a" not in text
        assert "very specific words" not in text


def test_members_cannot_report_their_own_posts_and_lurkers_must_log_in(reported, login_as, client):
    author = login_as("author_one")
    assert author.post(f"/p/{reported['post']}/report", data={"reason": "spam"}).status_code == 403
    thread = author.get(f"/t/{reported['thread']}").get_data(as_text=True)
    assert f"/p/{reported['post']}/report" not in thread
    response = client.get(f"/p/{reported['post']}/report")
    assert response.headers["Location"].startswith("/login?next=")


def test_bad_reason_or_long_details_come_back_with_the_details_kept(reported, login_as):
    reader = login_as("reader_a")
    bad = reader.post(
        f"/p/{reported['post']}/report", data={"reason": "nonsense", "details": "kept words"}
    )
    assert bad.status_code == 400
    assert "kept words" in bad.get_data(as_text=True)
    long = reader.post(
        f"/p/{reported['post']}/report", data={"reason": "other", "details": "d" * 1001}
    )
    assert long.status_code == 400
    assert "1,000 characters" in long.get_data(as_text=True)


def test_risk_reports_go_to_the_top_of_the_queue(app, reported, login_as):
    with app.app_context():
        author = db.session.execute(select(Post)).scalars().first().author
        thread = make_thread(author, title="Another thread")
        later = make_reply(author, thread, "A worrying post")
        later_id = later.id
        make_member("quiet_keeper", role="moderator")
    send_report(login_as("reader_a"), reported["post"], "spam")
    send_report(login_as("reader_b"), later_id, "risk", "they said goodbye")
    queue = login_as("quiet_keeper").get("/mod").get_data(as_text=True)
    assert queue.index(f'/p/{later_id}"') < queue.index(f'/p/{reported["post"]}"')
    assert "Possible risk to someone" in queue
    # Risk content is collapsed behind a click.
    assert '<details class="reported-post"><summary>Show the post' in queue
