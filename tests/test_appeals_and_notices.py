"""Appeals (once per action, decided by another moderator) and in-app notices."""

import re

import pytest
from sqlalchemy import select

from forum.display import with_reason
from forum.extensions import db
from forum.models import Appeal, Member, ModerationEvent, Thread
from tests.factories import make_member, make_reply, make_thread


@pytest.fixture
def hidden_post(app, login_as):
    with app.app_context():
        author = make_member("author_one")
        make_member("keeper", role="moderator")
        make_member("second_keeper", role="moderator")
        thread = make_thread(author, title="Evenings")
        post = make_reply(author, thread, "Words a moderator hid")
        ids = {"thread": thread.id, "post": post.id}
    login_as("keeper").post(f"/mod/posts/{ids['post']}/hide", data={"reason": "Too harsh"})
    with app.app_context():
        ids["event"] = db.session.execute(
            select(ModerationEvent.id).filter_by(action="hide")
        ).scalar_one()
    return ids


def test_the_author_sees_a_notice_banner_then_the_notice_with_an_appeal_link(hidden_post, login_as):
    author = login_as("author_one")
    home = author.get("/").get_data(as_text=True)
    assert "You have 1 new notification." in home
    assert 'Notifications <span class="count">(1 new)</span>' in home
    notices = author.get("/notices").get_data(as_text=True)
    assert "A moderator hid your post from others: Too harsh" in notices
    assert f'href="/appeal/{hidden_post["event"]}"' in notices
    assert "You have 1 new notification." not in author.get("/").get_data(as_text=True)


def test_an_appeal_enters_the_queue_and_another_moderator_grants_it(
    app, hidden_post, login_as, lurker
):
    author = login_as("author_one")
    sent = author.post(
        f"/appeal/{hidden_post['event']}",
        data={"text": "I was quoting my own diary"},
        follow_redirects=True,
    )
    assert "Your appeal is with the moderators." in sent.get_data(as_text=True)
    queue = login_as("second_keeper").get("/mod?tab=appeals").get_data(as_text=True)
    assert "I was quoting my own diary" in queue
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    login_as("second_keeper").post(f"/mod/appeals/{appeal_id}/grant", data={"reason": "Fair point"})
    assert "Words a moderator hid" in lurker.get(f"/t/{hidden_post['thread']}").get_data(
        as_text=True
    )
    notices = author.get("/notices").get_data(as_text=True)
    assert "Your appeal was granted" in notices


def test_the_moderator_who_acted_cannot_decide_the_appeal(app, hidden_post, login_as):
    login_as("author_one").post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    response = login_as("keeper").post(f"/mod/appeals/{appeal_id}/deny", data={"reason": "No"})
    assert response.status_code == 403
    assert "A different moderator must decide" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Appeal, appeal_id).outcome is None


def test_a_denied_appeal_keeps_the_post_hidden_and_tells_the_author(
    app, hidden_post, login_as, lurker
):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    login_as("second_keeper").post(
        f"/mod/appeals/{appeal_id}/deny", data={"reason": "It stays hidden"}
    )
    assert "Words a moderator hid" not in lurker.get(f"/t/{hidden_post['thread']}").get_data(
        as_text=True
    )
    assert "Your appeal was not granted. It stays hidden" in author.get("/notices").get_data(
        as_text=True
    )


def test_an_action_can_be_appealed_only_once_and_only_by_its_subject(hidden_post, login_as):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "First"})
    again = author.post(f"/appeal/{hidden_post['event']}", data={"text": "Second"})
    assert again.status_code == 400
    assert "already appealed" in again.get_data(as_text=True)
    stranger = login_as("second_keeper")
    assert stranger.get(f"/appeal/{hidden_post['event']}").status_code == 404


def test_appeals_are_short_and_the_text_is_kept_when_too_long(hidden_post, login_as):
    response = login_as("author_one").post(
        f"/appeal/{hidden_post['event']}", data={"text": "w" * 1001}
    )
    assert response.status_code == 400
    assert "at most 1,000 characters" in response.get_data(as_text=True)
    assert "w" * 1001 in response.get_data(as_text=True)


