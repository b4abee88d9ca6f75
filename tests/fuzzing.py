"""Form fuzzing, shared by tests/test_form_fuzzing_*.py: the hostile values, the documented
normalizations, the checks and the scene the forms are sent from.

Every field of every form takes hostile text without a crash, and nothing typed is lost.

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

The tests, by aspect: ``test_form_fuzzing_text.py`` (every blns string into the main text
fields), ``test_form_fuzzing_every_form.py`` (``FORMS``, the table of every Flask-WTF form
class in ``forum/`` with the routes that accept it and its fields: a form class or a field
missing from the table fails, so a new form cannot escape fuzzing) and
``test_form_fuzzing_kept.py`` (passwords exactly as typed; text carried through a login, a
draft or a refused moderator action comes back whole). About 3,000 requests through the
test client; tens of seconds.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Thread
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


def build_scene(app, cast):
    """The shared cast (author_one writes the thread and a reply) and two more members:
    subject_one, whom the moderators act on, and breaker."""
    app.config["FORUM_SMTP_URL"] = "smtp://127.0.0.1:9"  # the email form shows; nothing is sent
    with app.app_context():
        author = cast.account(cast.member)
        for handle in ("subject_one", "breaker"):
            make_member(handle)
        thread = make_thread(author, title="Evenings", body="Opening words")
        reply = make_reply(author, thread, "Words to be edited and reported")
        ids = {"thread": thread.id, "post": reply.id}
    return Scene(app, ids, {name: cast.client(name) for name in CLIENTS})


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
