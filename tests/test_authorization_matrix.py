"""Every route of the URL map, every method, as every kind of person, against objects in every
state: the expected answer for each is written below in ``ROUTES``; a route missing from the
table fails the test, so a new route cannot slip through unchecked.

People: a lurker (no account), the owner of the objects, another member, a silenced member,
a moderator and an admin. Objects: posts that are visible, held for approval, hidden, removed
and deleted, the opening posts of a private thread with the moderators and of a held thread,
and the member-owned things (drafts, blocks, notifications, appealable decisions).

Outcomes: ``ok`` (the page, the action done, or its form shown again: 2xx, a redirect that
is not to the login page, or a 400 refusing the empty form the matrix sends, which means the
person was let in), ``login`` (redirect to /login?next=…), ``403``, ``404``. Where a person
may not see an object, the route answers 404 as the permalink does:
it must not tell a stranger that a private or held post exists.
"""

from dataclasses import dataclass, field

import pytest
from flask import url_for
from sqlalchemy import select

from forum.care.blocks import block_member
from forum.care.drafts import place_for_reply, save_draft
from forum.care.private import open_private_thread
from forum.crisis.resources import all_resources, seed_crisis_resources
from forum.extensions import db
from forum.models.moderation import ModerationEvent, Notice
from forum.models.posts import HELD
from forum.moderation import actions, appeals
from forum.safety_plan.services import save_plan
from forum.threads.services import delete_post
from tests.factories import board, make_member, make_reply, make_thread

PEOPLE = ("lurker", "owner", "other", "silenced", "moderator", "admin")
HANDLES = {
    "owner": "the_owner",
    "other": "another_one",
    "silenced": "quiet_one",
    "moderator": "the_keeper",
    "admin": "the_admin",
}
POST_STATES = ("visible", "held", "hidden", "removed", "deleted", "private", "held_thread")
THREAD_STATES = ("visible", "private", "held_thread")
# Who may know that an object in each state exists (besides moderators and admins, who may
# see everything): everyone for published states, only the owner otherwise.
SEEN_ONLY_BY_OWNER = {"held", "private", "held_thread"}


def row(*outcomes, **by_state):
    """One line of the table: outcomes for PEOPLE in order; ``by_state`` overrides a state's
    whole line (e.g. ``deleted=row(...)``) for states where the action itself differs."""
    assert len(outcomes) == len(PEOPLE)
    line = dict(zip(PEOPLE, outcomes, strict=True))
    return Expect(line, {state: value.line for state, value in by_state.items()})


@dataclass
class Expect:
    line: dict
    states: dict = field(default_factory=dict)


#                        lurker   owner   other   silenced  mod    admin
PUBLIC = row("ok", "ok", "ok", "ok", "ok", "ok")
MEMBERS = row("login", "ok", "ok", "ok", "ok", "ok")
NOT_SILENCED = row("login", "ok", "ok", "403", "ok", "ok")
MODERATORS = row("login", "403", "403", "403", "ok", "ok")
ADMINS = row("login", "403", "403", "403", "403", "ok")
OWNER_ONLY = row("login", "ok", "404", "404", "404", "404")
LOGGED_OUT_ONLY = row("ok", "ok", "ok", "ok", "ok", "ok")
# Forms a silenced member may open: the form says posting is paused and refuses to post.
PAUSED_FORM = MEMBERS
OWNER_ACTION = row(
    "login",
    "ok",
    "403",
    "403",
    "403",
    "403",
    deleted=row("login", *["403"] * 5),
    hidden=row("login", *["403"] * 5),
    removed=row("login", *["403"] * 5),
)
DELETE_ACTION = row("login", "ok", "403", "403", "403", "403", deleted=row("login", *["403"] * 5))
# Staff routes (/mod, /admin) answer 403 to everyone else whatever the object: nothing to
# hide there. Filled in below ROUTES.
STAFF_ENDPOINTS: set[str] = set()

