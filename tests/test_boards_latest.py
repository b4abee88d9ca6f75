"""The board index's latest threads: every board's threads in one list, as each person may see
them (held threads, private conversations, anonymous authors, hidden counts, muted boards)."""

import re

from forum.boards.latest import LATEST_THREADS
from forum.care.private import open_private_thread
from forum.extensions import db
from forum.models import Thread
from forum.moderation.actions import hide_post, move_thread
from tests.factories import board, make_member, make_reply, make_thread


def latest(text: str) -> str:
    """The latest threads section of the board index ('' when the page has none)."""
    found = re.search(r'<section class="latest".*?</section>', text, re.S)
    return found.group(0) if found else ""


def titles(section: str) -> list[str]:
    return re.findall(r'<h3 class="thread-title">.*?<a href="/t/[^"]+">([^<]+)</a></h3>', section)


def rows(section: str) -> list[str]:
    return re.findall(r'<li class="thread-item.*?</li>', section, re.S)


def test_latest_threads_of_every_board_come_newest_activity_first(app, client):
    with app.app_context():
        alice, bob = make_member("alice"), make_member("bob_b")
        old = make_thread(alice, title="Mornings are hard", slug="depression")
        make_thread(bob, title="A small win today", slug="small-wins")
        make_reply(bob, old, "Same here, slowly.")
    section = latest(client.get("/").get_data(as_text=True))
    assert '<h2 id="latest-heading">Latest threads</h2>' in section
    assert titles(section) == ["Mornings are hard", "A small win today"]
    first, second = rows(section)
    assert 'in <a class="board-link" href="/b/depression">Depression</a>' in first
    assert 'by <a class="byline" href="/u/alice">alice</a>' in first
    assert "last reply by" in first and "bob_b" in first
    assert "1 reply" in first and "just now" in first
    assert 'class="av ' in first  # the author's mark
    assert 'in <a class="board-link" href="/b/small-wins">Small Wins</a>' in second
    assert "0 replies" in second


def test_titles_and_board_names_are_shown_as_text_escaped_once(app, client):
    with app.app_context():
        make_thread(make_member("writer"), title="<b>Not bold</b> & fine", slug="grief-and-loss")
    section = latest(client.get("/").get_data(as_text=True))
    assert "&lt;b&gt;Not bold&lt;/b&gt; &amp; fine</a></h3>" in section
    assert 'in <a class="board-link" href="/b/grief-and-loss">Grief &amp; Loss</a> · by' in section
    assert "&amp;amp;" not in section and "&lt;a" not in section


def test_an_empty_forum_shows_no_latest_threads_section(client):
    assert "Latest threads" not in client.get("/").get_data(as_text=True)


def test_the_list_is_bounded_to_the_newest_threads(app, client):
    with app.app_context():
        writer = make_member("writer")
        for n in range(LATEST_THREADS + 3):
            make_thread(writer, title=f"Thread number {n}", slug="anxiety")
    shown = titles(latest(client.get("/").get_data(as_text=True)))
    newest_first = [f"Thread number {n}" for n in reversed(range(LATEST_THREADS + 3))]
    assert shown == newest_first[:LATEST_THREADS]


def test_an_anonymous_author_is_shown_by_their_alias_only(app, client, login_as):
    with app.app_context():
        thread = make_thread(make_member("secret_self"), title="Hard to say this", anonymous=True)
        alias_name = thread.first_post.alias.name
        make_member("reader")
    for person in (client, login_as("reader"), login_as("secret_self")):
        section = latest(person.get("/").get_data(as_text=True))
        assert titles(section) == ["Hard to say this"]
        assert alias_name in section
        assert "secret_self" not in section


def test_held_threads_show_only_to_their_author_and_the_moderators(app, client, login_as):
    with app.app_context():
        board("trauma").moderation_mode = "pre"
        db.session.commit()
        make_thread(make_member("new_writer"), title="Waiting for a moderator", slug="trauma")
        make_thread(make_member("other"), title="Out in the open", slug="depression")
        make_member("keeper", role="moderator")
    for person in (client, login_as("other")):
        assert titles(latest(person.get("/").get_data(as_text=True))) == ["Out in the open"]
    for handle in ("new_writer", "keeper"):
        section = latest(login_as(handle).get("/").get_data(as_text=True))
        assert titles(section) == ["Out in the open", "Waiting for a moderator"]
        assert "Waiting for approval" in section


