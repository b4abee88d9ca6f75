"""Autosaved drafts (``POST /drafts/save``) only for forms the member may use, and a cap per member.

Written from the side of a member who posts hand-made places: another member's held or
private thread, another member's post, a board that is archived or does not exist, or text
that names no form at all. Each answers 404, as the pages themselves do for what the member
may not see, and leaves no row behind.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.admin.services import set_board_archived
from forum.auth.services import find_member
from forum.care.drafts import save_draft
from forum.care.private import open_private_thread
from forum.extensions import db
from forum.models import Draft, Thread, utcnow
from forum.models.posts import HELD
from forum.moderation.actions import set_thread_flag
from tests.factories import board, make_member, make_reply, make_thread


@pytest.fixture
def places(app):
    """Another member's threads and posts in every state, and the prying member."""
    with app.app_context():
        owner = make_member("the_owner")
        make_member("prying_one")
        keeper = make_member("keeper", role="moderator")
        admin = make_member("head_admin", role="admin")
        visible = make_thread(owner, title="Visible thread")
        published = make_reply(owner, visible, "Published words.")
        locked = make_thread(owner, title="Locked thread")
        set_thread_flag(keeper, locked, "lock")
        private = open_private_thread(owner, board(), "Private words", "Only the moderators.")
        app.config["FORUM_NEW_MEMBER_HOLD"] = 10_000
        owner.trust_level = 0
        db.session.commit()
        held_thread = make_thread(owner, title="Held thread")
        held_reply = make_reply(owner, visible, "Held words.")
        owner.trust_level = 1
        app.config["FORUM_NEW_MEMBER_HOLD"] = 0
        set_board_archived(admin, board("off-topic"), True)
        db.session.commit()
        assert held_thread.held and held_reply.state == HELD and private.is_private
        return {
            "held thread": f"reply:{held_thread.id}",
            "private thread": f"reply:{private.id}",
            "locked thread": f"reply:{locked.id}",
            "another's post": f"edit:{published.id}",
            "another's held post": f"edit:{held_reply.id}",
            "another's held opening post": f"edit:{held_thread.first_post_id}",
            "visible thread": f"reply:{visible.id}",
            "own held thread": f"reply:{held_thread.id}",
            "own post": f"edit:{published.id}",
        }


def drafts_of(app, handle: str) -> list[str]:
    with app.app_context():
        member = find_member(handle)
        return list(
            db.session.execute(select(Draft.place).filter_by(member_id=member.id)).scalars()
        )


def save(client, place: str, body: str = "Words I typed."):
    return client.post("/drafts/save", data={"place": place, "body": body})


REFUSED = [
    "held thread",
    "private thread",
    "locked thread",
    "another's post",
    "another's held post",
    "another's held opening post",
]
GARBAGE = [
    "",
    "../etc",
    "reply:",
    "reply:abc",
    "reply:0",
    "reply:-1",
    "reply:999999",
    "reply:99999999999999999999999999",
    "reply:²",
    "edit:999999",
    "edit:1.5",
    "new:",
    "new:no-such-board",
    "new:off-topic",  # archived
    "new:depression/../anxiety",
    "other:1",
    "reply:1:2",
]


@pytest.mark.parametrize("what", REFUSED)
def test_a_draft_for_a_place_the_member_may_not_write_in_is_refused_as_not_found(
    app, places, login_as, what
):
    prying = login_as("prying_one")
    response = save(prying, places[what])
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in response.get_data(as_text=True)
    assert drafts_of(app, "prying_one") == []
    assert "No drafts." in prying.get("/drafts").get_data(as_text=True)


@pytest.mark.parametrize("place", GARBAGE)
def test_a_draft_for_a_place_that_names_no_form_is_refused_as_not_found(
    app, places, login_as, place
):
    prying = login_as("prying_one")
    assert save(prying, place).status_code == 404
    assert drafts_of(app, "prying_one") == []


def test_the_answer_for_a_hidden_thread_is_the_answer_for_no_thread(app, places, login_as):
    """The same page for a held thread as for an id nobody has: it does not say one exists."""
    prying = login_as("prying_one")
    hidden = save(prying, places["held thread"])
    missing = save(prying, "reply:999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()


@pytest.mark.parametrize(
    "handle, what",
    [
        ("prying_one", "visible thread"),
        ("the_owner", "own held thread"),
        ("the_owner", "own post"),
        ("keeper", "locked thread"),
        ("keeper", "private thread"),
    ],
)
def test_a_draft_for_a_form_the_member_may_use_is_kept(app, places, login_as, handle, what):
    member = login_as(handle)
    assert save(member, places[what]).get_json() == {"saved": True}
    assert drafts_of(app, handle) == [places[what]]


def test_a_moderator_may_keep_a_draft_for_a_new_thread_on_an_archived_board(app, places, login_as):
    keeper = login_as("keeper")
    assert save(keeper, "new:off-topic").get_json() == {"saved": True}
    assert save(login_as("the_owner"), "new:off-topic").status_code == 404


def test_the_fifty_first_draft_replaces_the_oldest_and_is_kept(app, places, login_as):
    with app.app_context():
        author = find_member("the_owner")
        member = find_member("prying_one")
        threads = [make_thread(author, title=f"Thread {n}") for n in range(51)]
        start = utcnow() - timedelta(days=1)
        for n, thread in enumerate(threads[:50]):
            draft = save_draft(member, f"reply:{thread.id}", {"body": f"Draft number {n}."})
            draft.updated_at = start + timedelta(minutes=n)
        db.session.commit()
        newest = threads[50].id
    prying = login_as("prying_one")
    assert save(prying, f"reply:{newest}", "Draft number 50.").get_json() == {"saved": True}
    with app.app_context():
        member = find_member("prying_one")
        kept = db.session.execute(
            select(func.count()).select_from(Draft).filter_by(member_id=member.id)
        ).scalar()
    assert kept == 50
    page = prying.get("/drafts").get_data(as_text=True)
    assert "Draft number 50." in page
    assert "Draft number 1." in page
    assert "Draft number 0." not in page


def test_saving_an_existing_draft_at_the_cap_removes_nothing(app, places, login_as):
    app.config["FORUM_DRAFTS_MAX"] = 2
    prying = login_as("prying_one")
    save(prying, places["visible thread"], "First words.")
    save(prying, "new:depression", "Second words.")
    save(prying, places["visible thread"], "First words, more of them.")
    page = prying.get("/drafts").get_data(as_text=True)
    assert "First words, more of them." in page and "Second words." in page


def test_the_draft_being_saved_is_never_the_one_removed(app, places, login_as):
    """Even when its clock says it is the oldest, the draft just saved stays."""
    app.config["FORUM_DRAFTS_MAX"] = 1
    with app.app_context():
        member = find_member("prying_one")
        other = save_draft(member, "new:anxiety", {"body": "Written tomorrow?"})
        other.updated_at = utcnow() + timedelta(days=1)
        db.session.commit()
    prying = login_as("prying_one")
    assert save(prying, "new:depression", "The one I am writing.").get_json() == {"saved": True}
    page = prying.get("/drafts").get_data(as_text=True)
    assert "The one I am writing." in page
    assert "Written tomorrow?" not in page


def test_a_thread_locked_while_writing_takes_no_more_autosaves(app, places, login_as):
    prying = login_as("prying_one")
    place = places["visible thread"]
    assert save(prying, place).status_code == 200
    with app.app_context():
        thread = db.session.get(Thread, int(place.split(":")[1]))
        set_thread_flag(find_member("keeper"), thread, "lock")
        db.session.commit()
    assert save(prying, place, "More words.").status_code == 404