ROUTES: dict[tuple[str, str], Expect] = {
    # Reading: open to everyone; objects only some may see answer 404 to the rest.
    ("boards.index", "GET"): PUBLIC,
    ("boards.show", "GET"): PUBLIC,
    ("feeds.board", "GET"): PUBLIC,
    ("feeds.site", "GET"): PUBLIC,
    # Feeds carry public threads only: a private or held thread has none, even for its author.
    ("feeds.thread", "GET"): row(
        *["ok"] * 6, private=row(*["404"] * 6), held_thread=row(*["404"] * 6)
    ),
    ("threads.show", "GET"): PUBLIC,
    ("threads.permalink", "GET"): PUBLIC,
    # Earlier versions: the author and moderators; everyone else, lurkers too, a plain 404.
    ("history.show", "GET"): row("404", "ok", "404", "404", "ok", "ok", deleted=row(*["404"] * 6)),
    ("profiles.profile", "GET"): PUBLIC,
    ("search.search", "GET"): PUBLIC,
    ("pages.crisis", "GET"): PUBLIC,
    ("pages.guidelines", "GET"): PUBLIC,
    ("pages.favicon", "GET"): PUBLIC,
    ("pages.healthz", "GET"): PUBLIC,
    ("pages.robots", "GET"): PUBLIC,
    # The footer's language switch: a cookie and a redirect back, for anyone.
    ("language", "GET"): PUBLIC,
    # Browsers send violation reports without a token or cookie; an empty form is no report.
    ("csp.report", "POST"): row(*["415"] * 6),
    ("static", "GET"): PUBLIC,
    # Accounts: forms for everyone (a logged-in member is sent on from login and register).
    ("auth.login", "GET"): LOGGED_OUT_ONLY,
    ("auth.login", "POST"): LOGGED_OUT_ONLY,
    ("auth.register", "GET"): LOGGED_OUT_ONLY,
    ("auth.register", "POST"): LOGGED_OUT_ONLY,
    ("account.recover", "GET"): LOGGED_OUT_ONLY,
    ("account.recover", "POST"): LOGGED_OUT_ONLY,
    # Ending a break is a login form: without credentials it sends everyone to log in.
    ("auth.end_break_and_log_in", "POST"): row(*["login"] * 6),
    ("auth.logout", "POST"): MEMBERS,
    # Writing: members; a silenced member may read but not post, edit or report.
    ("threads.new_thread", "GET"): PAUSED_FORM,
    ("threads.new_thread", "POST"): PAUSED_FORM,
    ("threads.reply", "GET"): PAUSED_FORM,
    ("threads.reply", "POST"): PAUSED_FORM,
    ("care.private_thread", "GET"): MEMBERS,
    ("care.private_thread", "POST"): MEMBERS,
    # Each member's own list of private conversations.
    ("care.private_conversations", "GET"): MEMBERS,
    # Only the author edits (not once hidden, removed or deleted) or deletes.
    ("threads.edit", "GET"): OWNER_ACTION,
    ("threads.edit", "POST"): OWNER_ACTION,
    ("threads.delete", "GET"): DELETE_ACTION,
    ("threads.delete", "POST"): DELETE_ACTION,
    # Nothing in a private conversation is reported or blocked: only the member and the
    # moderators write there.
    ("moderation.report", "GET"): row(
        "login",
        "403",
        "ok",
        "403",
        "ok",
        "ok",
        deleted=row("login", *["403"] * 5),
        private=row("login", *["403"] * 5),
    ),
    ("moderation.report", "POST"): row(
        "login",
        "403",
        "ok",
        "403",
        "ok",
        "ok",
        deleted=row("login", *["403"] * 5),
        private=row("login", *["403"] * 5),
    ),
    ("care.react", "POST"): row(
        "login",
        "403",
        "ok",
        "ok",
        "ok",
        "ok",
        held=row("login", *["403"] * 5),
        held_thread=row("login", *["403"] * 5),
        hidden=row("login", *["403"] * 5),
        removed=row("login", *["403"] * 5),
        deleted=row("login", *["403"] * 5),
    ),
    # Nobody blocks themselves, nor "whoever wrote" a deleted post, which shows no author.
    ("care.block_author", "GET"): row(
        "login",
        "403",
        "ok",
        "ok",
        "ok",
        "ok",
        deleted=row("login", *["403"] * 5),
        private=row("login", *["403"] * 5),
    ),
    ("care.block_author", "POST"): row(
        "login",
        "403",
        "ok",
        "ok",
        "ok",
        "ok",
        deleted=row("login", *["403"] * 5),
        private=row("login", *["403"] * 5),
    ),
    ("care.block", "POST"): row("login", "ok", "ok", "ok", "ok", "ok"),
    ("care.unblock", "POST"): MEMBERS,
    ("care.mute_board", "POST"): MEMBERS,
    ("notify.watch_board", "POST"): MEMBERS,
    ("notify.watch_thread", "POST"): MEMBERS,
    # Only a public thread's author says whether they wait for replies.
    ("care.reply_wish", "POST"): row(
        "login", "ok", "403", "403", "403", "403", private=row("login", *["403"] * 5)
    ),
    # A member's own things.
    ("care.drafts", "GET"): MEMBERS,
    # The empty form names no place: no draft, and the same 404 as for a place one may not see.
    ("care.save_draft", "POST"): row("login", *["404"] * 5),
    ("care.delete_draft", "POST"): OWNER_ONLY,
    ("care.settings", "GET"): MEMBERS,
    ("care.settings", "POST"): MEMBERS,
    # Another member's block id is simply not among theirs: nothing happens, back to settings.
    ("care.remove_block", "POST"): MEMBERS,
    ("care.take_break", "POST"): MEMBERS,
    ("care.waiting", "GET"): row("login", "403", "403", "403", "ok", "ok"),
    # The safety plan: every route shows the person asking their own plan (or the blank
    # template, which needs no account) and never anyone else's; no URL names a plan.
    ("safety_plan.show", "GET"): PUBLIC,
    ("safety_plan.blank", "GET"): PUBLIC,
    ("safety_plan.blank", "POST"): PUBLIC,
    ("safety_plan.print_view", "GET"): PUBLIC,
    # Without a plan of one's own (a lurker too), back to /safety-plan.
    ("safety_plan.download", "GET"): PUBLIC,
    ("safety_plan.edit", "GET"): MEMBERS,
    # A silenced member keeps their plan: it is not posting, and nobody else reads it.
    ("safety_plan.edit", "POST"): MEMBERS,
    ("safety_plan.reminder", "POST"): MEMBERS,
    ("safety_plan.delete", "GET"): MEMBERS,
    ("safety_plan.delete", "POST"): MEMBERS,
    ("account.change_password", "GET"): MEMBERS,
    ("account.change_password", "POST"): MEMBERS,
    ("account.recovery_code", "GET"): MEMBERS,
    ("account.recovery_code", "POST"): MEMBERS,
    ("account.export_data", "GET"): MEMBERS,
    ("account.delete_account", "GET"): MEMBERS,
    ("account.delete_account", "POST"): MEMBERS,
    ("digest.email_settings", "GET"): MEMBERS,
    ("digest.email_settings", "POST"): MEMBERS,
    ("digest.remove_email", "POST"): MEMBERS,
    ("notify.notifications", "GET"): MEMBERS,
    ("notify.open_notification", "GET"): OWNER_ONLY,
    ("notify.read_all", "POST"): MEMBERS,
    ("moderation.notice_list", "GET"): MEMBERS,
    ("moderation.appeal", "GET"): OWNER_ONLY,
    ("moderation.appeal", "POST"): OWNER_ONLY,
    # Moderation.
    ("moderation.queue", "GET"): MODERATORS,
    ("moderation.log", "GET"): MODERATORS,
    ("moderation.act_on_post", "POST"): MODERATORS,
    ("moderation.change_warning", "POST"): MODERATORS,
    ("moderation.act_on_thread", "POST"): MODERATORS,
    # On a member (the owner); on a fellow moderator only an admin may act (see
    # test_moderation_actions.py).
    ("moderation.act_on_member", "POST"): MODERATORS,
    # Writing privately to a post's author (never one's own post, nor inside a private
    # conversation, where moderators answer instead) or to a member from their profile.
    ("moderation.message_post_author", "POST"): row(
        "login",
        "403",
        "403",
        "403",
        "ok",
        "ok",
        private=row("login", *["403"] * 5),
    ),
    ("moderation.message_member", "POST"): MODERATORS,
    # The moderator who made a decision never decides its appeal (here the_keeper hid it).
    ("moderation.decide_appeal", "POST"): row("login", "403", "403", "403", "403", "ok"),
    # Administration.
    ("admin.index", "GET"): ADMINS,
    ("admin.create_board", "POST"): ADMINS,
    ("admin.edit_board", "GET"): ADMINS,
    ("admin.edit_board", "POST"): ADMINS,
    ("admin.archive_board", "POST"): ADMINS,
    ("admin.unarchive_board", "POST"): ADMINS,
    ("admin.move_board", "POST"): ADMINS,
    ("admin.grant_moderator", "POST"): ADMINS,
    ("admin.revoke_moderator", "POST"): ADMINS,
    ("admin.crisis_resources", "GET"): ADMINS,
    ("admin.create_crisis_resource", "POST"): ADMINS,
    ("admin.edit_crisis_resource", "GET"): ADMINS,
    ("admin.edit_crisis_resource", "POST"): ADMINS,
    ("admin.delete_crisis_resource", "GET"): ADMINS,
    ("admin.delete_crisis_resource", "POST"): ADMINS,
    ("admin.verify_crisis_resource", "POST"): ADMINS,
}
STAFF_ENDPOINTS.update(
    endpoint for endpoint, _ in ROUTES if endpoint.startswith(("admin.", "moderation."))
)
STAFF_ENDPOINTS -= {"moderation.report", "moderation.appeal", "moderation.notice_list"}