def notice_lines(client) -> list[str]:
    """The notifications as the member reads them: one line of text per notice."""
    page = client.get("/notifications").get_data(as_text=True)
    items = re.findall(r"<li[^>]*>(.*?)</li>", page.split('class="notice-list"')[-1], re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def appeal_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(Appeal.id)).scalar_one()


def test_after_appealing_the_notice_says_appeal_sent_and_no_longer_offers_the_link(
    hidden_post, login_as
):
    author = login_as("author_one")
    appeal_link = f'href="/appeal/{hidden_post["event"]}"'
    assert appeal_link in author.get("/notifications").get_data(as_text=True)
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "I was quoting my diary"})
    page = author.get("/notifications").get_data(as_text=True)
    assert appeal_link not in page
    [hid] = [line for line in notice_lines(author) if "hid your post" in line]
    assert "Appeal sent" in hid


def test_the_appeal_page_after_use_says_where_the_appeal_stands(app, hidden_post, login_as):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "I was quoting my diary"})
    waiting = author.get(f"/appeal/{hidden_post['event']}")
    text = waiting.get_data(as_text=True)
    assert waiting.status_code == 200
    assert "Appeal sent" in text and "Error 400" not in text
    assert "A different moderator than the one who acted will decide it." in text
    assert 'name="text"' not in text  # no form that could only be refused
    login_as("second_keeper").post(
        f"/mod/appeals/{appeal_id(app)}/grant", data={"reason": "Fair point"}
    )
    decided = author.get(f"/appeal/{hidden_post['event']}").get_data(as_text=True)
    assert "granted your appeal: the action was undone" in decided


def test_the_moderator_who_acted_sees_that_the_appeal_waits_for_another_moderator(
    app, hidden_post, login_as
):
    login_as("author_one").post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    decide = f'action="/mod/appeals/{appeal_id(app)}/'
    acting = login_as("keeper").get("/mod?tab=appeals").get_data(as_text=True)
    assert "Please" in acting
    assert "Waiting for another moderator" in acting
    assert decide not in acting and "Grant appeal" not in acting
    other = login_as("second_keeper").get("/mod?tab=appeals").get_data(as_text=True)
    assert f"{decide}grant" in other and f"{decide}deny" in other
    assert "Waiting for another moderator" not in other


def test_a_granted_appeal_tells_the_author_once(app, hidden_post, login_as, lurker):
    author = login_as("author_one")
    author.post(f"/appeal/{hidden_post['event']}", data={"text": "I was quoting my diary"})
    before = notice_lines(author)
    login_as("second_keeper").post(
        f"/mod/appeals/{appeal_id(app)}/grant", data={"reason": "Fair point"}
    )
    after = notice_lines(author)
    assert len(after) == len(before) + 1
    assert after[0].startswith("New Your appeal was granted: the action was undone. Fair point.")
    assert not any("restored your post" in line for line in after)
    assert "Words a moderator hid" in lurker.get(f"/t/{hidden_post['thread']}").get_data(
        as_text=True
    )


def test_a_granted_appeal_against_a_silence_tells_the_member_once(app, login_as):
    with app.app_context():
        make_thread(make_member("quiet_one"), title="My week")
        make_member("keeper", role="moderator")
        make_member("second_keeper", role="moderator")
    login_as("keeper").post("/mod/users/quiet_one/silence", data={"days": "3", "reason": "Pause"})
    with app.app_context():
        event = db.session.execute(
            select(ModerationEvent.id).filter_by(action="silence")
        ).scalar_one()
    member = login_as("quiet_one")
    member.post(f"/appeal/{event}", data={"text": "It was a misunderstanding"})
    before = notice_lines(member)
    login_as("second_keeper").post(f"/mod/appeals/{appeal_id(app)}/grant", data={"reason": "Ok"})
    after = notice_lines(member)
    assert len(after) == len(before) + 1
    assert after[0].startswith("New Your appeal was granted")
    assert not any("lifted the restrictions" in line for line in after)


