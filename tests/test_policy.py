"""forum.policy without HTTP: each rule, for each role and object state, from one table.

The rules take plain objects (they never query), so stand-ins are enough here; the
authorization matrix (tests/test_authorization_matrix.py) checks that the routes ask them.
"""

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from forum import policy
from forum.models.posts import HELD, HIDDEN, PENDING_REVIEW, PUBLISHED, REJECTED, REMOVED

FAR_FUTURE = datetime(2999, 1, 1)


@dataclass
class Person:
    id: int
    role: str = "member"
    authenticated: bool = True
    silenced: bool = False
    trust_level: int = 1
    is_deleted: bool = False

    @property
    def is_authenticated(self):
        return self.authenticated

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def silenced_until(self):
        return FAR_FUTURE if self.silenced else None

    def is_silenced(self, now):
        return self.silenced


@dataclass
class Board:
    archived: bool = False


@dataclass
class Thread:
    locked: bool = False
    held: bool = False
    is_private: bool = False
    board: Board = field(default_factory=Board)
    first_post: object = None


@dataclass
class Post:
    author_id: int | None
    state: str = PUBLISHED
    is_anonymous: bool = False
    is_deleted: bool = False
    thread: Thread = field(default_factory=Thread)
    author: Person | None = None
    content_warning: str | None = None
    content_warning_text: str | None = None


LURKER = Person(0, authenticated=False)
AUTHOR = Person(1)
OTHER = Person(2)
SILENCED = Person(3, silenced=True)
MODERATOR = Person(4, role="moderator")
ADMIN = Person(5, role="admin")
PEOPLE = {
    "lurker": LURKER,
    "author": AUTHOR,
    "other": OTHER,
    "silenced": SILENCED,
    "moderator": MODERATOR,
    "admin": ADMIN,
}


def post(state=PUBLISHED, **kw) -> Post:
    return Post(author_id=AUTHOR.id, state=state, author=AUTHOR, **kw)


POSTS = {
    "published": post(),
    "held": post(HELD),
    "pending": post(PENDING_REVIEW),
    "hidden": post(HIDDEN),
    "removed": post(REMOVED),
    "rejected": post(REJECTED),
    "deleted": post(is_deleted=True),
    "anonymous": post(is_anonymous=True),
    "private": post(thread=Thread(is_private=True)),
}
THREADS = {
    "open": Thread(),
    "locked": Thread(locked=True),
    "archived": Thread(board=Board(archived=True)),
    "private": Thread(is_private=True, board=Board(archived=True)),
}

Y, N = True, False
#        lurker author other silenced moderator admin
POST_RULES = {
    "can_edit_post": {
        "published": (N, Y, N, N, N, N),
        "held": (N, Y, N, N, N, N),
        "hidden": (N, N, N, N, N, N),
        "deleted": (N, N, N, N, N, N),
    },
    "can_delete_post": {
        "published": (N, Y, N, N, N, N),
        "removed": (N, Y, N, N, N, N),
        "deleted": (N, N, N, N, N, N),
    },
    "can_see_post": {
        "published": (Y, Y, Y, Y, Y, Y),
        "hidden": (Y, Y, Y, Y, Y, Y),  # seen as a placeholder (forum.display)
        "held": (N, Y, N, N, Y, Y),
        "rejected": (N, Y, N, N, Y, Y),
    },
    "can_see_history": {
        "published": (N, Y, N, N, Y, Y),
        "anonymous": (N, Y, N, N, Y, Y),
        "deleted": (N, N, N, N, N, N),
    },
    "can_report_post": {
        "published": (N, N, Y, N, Y, Y),
        "deleted": (N, N, N, N, N, N),
        "private": (N, N, N, N, N, N),
    },
    "can_react_to": {
        "published": (N, N, Y, Y, Y, Y),
        "hidden": (N, N, N, N, N, N),
        "deleted": (N, N, N, N, N, N),
    },
    "can_block": {
        "published": (N, N, Y, Y, Y, Y),
        "anonymous": (N, N, Y, Y, Y, Y),
        "deleted": (N, N, N, N, N, N),
        "private": (N, N, N, N, N, N),
    },
    "can_hide_post": {
        "published": (N, N, N, N, Y, Y),
        "pending": (N, N, N, N, Y, Y),
        "hidden": (N, N, N, N, N, N),
        "held": (N, N, N, N, N, N),
    },
    "can_remove_post": {
        "published": (N, N, N, N, Y, Y),
        "held": (N, N, N, N, Y, Y),
        "removed": (N, N, N, N, N, N),
        "deleted": (N, N, N, N, N, N),
    },
    "can_restore_post": {
        "hidden": (N, N, N, N, Y, Y),
        "removed": (N, N, N, N, Y, Y),
        "published": (N, N, N, N, N, N),
    },
    "can_reveal_author": {
        "anonymous": (N, N, N, N, Y, Y),
        "published": (N, N, N, N, N, N),
    },
    "can_message_author": {
        "published": (N, N, N, N, Y, Y),
        "anonymous": (N, N, N, N, Y, Y),
        "private": (N, N, N, N, N, N),
    },
}
THREAD_RULES = {
    "can_reply": {
        "open": (N, Y, Y, Y, Y, Y),
        "locked": (N, N, N, N, Y, Y),
        "archived": (N, N, N, N, Y, Y),
        "private": (N, Y, Y, Y, Y, Y),
    },
    "can_follow_thread": {
        "open": (N, Y, Y, Y, Y, Y),
        "private": (N, N, N, N, N, N),
    },
}