# --- the world --------------------------------------------------------------------------


def build_world(app) -> dict:
    """Members and objects in every state, made through the real services."""
    with app.test_request_context():
        owner = make_member(HANDLES["owner"])
        make_member(HANDLES["other"])
        quiet = make_member(HANDLES["silenced"])
        keeper = make_member(HANDLES["moderator"], role="moderator")
        make_member(HANDLES["admin"], role="admin")
        thread = make_thread(owner, title="Visible thread")
        posts = {"visible": make_reply(owner, thread, "Visible words.")}
        for state in ("hidden", "removed", "deleted"):
            posts[state] = make_reply(owner, thread, f"Soon {state}.")
        actions.hide_post(keeper, posts["hidden"], "unkind")
        actions.remove_post(keeper, posts["removed"], "unsafe")
        delete_post(posts["deleted"])
        actions.silence_member(keeper, quiet, 7, "cooling off")
        db.session.commit()

        app.config["FORUM_NEW_MEMBER_HOLD"] = 10_000
        owner.trust_level = 0
        db.session.commit()
        posts["held"] = make_reply(owner, thread, "Held words.")
        held_thread = make_thread(owner, title="Held thread")
        owner.trust_level = 1
        app.config["FORUM_NEW_MEMBER_HOLD"] = 0
        db.session.commit()
        assert posts["held"].state == HELD and held_thread.held

        private = open_private_thread(owner, board(), "Private words", "Only the moderators.")
        db.session.commit()
        posts["private"] = private.first_post
        posts["held_thread"] = held_thread.first_post

        seed_crisis_resources()
        draft = save_draft(owner, place_for_reply(thread), {"body": "A draft."})
        block = block_member(owner, keeper)
        save_plan(owner, {"reasons_for_living": ["The owner's own reasons."]})
        db.session.commit()
        hide_event = db.session.execute(
            select(ModerationEvent).filter_by(action="hide", post_id=posts["hidden"].id)
        ).scalar_one()
        notice = db.session.execute(select(Notice).filter_by(member_id=owner.id)).scalars()
        notice_id = next(iter(notice)).id
        appeal = appeals.file_appeal(owner, hide_event, "Please look again.")
        db.session.commit()
        return {
            "post_id": {state: post.id for state, post in posts.items()},
            "thread_id": {
                "visible": thread.id,
                "private": private.id,
                "held_thread": held_thread.id,
            },
            "draft_id": draft.id,
            "block_id": block.id,
            "notice_id": notice_id,
            "event_id": hide_event.id,
            "appeal_id": appeal.id,
            "resource_id": all_resources()[0].id,
        }