def test_private_conversations_with_the_moderators_never_appear(app, client, login_as):
    with app.app_context():
        member = make_member("asking")
        open_private_thread(member, board(), "A hard week", "Can we talk?")
        db.session.commit()
        make_member("keeper", role="moderator")
    for person in (client, login_as("asking"), login_as("keeper")):
        page = person.get("/").get_data(as_text=True)
        assert "A hard week" not in latest(page)


def test_a_hidden_opening_post_names_nobody_in_the_list(app, client):
    with app.test_request_context():
        thread = make_thread(make_member("writer"), title="Something hidden")
        hide_post(make_member("keeper", role="moderator"), thread.first_post, "Off topic")
        db.session.commit()
    section = latest(client.get("/").get_data(as_text=True))
    assert titles(section) == ["Something hidden"]
    assert "writer" not in section


def test_hide_counts_leaves_out_the_reply_counts(app, client, login_as):
    with app.app_context():
        thread = make_thread(make_member("writer"), title="Counting nothing")
        make_reply(make_member("calm_one"), thread, "Hello.")
        member = make_member("quiet_one")
        member.hide_counts = True
        db.session.commit()
    assert "1 reply" in latest(client.get("/").get_data(as_text=True))
    section = latest(login_as("quiet_one").get("/").get_data(as_text=True))
    assert titles(section) == ["Counting nothing"]
    assert "repl" not in section.replace("last reply by", "")
    assert "just now" in section


def test_a_member_sees_what_is_new_and_unread(app, login_as):
    with app.app_context():
        thread_id = make_thread(make_member("writer"), title="Tell me about tea").id
        make_member("reader")
    reader = login_as("reader")
    assert '<span class="tag unread-tag">New</span>' in latest(
        reader.get("/").get_data(as_text=True)
    )
    reader.get(f"/t/{thread_id}")
    section = latest(reader.get("/").get_data(as_text=True))
    assert "unread-tag" not in section and "is-unread" not in section
    with app.app_context():
        make_reply(make_member("another"), db.session.get(Thread, thread_id), "Green, please.")
    section = latest(reader.get("/").get_data(as_text=True))
    assert f'href="/t/{thread_id}?unread=1">1 unread</a>' in section
    assert "is-unread" in section


def test_muted_and_archived_boards_are_left_out(app, login_as):
    with app.app_context():
        writer = make_member("writer")
        make_thread(writer, title="An anxious night", slug="anxiety")
        make_thread(writer, title="Old archive thread", slug="trauma")
        make_thread(writer, title="Something good", slug="small-wins")
        board("trauma").archived = True
        db.session.commit()
        make_member("calm_one")
    member = login_as("calm_one")
    assert titles(latest(member.get("/").get_data(as_text=True))) == [
        "Something good",
        "An anxious night",
    ]
    member.post("/b/anxiety/mute")
    assert titles(latest(member.get("/").get_data(as_text=True))) == ["Something good"]


def test_the_settings_page_says_plainly_which_counts_it_hides(app, login_as):
    with app.app_context():
        make_member("quiet_one")
    page = login_as("quiet_one").get("/settings").get_data(as_text=True)
    label = re.search(r'<label for="hide_counts">([^<]+)</label>', page)
    assert label, "the hide counts checkbox has no label of its own"
    assert label.group(1) == "Hide how many threads, posts and replies there are in board lists"


def test_moving_a_thread_away_never_makes_a_private_conversation_the_boards_latest(app, client):
    with app.test_request_context():
        writer, asking = make_member("writer"), make_member("asking")
        make_thread(writer, title="An older public thread")
        open_private_thread(asking, board(), "A hard week", "Can we talk?")
        db.session.commit()
        newer = make_thread(writer, title="A newer public thread")
        move_thread(make_member("keeper", role="moderator"), newer, board("anxiety"))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "A hard week" not in page and "asking" not in page
    depression = page[page.index('<a href="/b/depression">') : page.index('<a href="/b/anxiety">')]
    assert "An older public thread" in depression
