"""Every field of every form takes hostile values and loses nothing.

``FORMS`` is the table of every Flask-WTF form class in ``forum/`` with the routes that accept
it and its fields: a form class or a field missing from the table fails the test, so a new
form cannot escape fuzzing. Text fields get a sample of the Big List of Naughty Strings, the
special cases and a megabyte; choices, flags, dates and secrets the special cases (see
``tests/fuzzing.py`` for the values and the documented normalizations)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

import forum
from forum.extensions import db
from forum.forms import ForumForm
from forum.models import Post, Report, Thread
from tests.factories import PASSWORD
from tests.fuzzing import (
    BLNS,
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
    build_scene,
    cleaned,
    lines,
    one_line,
    stripped,
)


@pytest.fixture
def scene(app, cast):
    return build_scene(app, cast)


# -- the table of every form ----------------------------------------------------------------

TEXT, STRIPPED, ONE_LINE, LINES = "text", "stripped", "one line", "lines"
SECRET, CHOICE, FLAG, HIDDEN, DATE, NUMBER = "secret", "choice", "flag", "hidden", "date", "number"
NORMALIZED = {TEXT: cleaned, STRIPPED: stripped, ONE_LINE: one_line, LINES: lines}


@dataclass
class FormCase:
    """A form class: the routes that accept it, its fields, and how to send it here.

    ``fields`` maps each field to its kind and, for text, the message a megabyte gets (None
    when the field has no length of its own and refuses it as any wrong value). ``send``
    posts ``data`` over a valid base and returns the response; ``stored`` reads back what an
    accepted field holds now (None: the value is not stored as typed, e.g. it is looked up).
    """

    routes: list[str]
    fields: dict[str, tuple[str, str | None]]
    send: object = None
    stored: object = None
    note: str = ""


def _location_id(response, prefix: str) -> int:
    return int(re.match(rf"{prefix}(\d+)", response.headers["Location"]).group(1))


def _latest(scene, column):
    with scene.app.app_context():
        return db.session.execute(select(column).order_by(column.class_.id.desc())).scalar()


def sender(client, url, base=None, fresh=False):
    """A ``send`` posting ``base`` (a dict, or a function of the scene) overridden by the
    fuzzed field, with the named member's client (or a new client logged in as them)."""

    def send(scene, data):
        values = base(scene) if callable(base) else dict(base or {})
        who = scene.login(client) if fresh else scene.clients.get(client) or scene.lurker()
        target = url(scene) if callable(url) else url
        return who.post(target, data={**values, **data})

    return send


MOD_REASON = {"reason": (STRIPPED, "Reasons are at most 500 characters.")}
WARNING_FIELDS = {
    "content_warning": (CHOICE, None),
    "content_warning_text": (ONE_LINE, WARNING_TOO_LONG),
}
PUBLISH_FIELDS = {"crisis_choice": (HIDDEN, None), "privacy_choice": (HIDDEN, None)}
# The idempotency key: a value this site did not make is ignored (the post is made once).
KEY_FIELD = {"submission_key": (HIDDEN, None)}
POST_BASE = {"body": "A body", "content_warning": "custom", "content_warning_text": "CW", **POSTING}
EVENT_REASON = "moderation_events.reason"


def _event_reason(scene, response, name):
    from forum.models import ModerationEvent

    return _latest(scene, ModerationEvent.reason)


def _thread_field(scene, response, name):
    thread_id = _location_id(response, "/t/")
    with scene.app.app_context():
        thread = db.session.get(Thread, thread_id)
        post = db.session.get(Post, thread.first_post_id)
        return thread.title if name == "title" else getattr(post, _POST_COLUMN[name])


def _post_field(post_of):
    def stored(scene, response, name):
        post_id = post_of(scene, response)
        with scene.app.app_context():
            return getattr(db.session.get(Post, post_id), _POST_COLUMN[name])

    return stored


_POST_COLUMN = {"body": "body_source", "content_warning_text": "content_warning_text"}


def _board_field(slug_of):
    def stored(scene, response, name):
        from forum.models import Board

        with scene.app.app_context():
            board = db.session.execute(select(Board).filter_by(slug=slug_of(scene))).scalar_one()
            return getattr(board, name)

    return stored


