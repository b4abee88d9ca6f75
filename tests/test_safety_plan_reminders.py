"""Gentle reminders to look at one's safety plan again: off until chosen, every 30, 60 or 90
days, left as an in-app notice by `forum reminders send` (and by `forum digest send`), counted
in the email digest of members who chose one, and never saying what they are about to anyone
who might read the email."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.auth.services import find_member
from forum.digest.services import send_digests
from forum.extensions import db
from forum.models import Notice, SafetyPlan, utcnow
from forum.safety_plan.services import (
    REMINDER_TEXT,
    leave_due_reminders,
    plan_of,
    save_plan,
    set_reminder,
)
from tests.factories import make_member

PLAN = {"reasons_for_living": ["My niece's laugh"], "helpers": ["Jo: 07700 900456"]}


def member_with_plan(handle="steady_oak", every=None):
    member = make_member(handle)
    plan = save_plan(member, PLAN)
    if every:
        set_reminder(plan, every)
    db.session.commit()
    return member


def reminders_of(member) -> list[Notice]:
    return list(
        db.session.execute(
            select(Notice).filter_by(member_id=member.id, kind="reminder").order_by(Notice.id)
        ).scalars()
    )


def test_reminders_are_off_until_the_member_chooses_one(app, login_as):
    with app.app_context():
        member = member_with_plan()
        assert leave_due_reminders(utcnow() + timedelta(days=400)) == 0
        assert reminders_of(member) == []
    page = login_as("steady_oak").get("/safety-plan").get_data(as_text=True)
    assert '<option selected value="off">No reminders</option>' in page


def test_a_chosen_reminder_comes_after_its_days_and_then_again_after_as_many(app, login_as):
    with app.app_context():
        make_member("steady_oak")
    client = login_as("steady_oak")
    client.post("/safety-plan/edit", data={"reasons_for_living": "My niece's laugh"})
    chosen = client.post("/safety-plan/reminder", data={"review_every": "30"})
    assert chosen.status_code == 302
    page = client.get("/safety-plan").get_data(as_text=True)
    assert "We will remind you every 30 days, in your notifications." in page
    assert '<option selected value="30">Every 30 days</option>' in page
    start = utcnow()
    with app.app_context():
        member = find_member("steady_oak")
        assert leave_due_reminders(start + timedelta(days=29)) == 0
        assert leave_due_reminders(start + timedelta(days=30, minutes=1)) == 1
        assert leave_due_reminders(start + timedelta(days=30, minutes=2)) == 0
        assert leave_due_reminders(start + timedelta(days=60, minutes=2)) == 1
        db.session.commit()
        assert [notice.text for notice in reminders_of(member)] == [REMINDER_TEXT] * 2
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "A reminder you asked for" in notifications.replace("&#39;", "'")
    with app.app_context():
        notice_id = reminders_of(find_member("steady_oak"))[0].id
    assert client.get(f"/notifications/{notice_id}").headers["Location"] == "/safety-plan"


def test_switching_reminders_off_stops_them(app, login_as):
    with app.app_context():
        member_with_plan(every=60)
    client = login_as("steady_oak")
    client.post("/safety-plan/reminder", data={"review_every": "off"})
    assert "No more reminders." in client.get("/safety-plan").get_data(as_text=True)
    with app.app_context():
        assert leave_due_reminders(utcnow() + timedelta(days=400)) == 0
        assert plan_of(find_member("steady_oak")).remind_at is None


def test_changing_the_plan_counts_the_days_from_that_change(db_session):
    member = member_with_plan(every=30)
    later = utcnow() + timedelta(days=20)
    save_plan(member, PLAN, now=later)
    assert leave_due_reminders(later + timedelta(days=29)) == 0
    assert leave_due_reminders(later + timedelta(days=30, minutes=1)) == 1


def test_a_reminder_choice_without_a_plan_or_outside_the_list_changes_nothing(app, login_as):
    with app.app_context():
        make_member("no_plan_yet")
        member_with_plan()
    nothing = login_as("no_plan_yet").post("/safety-plan/reminder", data={"review_every": "30"})
    assert nothing.headers["Location"] == "/safety-plan"
    refused = login_as("steady_oak").post("/safety-plan/reminder", data={"review_every": "7"})
    assert refused.headers["Location"] == "/safety-plan"
    with app.app_context():
        plan = plan_of(find_member("steady_oak"))
        assert plan.review_every_days is None
        with pytest.raises(ValueError):
            set_reminder(plan, 7)


def test_forum_reminders_send_leaves_the_due_reminders(app, runner):
    with app.app_context():
        member = member_with_plan(every=90)
        plan_of(member).remind_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "Left 1 reminder(s) in members' notifications." in result.output
    assert "Left 0 reminder(s)" in runner.invoke(args=["reminders", "send"]).output
    with app.app_context():
        assert len(reminders_of(find_member("steady_oak"))) == 1


def test_forum_digest_send_leaves_them_too_even_without_email(app, runner):
    app.config["FORUM_SMTP_URL"] = None
    with app.app_context():
        member = member_with_plan(every=30)
        plan_of(member).remind_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0
    assert "Left 1 reminder(s)" in result.output and "Email is not configured" in result.output


def test_the_email_digest_counts_a_reminder_without_saying_what_it_is_about(
    app, db_session, mailbox
):
    app.config["FORUM_SMTP_URL"] = mailbox.url
    member = member_with_plan(every=30)
    member.email, member.digest, member.digest_excerpts = "oak@example.org", "daily", True
    plan_of(member).remind_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert leave_due_reminders(utcnow()) == 1
    db.session.commit()
    assert send_digests(utcnow(), mailbox.url) == 1
    (mail,) = mailbox.received
    assert "1 reminder you asked for" in mail.body
    assert "A reminder you asked for:" in mail.body
    assert "http://127.0.0.1:5000/notifications" in mail.body
    for private in ("safety", "plan", "niece", "07700"):
        assert private not in mail.body.lower() and private not in mail.subject.lower()


def test_members_without_a_digest_get_no_email_for_a_reminder(app, db_session, mailbox):
    member = member_with_plan(every=30)
    plan_of(member).remind_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert leave_due_reminders(utcnow()) == 1
    db.session.commit()
    assert send_digests(utcnow(), mailbox.url) == 0
    assert mailbox.received == []


def test_a_deleted_account_leaves_no_plan_and_gets_no_reminder(app, login_as):
    from tests.factories import PASSWORD

    with app.app_context():
        member_with_plan(every=30)
    client = login_as("steady_oak")
    gone = client.post("/settings/delete", data={"password": PASSWORD, "posts": "keep"})
    assert gone.status_code == 302
    with app.app_context():
        assert db.session.execute(select(SafetyPlan)).first() is None
        assert leave_due_reminders(utcnow() + timedelta(days=400)) == 0