FIXED_ARGUMENTS = {
    "slug": "depression",
    "handle": HANDLES["owner"],
    "filename": "style.css",
    "decision": "grant",
    "choice": "reply-welcome",
    "code": "es",
}
# Path parts that name an action: one harmless, reversible choice per route.
ACTION_ARGUMENTS = {
    "care.mute_board": "mute",
    "notify.watch_board": "watch",
    "notify.watch_thread": "watch",
    "moderation.act_on_post": "approve",
    "moderation.act_on_thread": "lock",
    "moderation.act_on_member": "reinstate",
}


def url_states(world, rule) -> list[tuple[str, str]]:
    """(state, url) pairs for one rule: one per object state where it takes a post or thread."""
    arguments = {name: value for name, value in FIXED_ARGUMENTS.items() if name in rule.arguments}
    if "action" in rule.arguments:
        arguments["action"] = ACTION_ARGUMENTS[rule.endpoint]
    for name in ("draft_id", "block_id", "notice_id", "event_id", "appeal_id", "resource_id"):
        if name in rule.arguments:
            arguments[name] = world[name]
    for name, states in (("post_id", POST_STATES), ("thread_id", THREAD_STATES)):
        if name in rule.arguments:
            return [
                (state, url_for(rule.endpoint, **arguments, **{name: world[name][state]}))
                for state in states
            ]
    return [("visible", url_for(rule.endpoint, **arguments))]