def _latest_board(scene):
    from forum.models import Board

    with scene.app.app_context():
        return db.session.execute(select(Board).order_by(Board.id.desc())).scalar()


def _crisis_field(scene, response, name):
    from forum.models import CrisisResource

    with scene.app.app_context():
        resource = db.session.execute(
            select(CrisisResource).order_by(CrisisResource.id.desc())
        ).scalar()
        return getattr(resource, name)


def _appeal_text(scene, response, name):
    from forum.models import Appeal

    return _latest(scene, Appeal.text)


def _plan_section(scene, response, name):
    from forum.auth.services import find_member
    from forum.safety_plan.services import plan_of

    with scene.app.app_context():
        return "\n".join(getattr(plan_of(find_member("reader_a")), name))


PLAN_SECTIONS = (
    "warning_signs",
    "coping",
    "distractions",
    "helpers",
    "professionals",
    "safer_surroundings",
    "reasons_for_living",
)
PLAN_LINE_TOO_LONG = "Please keep each line to 200 characters or fewer"

CRISIS_BASE = {
    "name": "A helpline",
    "how": "Call 0800 000 000",
    "hours": "Every day",
    "region": "INT",
    "url": "https://help.example",
    "position": "3",
    "last_verified": "2026-01-01",
}

FORMS: dict[str, FormCase] = {
    "forum.auth.forms.RegisterForm": FormCase(
        ["POST /register"],
        {
            "handle": (STRIPPED, "Handles are 3 to 24 characters"),
            "password": (SECRET, None),
            "password_confirm": (SECRET, None),
            "accept_guidelines": (FLAG, None),
        },
        send=lambda scene, data: scene.lurker().post(
            "/register",
            data={
                "handle": scene.next_handle(),
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "accept_guidelines": "y",
                **data,
            },
        ),
        note="passwords: see test_hostile_passwords_work_exactly_as_typed",
    ),
    "forum.auth.forms.LoginForm": FormCase(
        ["POST /login"],
        {
            "handle": (STRIPPED, None),
            "password": (SECRET, None),
            "remember": (FLAG, None),
            "next": (HIDDEN, None),
            "carried_title": (HIDDEN, None),
            "carried_body": (HIDDEN, None),
            "carried_parent_id": (HIDDEN, None),
            "carried_anonymous": (HIDDEN, None),
            "carried_content_warning": (HIDDEN, None),
            "carried_content_warning_text": (HIDDEN, None),
        },
        send=lambda scene, data: scene.lurker().post(
            "/login",
            data={"handle": "reader_a", "password": "not the password", **data},
        ),
        note="a wrong password, so each value meets the refusal; carried text: its own test",
    ),
    "forum.threads.forms.ThreadForm": FormCase(
        ["GET, POST /b/<slug>/new"],
        {
            "title": (ONE_LINE, TITLE_TOO_LONG),
            "body": (TEXT, BODY_TOO_LONG),
            "anonymous": (FLAG, None),
            **WARNING_FIELDS,
            **PUBLISH_FIELDS,
            **KEY_FIELD,
        },
        send=sender("author_one", "/b/depression/new", {"title": "A title", **POST_BASE}),
        stored=_thread_field,
    ),
    "forum.threads.forms.ReplyForm": FormCase(
        ["GET, POST /t/<id>/reply", "GET /t/<id> (the reply box)"],
        {
            "body": (TEXT, BODY_TOO_LONG),
            "parent_id": (HIDDEN, None),
            "anonymous": (FLAG, None),
            **WARNING_FIELDS,
            **PUBLISH_FIELDS,
            **KEY_FIELD,
        },
        send=sender("author_one", lambda scene: f"/t/{scene.ids['thread']}/reply", POST_BASE),
        stored=_post_field(lambda scene, response: _location_id(response, "/p/")),
    ),
    "forum.threads.forms.EditForm": FormCase(
        ["GET, POST /p/<id>/edit"],
        {"body": (TEXT, BODY_TOO_LONG), **WARNING_FIELDS, **PUBLISH_FIELDS, **KEY_FIELD},
        send=sender("author_one", lambda scene: f"/p/{scene.ids['post']}/edit", POST_BASE),
        stored=_post_field(lambda scene, response: scene.ids["post"]),
    ),
    "forum.moderation.forms.ReportForm": FormCase(
        ["GET, POST /p/<id>/report"],
        {
            "reason": (CHOICE, None),
            "details": (TEXT, "Please keep details to 1,000 characters."),
        },
        send=sender(
            "reader_a", lambda scene: f"/p/{scene.ids['post']}/report", {"reason": "other"}
        ),
        stored=lambda scene, response, name: scene.query(
            select(Report.details).filter_by(post_id=scene.ids["post"])
        ),
    ),
    "forum.moderation.forms.ActionForm": FormCase(
        [
            "POST /mod/posts/<id>/approve|restore",
            "POST /mod/threads/<id>/lock|unlock|pin|unpin",
            "POST /mod/users/<handle>/reinstate",
            "POST /mod/appeals/<id>/grant|deny",
        ],
        MOD_REASON,
        send=sender("keeper", lambda scene: f"/mod/threads/{scene.ids['thread']}/lock"),
        stored=_event_reason,
    ),
    "forum.moderation.forms.ReasonRequiredForm": FormCase(
        ["POST /mod/posts/<id>/hide|remove|reveal"],
        MOD_REASON,
        send=sender("keeper", lambda scene: f"/mod/posts/{scene.ids['post']}/reveal"),
        stored=_event_reason,
    ),
    "forum.moderation.forms.SilenceForm": FormCase(
        ["POST /mod/users/<handle>/silence"],
        {**MOD_REASON, "days": (CHOICE, None)},
        send=sender("keeper", "/mod/users/subject_one/silence", {"reason": "Calm", "days": "1"}),
        stored=_event_reason,
    ),
    "forum.moderation.forms.SuspendForm": FormCase(
        ["POST /mod/users/<handle>/suspend"],
        {**MOD_REASON, "until": (DATE, None)},
        send=sender(
            "keeper", "/mod/users/subject_one/suspend", {"reason": "Calm", "until": "2999-01-01"}
        ),
        stored=_event_reason,
    ),
    "forum.moderation.forms.MoveForm": FormCase(
        ["POST /mod/threads/<id>/move"],
        {**MOD_REASON, "board": (HIDDEN, None)},
        send=lambda scene, data: scene.clients["keeper"].post(
            f"/mod/threads/{scene.ids['thread']}/move",
            data={"reason": "Tidy", "board": scene.other_board(), **data},
        ),
        stored=_event_reason,
        note="board is a slug chosen from a list: looked up, never stored as typed",
    ),
    "forum.moderation.forms.TrustForm": FormCase(
        ["POST /mod/users/<handle>/trust"],
        {**MOD_REASON, "level": (CHOICE, None)},
        send=lambda scene, data: scene.clients["keeper"].post(
            "/mod/users/subject_one/trust",
            data={"reason": "Kind", "level": scene.alternate("1", "2"), **data},
        ),
        stored=_event_reason,
    ),
    "forum.moderation.forms.MessageForm": FormCase(
        ["POST /mod/users/<handle>/message", "POST /mod/posts/<id>/message"],
        {
            "title": (ONE_LINE, "Titles are at most 150 characters."),
            "body": (TEXT, BODY_TOO_LONG),
        },
        send=sender(
            "keeper", "/mod/users/subject_one/message", {"title": "Checking in", "body": "Hello"}
        ),
        stored=_thread_field,
    ),
    "forum.moderation.forms.AppealForm": FormCase(
        ["GET, POST /appeal/<event_id>"],
        {"text": (TEXT, "Appeals are at most 1,000 characters.")},
        send=lambda scene, data: scene.clients["author_one"].post(
            f"/appeal/{scene.new_hide_event()}", data=data
        ),
        stored=_appeal_text,
    ),
    "forum.moderation.forms.WarningForm": FormCase(
        ["POST /mod/posts/<id>/warning"],
        {**MOD_REASON, **WARNING_FIELDS},
        send=lambda scene, data: scene.clients["keeper"].post(
            f"/mod/posts/{scene.fresh_post()}/warning",
            data={"reason": "Care", "content_warning": "custom", "content_warning_text": "CW"}
            | data,
        ),
        stored=lambda scene, response, name: (
            _event_reason(scene, response, name)
            if name == "reason"
            else scene.query(select(Post.content_warning_text).filter_by(id=scene.last_post))
        ),
    ),
    "forum.account.forms.NewPasswordForm": FormCase(
        [],
        {"password": (SECRET, None), "password_confirm": (SECRET, None)},
        note="a base class only: ChangePasswordForm and RecoverForm",
    ),
    "forum.account.forms.ChangePasswordForm": FormCase(
        ["GET, POST /settings/password"],
        {
            "password": (SECRET, None),
            "password_confirm": (SECRET, None),
            "current_password": (SECRET, None),
        },
        send=sender(
            "reader_a",
            "/settings/password",
            {"current_password": "wrong password", "password": PASSWORD + "!"},
        ),
    ),
    "forum.account.forms.RecoverForm": FormCase(
        ["GET, POST /recover"],
        {
            "password": (SECRET, None),
            "password_confirm": (SECRET, None),
            "handle": (STRIPPED, None),
            "recovery_code": (STRIPPED, None),
        },
        send=sender(
            None,
            "/recover",
            {
                "handle": "reader_a",
                "recovery_code": "ABCDE-23456-FGHJK-789MN",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        ),
    ),
    "forum.account.forms.ConfirmPasswordForm": FormCase(
        ["GET, POST /settings/recovery"],
        {"password": (SECRET, None)},
        send=sender("reader_a", "/settings/recovery"),
    ),
    "forum.account.forms.DeleteAccountForm": FormCase(
        ["GET, POST /settings/delete"],
        {"password": (SECRET, None), "posts": (CHOICE, None)},
        send=sender("reader_a", "/settings/delete", {"password": "wrong", "posts": "keep"}),
    ),
    "forum.digest.forms.EmailSettingsForm": FormCase(
        ["GET, POST /settings/email"],
        {
            "email": (STRIPPED, "An email address has at most 254 characters."),
            "digest": (CHOICE, None),
            "digest_excerpts": (FLAG, None),
            "password": (SECRET, None),
        },
        send=sender(
            "reader_a",
            "/settings/email",
            {"email": "me@example.org", "digest": "daily", "password": "wrong"},
        ),
    ),
    "forum.care.forms.SettingsForm": FormCase(
        ["GET, POST /settings"],
        {
            "region": (CHOICE, None),
            "open_content_warnings": (FLAG, None),
            "hidden_warnings": (CHOICE, None),
            "hide_counts": (FLAG, None),
            "quiet_mode": (FLAG, None),
            "muted_boards": (CHOICE, None),
            "language": (CHOICE, None),
        },
        send=sender("reader_a", "/settings"),
    ),
    "forum.care.forms.BreakForm": FormCase(
        ["POST /settings/break", "GET /settings (its button)"],
        {"days": (CHOICE, None)},
        send=sender("subject_one", "/settings/break", fresh=True),
    ),
    "forum.care.forms.PrivateThreadForm": FormCase(
        ["GET, POST /private/new"],
        {
            "title": (ONE_LINE, "At most 150 characters."),
            "body": (TEXT, BODY_TOO_LONG),
            **KEY_FIELD,
        },
        send=sender("author_one", "/private/new", {"title": "A word", "body": "Hello"}),
        stored=_thread_field,
    ),
    "forum.admin.forms.BoardEditForm": FormCase(
        ["GET, POST /admin/boards/<slug>/edit"],
        {
            "name": (ONE_LINE, "Names are at most 80 characters."),
            "description": (STRIPPED, "Descriptions are at most 500 characters."),
            "moderation_mode": (CHOICE, None),
        },
        send=sender(
            "head_admin",
            "/admin/boards/anxiety/edit",
            {"name": "Anxiety", "moderation_mode": "post"},
        ),
        stored=_board_field(lambda scene: "anxiety"),
    ),
    "forum.admin.forms.BoardForm": FormCase(
        ["POST /admin/boards", "GET /admin (its form)"],
        {
            "name": (ONE_LINE, "Names are at most 80 characters."),
            "description": (STRIPPED, "Descriptions are at most 500 characters."),
            "moderation_mode": (CHOICE, None),
            "slug": (STRIPPED, "Addresses are 2 to 64 characters"),
        },
        send=lambda scene, data: scene.clients["head_admin"].post(
            "/admin/boards",
            data={
                "slug": scene.next_slug(),
                "name": "A board",
                "moderation_mode": "post",
                **data,
            },
        ),
        stored=lambda scene, response, name: getattr(_latest_board(scene), name),
    ),
    "forum.admin.forms.GrantModeratorForm": FormCase(
        ["POST /admin/moderators", "GET /admin (its form)"],
        {"handle": (STRIPPED, None)},
        send=sender("head_admin", "/admin/moderators"),
    ),
    "forum.crisis.forms.CrisisResourceForm": FormCase(
        ["POST /admin/crisis", "GET, POST /admin/crisis/<id>/edit"],
        {
            "name": (ONE_LINE, "Names are at most 120 characters."),
            "how": (STRIPPED, "This is at most 1000 characters."),
            "hours": (ONE_LINE, "At most 120 characters."),
            "region": (CHOICE, None),
            "language": (CHOICE, None),
            "url": (STRIPPED, "Web addresses are at most 255 characters."),
            "position": (NUMBER, None),
            "is_emergency": (FLAG, None),
            "always_open": (FLAG, None),
            "last_verified": (DATE, None),
        },
        send=sender("head_admin", "/admin/crisis", CRISIS_BASE),
        stored=_crisis_field,
    ),
    "forum.safety_plan.forms.PlanForm": FormCase(
        ["GET, POST /safety-plan/edit", "GET, POST /safety-plan/blank", "GET /safety-plan"],
        {name: (LINES, PLAN_LINE_TOO_LONG) for name in PLAN_SECTIONS},
        send=sender("reader_a", "/safety-plan/edit"),
        stored=_plan_section,
    ),
    "forum.safety_plan.forms.ReminderForm": FormCase(
        ["POST /safety-plan/reminder", "GET /safety-plan (its form)"],
        {"review_every": (CHOICE, None)},
        send=sender("reader_a", "/safety-plan/reminder"),
    ),
    "forum.forms.ButtonForm": FormCase(
        ["every POST-only button: /logout, /p/<id>/delete, /p/<id>/block, /break/end, ..."],
        {},
        note="no fields: only the CSRF token",
    ),
}


def test_every_form_class_and_field_is_in_the_table(app):
    """A form added to forum/ without a row here (or a field without an entry) fails."""
    for module in pkgutil.walk_packages(forum.__path__, "forum."):
        importlib.import_module(module.name)
    found, pending = {}, [ForumForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found[f"{subclass.__module__}.{subclass.__qualname__}"] = subclass
            pending.append(subclass)
    assert sorted(found) == sorted(FORMS)
    with app.test_request_context():
        for name, form_class in found.items():
            fields = {item.name for item in form_class(meta={"csrf": False})}
            assert fields == set(FORMS[name].fields), name
            assert FORMS[name].send or FORMS[name].note, f"{name}: no route and no reason"


def _values_for(kind):
    # Text gets the whole sample; choices, flags, dates and secrets the special cases.
    return [*SAMPLE, ONE_MB] if kind in NORMALIZED else [*SPECIAL, BLNS[1], ONE_MB]


@pytest.mark.parametrize("name", [name for name, case in FORMS.items() if case.send])
def test_every_field_of_every_form_takes_hostile_values_and_loses_nothing(scene, name):
    case = FORMS[name]
    compared = 0
    for field_name, (kind, too_long) in case.fields.items():
        for value in _values_for(kind):
            sent = "pw-marker " + value if kind == SECRET else value
            response = case.send(scene, {field_name: sent})
            label = f"{name}.{field_name} = {value[:40]!r}"
            assert_no_crash(response, label)
            if kind == SECRET:
                assert "pw-marker" not in response.get_data(as_text=True), label
                continue
            if kind not in NORMALIZED:
                continue
            expected = NORMALIZED[kind](value)
            if value is ONE_MB and too_long:
                assert_refused_with(response, [too_long], expected)
            elif response.status_code >= 400:
                if expected:
                    assert_kept(response, expected)
            elif case.stored and expected:
                assert case.stored(scene, response, field_name) == expected, label
                compared += 1
    # A form whose values are never accepted would prove nothing about storing them.
    assert compared or not case.stored, f"{name}: no value was accepted and re-read"
