"""Private conversations with the moderators, from each side: a moderator writes to a member
from a post, a profile or the queue (an anonymous post's author stays unnamed to them); the
member reads it, answers, and finds all theirs at /private; nobody else can open them; and
the page says plainly that it is private, without a board's controls."""

import re

import pytest
from sqlalchemy import select

from forum.care.private import open_private_thread
from forum.extensions import db
from forum.models import ModerationEvent, ModerationItem, Post, Thread
from tests.factories import board, make_member, make_reply, make_thread

MESSAGE = "I saw your post and wanted to check in. How are you doing tonight?"
BANNER = "Private conversation with the moderators: only you and the moderators can read it."


@pytest.fixture
def scene(app, cast):
    """The cast: author_one writes a signed and an anonymous reply in cy_opener's thread;
    reader_a reads; keeper moderates; head_admin too."""
    with app.app_context():
        author = cast.account(cast.member)
        thread = make_thread(make_member("cy_opener"), title="Long evenings", body="Opening.")
        signed = make_reply(author, thread, "Some days are heavy.")
        secret = make_reply(author, thread, "Nobody knows this is me.", anonymous=True)
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


# --- A moderator writes: from a post, a profile, the queue --------------------------------


def test_a_moderator_writes_from_a_post_and_the_member_reads_it(app, scene, login_as):
    keeper = login_as("keeper")
    thread_page = text(keeper, f"/t/{scene['thread']}")
    assert f'action="/mod/posts/{scene["signed"]}/message"' in thread_page
    assert "Write to the author privately" in thread_page
    url = conversation_url(write(keeper, f"/mod/posts/{scene['signed']}/message"))
    sent = text(keeper, url)
    assert "Your message is sent." in sent and MESSAGE in sent
    assert "Private conversation between the moderators and" in sent
    assert 'href="/u/author_one">author_one</a>' in sent

    author = login_as("author_one")
    notices = text(author, "/notifications")
    assert "A moderator wrote to you privately: “About your post in “Long evenings”" in notices
    page = text(author, url)
    assert BANNER in page and MESSAGE in page
    with app.app_context():
        event = db.session.execute(select(ModerationEvent).filter_by(action="message")).scalar()
        assert event.actor.handle == "keeper" and event.subject.handle == "author_one"
        assert event.post_id == scene["signed"] and event.thread_id == conversation_id(url)


def test_a_moderator_writes_from_a_profile_with_a_title_of_their_own(app, scene, login_as):
    keeper = login_as("keeper")
    profile = text(keeper, "/u/author_one")
    assert 'action="/mod/users/author_one/message"' in profile
    assert "/mod/users/author_one/message" not in text(login_as("reader_a"), "/u/author_one")
    url = conversation_url(write(keeper, "/mod/users/author_one/message", title="Checking in"))
    author = login_as("author_one")
    assert "A moderator wrote to you privately: “Checking in”" in text(author, "/notifications")
    page = text(author, url)
    assert "<h1>Checking in</h1>" in page and MESSAGE in page and BANNER in page
    log = text(keeper, "/mod/log?action=message")
    assert "member author_one" in log


def test_an_admin_writes_from_the_queue_item_of_a_reported_post(app, scene, login_as):
    login_as("reader_a").post(f"/p/{scene['signed']}/report", data={"reason": "risk"})
    chief = login_as("head_admin")
    queue = text(chief, "/mod")
    assert f'action="/mod/posts/{scene["signed"]}/message"' in queue
    url = conversation_url(write(chief, f"/mod/posts/{scene['signed']}/message"))
    assert MESSAGE in text(login_as("author_one"), url)


def test_the_member_answers_and_the_conversation_enters_the_private_tab(app, scene, login_as):
    keeper = login_as("keeper")
    url = conversation_url(write(keeper, f"/mod/posts/{scene['signed']}/message"))
    assert "Nothing here." in text(keeper, "/mod?tab=private")  # no item before an answer
    author = login_as("author_one")
    thread_id = conversation_id(url)
    author.post(f"/t/{thread_id}/reply", data={"body": "Thank you, it helps to be asked."})
    queue = text(keeper, "/mod?tab=private")
    assert "Thank you, it helps to be asked." in queue
    assert "Open the private thread and reply" in queue
    assert "Silence author" not in queue  # nobody is silenced for answering the moderators
    assert "Write to the author privately" not in queue  # they answer in the conversation
    author.post(f"/t/{thread_id}/reply", data={"body": "And one more thing."})
    with app.app_context():
        items = db.session.execute(select(ModerationItem).filter_by(kind="private")).all()
        assert len(items) == 1  # one item per conversation, on the member's first words
    # Another moderator follows up: the member is told, not the moderator who began.
    make_other_moderator(app)
    login_as("warden").post(f"/t/{thread_id}/reply", data={"body": "We are here for you."})
    assert "A moderator replied to you privately." in text(author, "/notifications")
    assert "A moderator replied to you privately." not in text(keeper, "/notifications")


def make_other_moderator(app):
    with app.app_context():
        make_member("warden", role="moderator")


# --- Nobody else can open it --------------------------------------------------------------


