"""Helpers shared by tests/test_account*.py: what the account pages show, recovery, and
an account lived in (one of everything the export and deletion cover)."""

import re

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Appeal, Block, BoardMute, Draft, Member, Notice, Post, Reaction, Report
from forum.moderation.log import record
from forum.threads.services import edit_post
from tests.factories import PASSWORD, board, make_member, make_reply, make_thread

NEW_PASSWORD = "a brand new long password"
CODE = re.compile(r"<code>([2-9A-HJKMNP-Z]{5}(?:-[2-9A-HJKMNP-Z]{5}){3})</code>")
LOGIN_FAILED = "That handle and password do not match an account."
RECOVERY_FAILED = "That handle and recovery code do not match an account."


def logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


def member_named(handle: str) -> Member:
    """The member re-read from the database (never a stale object)."""
    db.session.expire_all()
    return find_member(handle)


def code_on(page) -> str:
    found = CODE.search(page.get_data(as_text=True))
    assert found, "no recovery code on the page"
    return found.group(1)


def recover(client, handle="river_stone", code="", password=NEW_PASSWORD, confirm=None):
    return client.post(
        "/recover",
        data={
            "handle": handle,
            "recovery_code": code,
            "password": password,
            "password_confirm": confirm or password,
        },
    )


def give_code(client, password=PASSWORD) -> str:
    """Make a recovery code through the settings page and read it from the page."""
    return code_on(client.post("/settings/recovery", data={"password": password}))


def live_a_life(app) -> dict:
    """river_stone with one of everything the export covers, and others' data around it."""
    with app.app_context():
        river = make_member("river_stone")
        other = make_member("other_one")
        keeper = make_member("keeper", role="moderator")
        hidden = make_member("hidden_author")
        own = make_thread(river, title="Mornings are hard", body="My first words.")
        edit_post(db.session.get(Post, own.first_post_id), "My first words, edited.")
        theirs = make_thread(other, title="Evenings too", body="Other's opening words.")
        anonymous = make_reply(river, theirs, body="Quietly, me too.", anonymous=True)
        other_post_id = theirs.first_post_id
        db.session.add_all(
            [
                Reaction(post_id=other_post_id, member_id=river.id, kind="support"),
                Reaction(post_id=own.first_post_id, member_id=other.id, kind="helped"),
                Report(
                    post_id=other_post_id,
                    reporter_id=river.id,
                    reason="spam",
                    details="Looks like an advert",
                ),
                Report(
                    post_id=own.first_post_id,
                    reporter_id=other.id,
                    reason="other",
                    details="SECRET reporter details",
                ),
                Block(blocker_id=river.id, blocked_id=other.id, shown_as="other_one"),
                # Blocked from an anonymous post: known to river only by its alias.
                Block(blocker_id=river.id, blocked_id=hidden.id, shown_as="Anonymous Calm Heron"),
                Block(blocker_id=other.id, blocked_id=river.id, shown_as="river_stone"),
                BoardMute(member_id=river.id, board_id=board("anxiety").id),
                BoardMute(member_id=other.id, board_id=board("depression").id),
                Notice(member_id=river.id, text="Your report was reviewed."),
                Notice(member_id=other.id, text="SECRET notice for someone else"),
                Draft(member_id=river.id, place="new:anxiety", title="Half", body="Draft words"),
                Draft(member_id=other.id, place="new:anxiety", body="SECRET other draft"),
            ]
        )
        event = record(keeper, "hide", reason="SECRET moderator note", post=anonymous)
        db.session.add(Appeal(event_id=event.id, author_id=river.id, text="Please look again."))
        river.region = "GB"
        river.hidden_warnings = ["grief"]
        river.hide_counts = True
        db.session.commit()
        return {"own": own.id, "theirs": theirs.id, "anonymous": anonymous.id}