def cases(rules, objects):
    for rule, states in rules.items():
        for state, answers in states.items():
            for (name, person), answer in zip(PEOPLE.items(), answers, strict=True):
                yield pytest.param(
                    rule, objects[state], person, answer, id=f"{rule}-{state}-{name}"
                )


@pytest.mark.parametrize("rule, thing, person, allowed", list(cases(POST_RULES, POSTS)))
def test_post_rules(rule, thing, person, allowed):
    assert getattr(policy, rule)(person, thing) is allowed


@pytest.mark.parametrize("rule, thing, person, allowed", list(cases(THREAD_RULES, THREADS)))
def test_thread_rules(rule, thing, person, allowed):
    assert bool(getattr(policy, rule)(person, thing)) is allowed


@pytest.mark.parametrize(
    "target, allowed",
    [
        (Person(10), (N, N, N, N, Y, Y)),
        (Person(11, role="moderator"), (N, N, N, N, N, Y)),  # only an admin acts on one
        (Person(12, role="admin"), (N, N, N, N, N, N)),  # nobody acts on an admin
    ],
    ids=["member", "moderator", "admin"],
)
def test_who_may_sanction_whom(target, allowed):
    got = tuple(policy.can_sanction(person, target) for person in PEOPLE.values())
    assert got == allowed
    assert not policy.can_sanction(MODERATOR, MODERATOR)  # never oneself


@dataclass
class Event:
    subject_id: int
    action: str
    actor_id: int = MODERATOR.id


@dataclass
class Appeal:
    event: Event
    outcome: str | None = None


def test_appeals_say_why_they_are_refused():
    hide = Event(AUTHOR.id, "hide")
    assert policy.appeal_block(AUTHOR, hide, already_appealed=False) is None
    assert "already appealed" in policy.appeal_block(AUTHOR, hide, already_appealed=True)
    assert "Only the member" in policy.appeal_block(OTHER, hide, already_appealed=False)
    assert "cannot be appealed" in policy.appeal_block(AUTHOR, Event(AUTHOR.id, "lock"), False)
    pending = Appeal(hide)
    assert "different moderator" in policy.appeal_decision_block(MODERATOR, pending)
    assert policy.appeal_decision_block(ADMIN, pending) is None
    assert "already been decided" in policy.appeal_decision_block(ADMIN, Appeal(hide, "granted"))
    assert "Only a moderator" in policy.appeal_decision_block(OTHER, pending)


def test_posting_refusals_say_why():
    assert policy.posting_refusal(AUTHOR, over_daily_limit=False, daily_limit=10) is None
    status, message = policy.posting_refusal(SILENCED, over_daily_limit=False, daily_limit=10)
    assert status == 403 and "paused your posting" in message and "kept below" in message
    status, message = policy.posting_refusal(AUTHOR, over_daily_limit=True, daily_limit=10)
    assert status == 429 and "10 times a day" in message


def test_blocks_only_ever_refuse_signed_posts_and_never_moderators():
    assert not policy.can_answer(OTHER, refused_by_author=True)
    assert policy.can_answer(MODERATOR, refused_by_author=True)
    assert policy.can_answer(OTHER, refused_by_author=False)
    assert not policy.can_react_to(OTHER, POSTS["published"], refused_by_author=True)


def test_digests_never_quote_what_an_inbox_should_not_show():
    assert policy.can_quote_in_digest(POSTS["published"])
    for state in ("hidden", "held", "deleted", "private"):
        assert not policy.can_quote_in_digest(POSTS[state]), state
    assert not policy.can_quote_in_digest(post(content_warning="grief"))
    assert not policy.can_quote_in_digest(Post(AUTHOR.id, thread=Thread(held=True)))
    assert not policy.can_quote_in_digest(None)


def test_waiting_list_is_for_trusted_members_and_moderators():
    got = [policy.can_see_waiting_list(person) for person in PEOPLE.values()]
    assert got == [N, N, N, N, Y, Y]
    assert policy.can_see_waiting_list(Person(20, trust_level=2))