def test_other_members_and_lurkers_never_see_the_conversation(app, scene, login_as, lurker):
    url = conversation_url(write(login_as("keeper"), "/mod/users/author_one/message"))
    thread_id = conversation_id(url)
    with app.app_context():
        opening = db.session.get(Thread, thread_id).first_post_id
    reader = login_as("reader_a")
    for client in (reader, lurker):
        assert client.get(url).status_code == 404
        assert client.get(f"/p/{opening}").status_code == 404
    assert reader.get(f"/t/{thread_id}/reply").status_code == 404
    assert reader.post(f"/t/{thread_id}/reply", data={"body": "Let me in"}).status_code == 404
    assert "A message from the moderators" in text(login_as("author_one"), "/private")
    assert "A message from the moderators" not in text(reader, "/private")
    assert MESSAGE not in text(lurker, "/b/depression") + text(lurker, "/u/author_one")
    assert lurker.get("/private").headers["Location"].startswith("/login")


def test_only_moderators_may_write_and_never_to_themselves_or_about_their_own_post(
    app, scene, login_as
):
    reader = login_as("reader_a")
    assert write(reader, f"/mod/posts/{scene['signed']}/message").status_code == 403
    assert write(reader, "/mod/users/author_one/message").status_code == 403
    keeper = login_as("keeper")
    assert write(keeper, "/mod/users/keeper/message").status_code == 403
    with app.app_context():
        from forum.auth.services import find_member

        own = make_reply(find_member("keeper"), db.session.get(Thread, scene["thread"]), "Mine")
        own_id = own.id
    assert write(keeper, f"/mod/posts/{own_id}/message").status_code == 403
    assert write(keeper, "/mod/users/nobody_here/message").status_code == 404
    with app.app_context():
        assert db.session.execute(select(Thread).filter_by(is_private=True)).first() is None


def test_an_empty_message_is_refused_and_the_title_typed_is_shown_back(app, scene, login_as):
    response = write(login_as("keeper"), "/mod/users/author_one/message", "  ", "Still here")
    assert response.status_code == 400
    assert "Still here" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Thread).filter_by(is_private=True)).first() is None
        assert (
            db.session.execute(select(ModerationEvent).filter_by(action="message")).first() is None
        )


@pytest.fixture
def limited(app_config):
    app_config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", FORUM_LIMIT_POSTS="2 per minute"
    )


def test_opening_private_threads_counts_against_the_posting_limit(limited, app, scene, login_as):
    author = login_as("author_one")
    sent = [
        author.post("/private/new", data={"title": f"Help {n}", "body": f"Words {n}"})
        for n in range(3)
    ]
    assert [response.status_code for response in sent] == [302, 302, 429]
    assert "Words 2" in sent[2].get_data(as_text=True)  # the refused words are kept


