"""Every field of every form takes hostile text without a crash, and nothing typed is lost.

What is fed in: every string of ``../shared/corpora/blns.json`` (the Big List of Naughty
Strings) into the main text fields (thread title, post body, content-warning text, report
details, search; replies and edits, the same body field, get every third string), and into
every other field of every form a representative
sample of it plus the special cases: NUL and other control bytes, CRLF and lone CR, Unicode
line separators, right-to-left overrides, decomposed accents, and a 1 MB value.

What must come out: never a 500 or a traceback. An accepted value is stored exactly as typed
(re-queried from the database) apart from these documented normalizations, applied by
``forum/forms.py`` to every field except passwords and asserted precisely here:

1. **cleaned** (every text field): CRLF and lone CR become LF; the C0 control characters
   other than tab and LF (NUL included: PostgreSQL cannot store it) and DEL are dropped.
   Nothing else changes: no Unicode normalization (NFC or otherwise), no trimming, so
   decomposed accents, zero-width joiners and right-to-left marks stay exactly as typed.
2. **stripped** (handles, reasons, descriptions, codes, addresses): cleaned, then leading and
   trailing whitespace (Python's ``str.strip``, Unicode whitespace included) removed.
3. **one line** (titles, names, warning texts): cleaned, then every run of whitespace
   (``str.split``) becomes one space, which also trims both ends.
4. **passwords** are never changed at all: what was typed at registration logs in, byte for
   byte, NUL and all; they are never echoed back into a page either.
5. **search** shows the query back NFC-normalized, non-printable characters as spaces, runs
   of spaces collapsed, at most 200 characters (``forum/search/terms.py``).
6. **lines** (the safety plan's sections, one thing per line): cleaned, then each line
   stripped (``str.strip``) and empty lines dropped; only LF separates lines.

A refused value (too long, blank, not a valid choice) answers 400 with the field's own
message and the typed text (normalized as above) back in the form, never lost; 1 MB of text
gets a clear "at most N characters" message (the app allows 2 MB bodies, so no 413). A field
that has no length of its own (hidden fields, a login handle) answers as for any wrong value.

``FORMS`` is the table of every Flask-WTF form class in ``forum/`` with the routes that accept
it and its fields: a form class or a field missing from the table fails the test, so a new
form cannot escape fuzzing. About 3,000 requests through the test client; tens of seconds.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

import forum
from forum.extensions import db
from forum.forms import ForumForm
from forum.models import Post, Report, Thread
from tests.factories import PASSWORD, make_member, make_reply, make_thread

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
BLNS = json.loads((CORPORA / "blns.json").read_text(encoding="utf-8"))
ONE_MB = ("words I typed and want to keep " * 35_000)[:1_000_000]

SPECIAL = [
    "nul\x00inside\x00",
    "\x00",
    "controls \x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f end",
    "windows\r\nline\r\nends\r\n",
    "old mac\rline ends\r",
    "tab\tinside\tand\ttrailing\t",
    "  spaces around  ",
    "line\u2028separator\u2029paragraph",
    "\u202eright-to-left override\u202c",
    "decomposed e\u0301 and composed \u00e9",
    "zero\u200bwidth\u200djoiner \U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\ufeffbyte order mark",
    "\u00a0no-break\u3000ideographic space\u00a0",
    "C1 controls \x85\x9f kept",
    "<script>alert(1)</script>",
    "'; DROP TABLE members; --",
    "{{ 7*7 }} ${7*7} %s %n",
    "\U0001f4a9" * 10,
]
# Bodies get every blns string in the thread test; replies and edits, every third one more.
BODY_SAMPLE = BLNS[::3]
# What every field that is not a main text field gets (with ONE_MB): every 30th blns string.
SAMPLE = [*SPECIAL, *BLNS[::30]]


# -- the documented normalizations ---------------------------------------------------------

_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cleaned(value: str) -> str:
    return _DROPPED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def stripped(value: str) -> str:
    return cleaned(value).strip()


def one_line(value: str) -> str:
    return " ".join(cleaned(value).split())


def lines(value: str) -> str:
    return "\n".join(line.strip() for line in cleaned(value).split("\n") if line.strip())


def shown_query(value: str) -> str:
    text = unicodedata.normalize("NFC", value[:800])
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:200]


# -- checks --------------------------------------------------------------------------------


def assert_no_crash(response, value):
    text = response.get_data(as_text=True)
    label = repr(value[:60])
    assert response.status_code < 500, f"{label}: {response.status_code}"
    assert "Traceback" not in text, label
    assert "Something went wrong on our side" not in text, label


def assert_kept(response, *typed: str):
    """Every typed value is back in the page (escaped as the form renders it)."""
    text = response.get_data(as_text=True)
    for value in typed:
        kept = str(escape(value)) in text
        assert kept, f"{value[:60]!r} is not kept in the page"


def assert_refused_with(response, messages, *typed):
    assert response.status_code == 400, response.status_code
    text = response.get_data(as_text=True)
    for message in messages:
        assert str(escape(message)) in text, message
    assert_kept(response, *typed)


# -- the scene -----------------------------------------------------------------------------


@pytest.fixture
def scene(app, login_as):
    app.config["FORUM_SMTP_URL"] = "smtp://127.0.0.1:9"  # the email form shows; nothing is sent
    with app.app_context():
        author = make_member("author_one")
        for handle in ("reader_a", "subject_one", "breaker"):
            make_member(handle)
        make_member("keeper", role="moderator")
        make_member("head_admin", role="admin")
        thread = make_thread(author, title="Evenings", body="Opening words")
        reply = make_reply(author, thread, "Words to be edited and reported")
        ids = {"thread": thread.id, "post": reply.id}
    return Scene(app, ids, {name: login_as(name) for name in CLIENTS})


CLIENTS = ("author_one", "reader_a", "keeper", "head_admin")


@dataclass
class Scene:
    """The members, posts and logged-in clients the forms are sent from."""

    app: object
    ids: dict
    clients: dict
    count: int = 0
    slug: str = ""
    last_post: int = 0

    def query(self, statement):
        with self.app.app_context():
            return db.session.execute(statement).scalar_one()

    def lurker(self):
        return self.app.test_client()

    def login(self, handle):
        client = self.app.test_client()
        client.post("/login", data={"handle": handle, "password": PASSWORD})
        return client

    def _next(self) -> int:
        self.count += 1
        return self.count

    def next_handle(self) -> str:
        return f"joiner_{self._next()}"

    def next_slug(self) -> str:
        self.slug = f"board-{self._next()}"
        return self.slug

    def alternate(self, first, second):
        return first if self._next() % 2 else second

    def other_board(self) -> str:
        from forum.models import Board

        board_id = self.query(select(Thread.board_id).filter_by(id=self.ids["thread"]))
        slug = self.query(select(Board.slug).filter_by(id=board_id))
        return "anxiety" if slug != "anxiety" else "depression"

    def fresh_post(self) -> int:
        """A new reply by author_one (so a content warning change is always a change)."""
        with self.app.app_context():
            from forum.auth.services import find_member

            thread = db.session.get(Thread, self.ids["thread"])
            self.last_post = make_reply(find_member("author_one"), thread, "More words").id
        return self.last_post

    def new_hide_event(self) -> int:
        """A post of author_one hidden by a moderator: a decision they may appeal once."""
        from forum.auth.services import find_member
        from forum.models import ModerationEvent
        from forum.moderation.actions import hide_post

        post_id = self.fresh_post()
        with self.app.test_request_context():
            hide_post(find_member("keeper"), db.session.get(Post, post_id), "Hidden for a test")
            db.session.commit()
            return db.session.execute(
                select(ModerationEvent.id).order_by(ModerationEvent.id.desc())
            ).scalar()


POSTING = {"crisis_choice": "post", "privacy_choice": "post"}
TITLE_TOO_LONG = "Titles are 3 to 150 characters long."
BLANK = "Please write something before posting."
BODY_TOO_LONG = "Posts can be at most 20,000 characters."
WARNING_TOO_LONG = "Warnings are at most 60 characters."


def body_problems(body: str) -> list[str]:
    if not body.strip():
        return [BLANK]
    return [BODY_TOO_LONG] if len(body) > 20_000 else []


# -- every blns string into the main text fields --------------------------------------------


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