def every_rule(app):
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return "login" if response.headers["Location"].startswith("/login") else "ok"
    if status < 300 or status == 400:
        return "ok"
    return str(status)


def expected(entry: Expect, person: str, state: str, staff_route: bool = False) -> str:
    line = entry.states.get(state, entry.line)
    want = line[person]
    if want == "login" or person in ("moderator", "admin", "owner"):
        return want
    if staff_route:
        return want
    if state in SEEN_ONLY_BY_OWNER:
        return "404"
    return want


def clients(app, login_as):
    """One client per person, logged in through the real form (the ``login_as`` fixture)."""
    people = {person: login_as(handle) for person, handle in HANDLES.items()}
    return {"lurker": app.test_client(), **people}


def test_every_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule, method in every_rule(app)}
    missing = sorted(routes - set(ROUTES))
    stale = sorted(set(ROUTES) - routes)
    assert not missing, f"routes without an expected outcome in ROUTES: {missing}"
    assert not stale, f"rows in ROUTES for routes that no longer exist: {stale}"


def route_ids():
    return [f"{endpoint}:{method}" for endpoint, method in ROUTES]


@pytest.mark.parametrize("key", list(ROUTES), ids=route_ids())
def test_route_answers_each_person_as_the_table_says(app, login_as, key):
    endpoint, method = key
    world = build_world(app)
    rules = [rule for rule, m in every_rule(app) if rule.endpoint == endpoint and m == method]
    assert rules, f"{endpoint} {method} is not a route any more"
    people = clients(app, login_as)
    wrong = []
    with app.test_request_context():
        cases = [(state, url) for rule in rules for state, url in url_states(world, rule)]
    # The owner acts last: an owner's action (delete, edit) must not change what others see.
    for person in ("lurker", "other", "silenced", "moderator", "admin", "owner"):
        for state, url in cases:
            response = people[person].open(url, method=method, data={})
            got = outcome(response)
            want = expected(ROUTES[key], person, state, endpoint in STAFF_ENDPOINTS)
            if got != want:
                wrong.append(f"{person} {method} {url} [{state}]: got {got}, want {want}")
    assert not wrong, "\n".join(wrong)


# Reading leaves the reader's own bookkeeping behind, and nothing else: where they stopped
# reading a thread, and which of their notifications they have opened.
READING_MARKS = {"read_states": None, "notices": {"read_at"}}


def database_checksum() -> str:
    """A digest of every row of every table, less the readers' own reading marks."""
    import hashlib

    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        skip = READING_MARKS.get(table.name, set())
        if skip is None:
            continue
        columns = [column for column in table.columns if column.name not in skip]
        rows = db.session.execute(select(*columns)).all()
        digest.update(table.name.encode())
        for line in sorted(repr(tuple(row)) for row in rows):
            digest.update(line.encode())
    return digest.hexdigest()


def test_no_get_route_changes_the_database(app, login_as):
    world = build_world(app)
    people = clients(app, login_as)
    with app.test_request_context():
        urls = [
            url
            for rule, method in every_rule(app)
            if method == "GET"
            for _, url in url_states(world, rule)
        ]
        before = database_checksum()
    assert len(urls) > 50
    for person in ("lurker", "other", "silenced", "moderator", "admin", "owner"):
        for url in urls:
            people[person].get(url)
    with app.app_context():
        db.session.remove()
        assert database_checksum() == before, "a GET request changed the database"