@pytest.mark.parametrize("reason", ["Too harsh", "Too harsh.", "Too harsh..", "Too harsh. "])
def test_no_notice_doubles_the_full_stop_after_a_reason(app, login_as, reason):
    with app.app_context():
        author = make_member("author_one")
        make_member("keeper", role="moderator")
        make_member("second_keeper", role="moderator")
        thread = make_thread(author, title="Evenings")
        thread_id = thread.id
        hidden, removed = (make_reply(author, thread, f"Words {n}").id for n in (1, 2))
    keeper = login_as("keeper")
    keeper.post(f"/mod/posts/{hidden}/hide", data={"reason": reason})
    keeper.post(f"/mod/posts/{removed}/remove", data={"reason": reason})
    keeper.post("/mod/users/author_one/silence", data={"days": "1", "reason": reason})
    author_client = login_as("author_one")
    with app.app_context():
        event = db.session.execute(select(ModerationEvent.id).filter_by(action="hide")).scalar()
    author_client.post(f"/appeal/{event}", data={"text": "Please"})
    login_as("second_keeper").post(f"/mod/appeals/{appeal_id(app)}/deny", data={"reason": reason})
    lines = notice_lines(author_client)
    assert "A moderator hid your post from others: Too harsh. You may appeal this once." in (
        " ".join(lines)
    )
    assert any("Your appeal was not granted. Too harsh. " in line for line in lines)
    assert any("paused your posting for 1 day: Too harsh. You may appeal" in line for line in lines)
    assert not any(re.search(r"\.\s*\.", line) for line in lines), lines
    thread_page = author_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "A moderator removed your post: Too harsh." in thread_page
    assert not re.search(r"Too harsh\.\s*\.", thread_page)


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        ("Too harsh", "A moderator hid your post: Too harsh."),
        ("Too harsh.", "A moderator hid your post: Too harsh."),
        ("Too harsh...  ", "A moderator hid your post: Too harsh."),
        ("names a person;", "A moderator hid your post: names a person."),
        ("Did you mean to share this?", "A moderator hid your post: Did you mean to share this?"),
        ("Please stop!", "A moderator hid your post: Please stop!"),
        ('They said "go away."', 'A moderator hid your post: They said "go away."'),
        ("", "A moderator hid your post."),
        (" . ", "A moderator hid your post."),
        (None, "A moderator hid your post."),
    ],
)
def test_a_reason_joins_its_sentence_with_exactly_one_stop(reason, sentence):
    assert with_reason("A moderator hid your post", reason) == sentence


def queue_after_a_new_report(app, hidden_post, login_as, decision: str) -> str:
    """The author appeals the hiding, another moderator decides it, then a later post of the
    author's is reported: the reports queue as the moderator who hid the first post sees it."""
    login_as("author_one").post(f"/appeal/{hidden_post['event']}", data={"text": "Please"})
    with app.app_context():
        make_member("reader_a")
        author = db.session.execute(
            select(ModerationEvent.subject_id).filter_by(id=hidden_post["event"])
        ).scalar_one()
    decided = f"/mod/appeals/{appeal_id(app)}/{decision}"
    login_as("second_keeper").post(decided, data={"reason": "OK"})
    with app.app_context():
        thread = db.session.get(Thread, hidden_post["thread"])
        later = make_reply(db.session.get(Member, author), thread, "A later evening")
        later_id = later.id
    login_as("reader_a").post(f"/p/{later_id}/report", data={"reason": "spam", "details": ""})
    return login_as("keeper").get("/mod?tab=reports").get_data(as_text=True)


def test_an_action_overturned_on_appeal_is_not_an_earlier_action_in_the_queue(
    app, hidden_post, login_as
):
    queue = queue_after_a_new_report(app, hidden_post, login_as, "grant")
    assert "A later evening" in queue
    assert "No earlier actions against this member." in queue
    assert "Earlier actions against this member (" not in queue
    assert "Too harsh" not in queue


def test_an_action_upheld_on_appeal_stays_an_earlier_action_in_the_queue(
    app, hidden_post, login_as
):
    queue = queue_after_a_new_report(app, hidden_post, login_as, "deny")
    assert "A later evening" in queue
    assert "Earlier actions against this member (1)" in queue
    assert "hide: Too harsh" in queue
