"""Private conversations with the moderators, from each side: the page says plainly that it
is private, without a board's controls; the member finds all theirs at /private; nobody else
can open them."""

import pytest
from sqlalchemy import select

from forum.care.private import open_private_thread
from forum.extensions import db
from forum.models import Thread
from tests.factories import board, make_member, make_reply, make_thread

MESSAGE = "I saw your post and wanted to check in. How are you doing tonight?"
BANNER = "Private conversation with the moderators: only you and the moderators can read it."


@pytest.fixture
def scene(app):
    """ash writes a signed and an anonymous reply in cy's thread; bo reads; keeper moderates."""
    with app.app_context():
        ash = make_member("ash_grove")
        make_member("bo_reader")
        make_member("keeper", role="moderator")
        make_member("chief", role="admin")
        thread = make_thread(make_member("cy_opener"), title="Long evenings", body="Opening.")
        signed = make_reply(ash, thread, "Some days are heavy.")
        secret = make_reply(ash, thread, "Nobody knows this is me.", anonymous=True)
        return {
            "thread": thread.id,
            "signed": signed.id,
            "secret": secret.id,
            "alias": secret.alias.name,
        }


def write(client, url, body=MESSAGE, title=""):
    return client.post(url, data={"title": title, "body": body})


def conversation_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def conversation_id(url: str) -> int:
    return int(url.split("/t/")[1].split("/")[0])


def text(client, url) -> str:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def main_of(page: str) -> str:
    return page.split('<main id="main"')[1].split("</main>")[0]


# --- What the page says, from each side ---------------------------------------------------


@pytest.fixture
def plea(app, scene):
    """ash asked the moderators for help; keeper answered."""
    with app.test_request_context():
        from forum.auth.services import find_member
        from forum.threads.services import reply_to_thread

        thread = open_private_thread(find_member("ash_grove"), board(), "Hard week", "Can we talk?")
        reply_to_thread(find_member("keeper"), thread, "Of course. I'm listening.", False)
        db.session.commit()
        return f"/t/{thread.id}"


BOARD_CONTROLS = (
    "Follow this thread",
    "Post anonymously",
    "You asked not to be listed as waiting for a reply",
    "I just want to write this down",
    'href="/b/depression"',
    ">Report<",
    ">Block<",
)


def test_the_member_sees_a_plainly_private_conversation_without_board_controls(plea, login_as):
    page = main_of(text(login_as("ash_grove"), plea))
    assert BANNER in page
    assert "Of course. I'm listening." in page
    assert 'href="/private">Private conversations</a>' in page
    assert "Write to the moderators" in page
    for control in BOARD_CONTROLS:
        assert control not in page, control


def test_the_moderator_sees_whom_it_is_with_and_no_board_controls(plea, login_as):
    page = main_of(text(login_as("keeper"), plea))
    assert "Private conversation between the moderators and" in page
    assert 'href="/u/ash_grove">ash_grove</a>: only they and the moderators can read it.' in page
    assert 'href="/mod?tab=private">Private threads</a>' in page
    for control in (*BOARD_CONTROLS, ">Pin<", ">Move<", "Write to the author privately"):
        assert control not in page, control
    assert ">Lock<" in page


def test_the_reply_form_page_is_private_too(plea, login_as):
    page = main_of(text(login_as("ash_grove"), f"{plea}/reply"))
    assert BANNER in page
    assert "Post anonymously" not in page and 'href="/b/depression"' not in page


def test_reporting_blocking_or_choosing_reply_wishes_in_a_conversation_is_refused(
    app, plea, login_as
):
    with app.app_context():
        thread = db.session.get(Thread, int(plea.split("/")[-1]))
        answer = thread.last_post_id
    ash = login_as("ash_grove")
    assert ash.post(f"/p/{answer}/report", data={"reason": "other"}).status_code == 403
    assert ash.get(f"/p/{answer}/block").status_code == 403
    assert ash.post(f"{plea}/reply-welcome").status_code == 403


# --- /private: the member's own conversations ---------------------------------------------


def test_private_lists_ones_own_conversations_with_their_unread_state(app, plea, login_as):
    ash = login_as("ash_grove")
    listing = main_of(text(ash, "/private"))
    assert "Hard week" in listing and "You wrote to the moderators" in listing
    assert "New</span>" in listing
    text(ash, plea)
    assert "New</span>" not in main_of(text(ash, "/private"))
    login_as("keeper").post(f"{plea}/reply", data={"body": "Still thinking of you."})
    assert "1 unread" in main_of(text(ash, "/private"))
    for other in ("bo_reader", "keeper"):
        page = main_of(text(login_as(other), "/private"))
        assert "Hard week" not in page, other
        assert "You have no private conversations." in page
    assert 'href="/private">Private conversations</a>' in text(ash, "/")


def test_other_members_and_lurkers_never_see_a_members_plea(app, plea, login_as, lurker):
    bo = login_as("bo_reader")
    for client in (bo, lurker):
        assert client.get(plea).status_code == 404
    assert bo.post(f"{plea}/reply", data={"body": "Let me in"}).status_code == 404
    assert lurker.get("/private").headers["Location"].startswith("/login")


# --- Care steps inside a conversation -------------------------------------------------------


def test_crisis_words_in_a_conversation_stay_in_it(app, plea, login_as):
    ash = login_as("ash_grove")
    reply = f"{plea}/reply"
    step = ash.post(reply, data={"body": "Some nights I just want to die."}).get_data(as_text=True)
    assert "you are not alone" in step
    assert "Send it to the moderators only" not in step and ">Send it</button>" in step
    response = ash.post(
        reply, data={"body": "Some nights I just want to die.", "crisis_choice": "moderators"}
    )
    assert response.status_code == 302
    with app.app_context():
        threads = db.session.execute(select(Thread).filter_by(is_private=True)).scalars().all()
        assert len(threads) == 1 and threads[0].reply_count == 2


def test_a_conversation_on_an_archived_board_still_takes_the_members_answer(app, plea, login_as):
    with app.app_context():
        board().archived = True
        db.session.commit()
    ash = login_as("ash_grove")
    assert "Write to the moderators" in text(ash, plea)
    assert ash.post(f"{plea}/reply", data={"body": "Still here."}).status_code == 302