def test_writing_to_members_counts_against_the_posting_limit(limited, app, scene, login_as):
    keeper = login_as("keeper")
    statuses = [write(keeper, "/mod/users/author_one/message").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


# --- An anonymous post's author stays unnamed to the moderators -----------------------------


def test_writing_about_an_anonymous_post_never_names_its_author_to_the_moderators(
    app, scene, login_as
):
    keeper = login_as("keeper")
    thread_page = text(keeper, f"/t/{scene['thread']}")
    assert f'action="/mod/posts/{scene["secret"]}/message"' in thread_page
    url = conversation_url(write(keeper, f"/mod/posts/{scene['secret']}/message"))
    thread_id = conversation_id(url)

    author = login_as("author_one")
    assert "A moderator wrote to you privately" in text(author, "/notifications")
    own = text(author, url)
    assert MESSAGE in own and BANNER in own
    assert f"You appear here as <strong>{scene['alias']}</strong>" in own
    assert "Post anonymously" not in own
    author.post(f"/t/{thread_id}/reply", data={"body": "It was me. Thank you for asking."})
    with app.app_context():
        answer = db.session.execute(
            select(Post).filter_by(
                thread_id=thread_id, body_source="It was me. Thank you for asking."
            )
        ).scalar_one()
        assert answer.is_anonymous and answer.alias.name == scene["alias"]

    seen = {
        path: main_of(text(keeper, path))
        for path in (url, "/mod?tab=private", "/mod/log", "/mod/log?action=message")
    }
    assert scene["alias"] in seen[url] and "Thank you for asking." in seen[url]
    assert "Private conversation between the moderators and" in seen[url]
    assert scene["alias"] in seen["/mod?tab=private"]
    assert scene["alias"] in seen["/mod/log?action=message"]
    for path, page in seen.items():
        assert "author_one" not in page, path
    assert "message" not in main_of(text(keeper, "/mod/log?member=author_one")).split("<tbody>")[1]


# --- What the page says, from each side ---------------------------------------------------


@pytest.fixture
def plea(app, scene):
    """author_one asked the moderators for help; keeper answered."""
    with app.test_request_context():
        from forum.auth.services import find_member
        from forum.threads.services import reply_to_thread

        thread = open_private_thread(
            find_member("author_one"), board(), "Hard week", "Can we talk?"
        )
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
    page = main_of(text(login_as("author_one"), plea))
    assert BANNER in page
    assert "Of course. I'm listening." in page
    assert 'href="/private">Private conversations</a>' in page
    assert "Write to the moderators" in page
    for control in BOARD_CONTROLS:
        assert control not in page, control


def test_the_moderator_sees_whom_it_is_with_and_no_board_controls(plea, login_as):
    page = main_of(text(login_as("keeper"), plea))
    assert "Private conversation between the moderators and" in page
    assert 'href="/u/author_one">author_one</a>: only they and the moderators can read it.' in page
    assert 'href="/mod?tab=private">Private threads</a>' in page
    for control in (*BOARD_CONTROLS, ">Pin<", ">Move<", "Write to the author privately"):
        assert control not in page, control
    assert ">Lock<" in page


def test_the_reply_form_page_is_private_too(plea, login_as):
    page = main_of(text(login_as("author_one"), f"{plea}/reply"))
    assert BANNER in page
    assert "Post anonymously" not in page and 'href="/b/depression"' not in page


def test_reporting_blocking_or_choosing_reply_wishes_in_a_conversation_is_refused(
    app, plea, login_as
):
    with app.app_context():
        thread = db.session.get(Thread, int(plea.split("/")[-1]))
        answer = thread.last_post_id
    author = login_as("author_one")
    assert author.post(f"/p/{answer}/report", data={"reason": "other"}).status_code == 403
    assert author.get(f"/p/{answer}/block").status_code == 403
    assert author.post(f"{plea}/reply-welcome").status_code == 403


# --- /private: the member's own conversations ---------------------------------------------


def test_private_lists_ones_own_conversations_with_their_unread_state(app, plea, login_as):
    author = login_as("author_one")
    listing = main_of(text(author, "/private"))
    assert "Hard week" in listing and "You wrote to the moderators" in listing
    assert "New</span>" in listing
    text(author, plea)
    assert "New</span>" not in main_of(text(author, "/private"))
    login_as("keeper").post(f"{plea}/reply", data={"body": "Still thinking of you."})
    assert "1 unread" in main_of(text(author, "/private"))
    for other in ("reader_a", "keeper"):
        page = main_of(text(login_as(other), "/private"))
        assert "Hard week" not in page, other
        assert "You have no private conversations." in page
    assert 'href="/private">Private conversations</a>' in text(author, "/")


def test_other_members_and_lurkers_never_see_a_members_plea(app, plea, login_as, lurker):
    reader = login_as("reader_a")
    for client in (reader, lurker):
        assert client.get(plea).status_code == 404
    assert reader.post(f"{plea}/reply", data={"body": "Let me in"}).status_code == 404
    assert lurker.get("/private").headers["Location"].startswith("/login")


def test_private_lists_what_a_moderator_wrote_too_newest_activity_first(app, plea, login_as):
    keeper = login_as("keeper")
    written = conversation_url(write(keeper, "/mod/users/author_one/message", title="Checking in"))
    author = login_as("author_one")
    listing = main_of(text(author, "/private"))
    assert "Hard week" in listing and "Checking in" in listing
    assert listing.count("New</span>") == 2
    assert "A moderator wrote to you" in listing and "You wrote to the moderators" in listing
    text(author, written)
    keeper.post(f"/t/{conversation_id(written)}/reply", data={"body": "Still thinking of you."})
    listing = main_of(text(author, "/private"))
    assert listing.count("New</span>") == 1 and "1 unread" in listing
    assert listing.index("Checking in") < listing.index("Hard week")  # latest activity first
    for other in ("reader_a", "keeper"):
        page = main_of(text(login_as(other), "/private"))
        assert "Hard week" not in page and "Checking in" not in page, other
        assert "You have no private conversations." in page
    assert 'href="/private">Private conversations</a>' in text(author, "/")


# --- Care steps inside a conversation -------------------------------------------------------


def test_crisis_words_in_a_conversation_stay_in_it(app, plea, login_as):
    author = login_as("author_one")
    reply = f"{plea}/reply"
    step = author.post(reply, data={"body": "Some nights I just want to die."}).get_data(
        as_text=True
    )
    assert "you are not alone" in step
    assert "Send it to the moderators only" not in step and ">Send it</button>" in step
    response = author.post(
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
    author = login_as("author_one")
    assert "Write to the moderators" in text(author, plea)
    assert author.post(f"{plea}/reply", data={"body": "Still here."}).status_code == 302


def test_private_pages_through_many_conversations_and_refuses_a_made_up_cursor(
    app, scene, login_as
):
    from forum.care.private import CONVERSATIONS_PER_PAGE
    from tests.helpers import walk_pages

    keeper = login_as("keeper")
    count = CONVERSATIONS_PER_PAGE + 3
    for number in range(count):
        write(keeper, "/mod/users/author_one/message", title=f"Note {number:02d}")
    author = login_as("author_one")
    titles = walk_pages(
        author,
        "/private",
        "Older conversations",
        lambda page: re.findall(r">(Note \d\d)</a>", page),
    )
    assert titles == [f"Note {number:02d}" for number in reversed(range(count))]
    assert author.get("/private?cursor=not-a-cursor").status_code == 400
