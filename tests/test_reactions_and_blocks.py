"""Supportive reactions (no scores) and blocking (without telling)."""

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Reaction, Thread
from tests.factories import make_member, make_reply, make_thread


@pytest.fixture
def scene(app, cast):
    """The cast: author_one writes, reader_a and "other" react and block, keeper moderates."""
    with app.app_context():
        writer = cast.account(cast.member)
        thread = make_thread(writer, body="I made it through the week")
        reply = make_reply(make_member("other"), thread, "So glad to hear it")
        anon = make_reply(writer, thread, "Anonymous words", anonymous=True)
        return {
            "thread": thread.id,
            "opening": thread.first_post_id,
            "reply": reply.id,
            "anon": anon.id,
        }


def react(client, post_id, kind="support"):
    return client.post(f"/p/{post_id}/react", data={"kind": kind})


def bar(text: str, post_id: int) -> str:
    article = text[text.index(f'id="p{post_id}"') :]
    return article[: article.index("</article>")]


def test_a_reaction_toggles_and_counts(app, scene, login_as, lurker):
    reader = login_as("reader_a")
    assert react(reader, scene["opening"]).status_code == 302
    page = lurker.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Sending support · 1" in bar(page, scene["opening"])
    own = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert 'aria-pressed="true" data-kind="support">Sending support · ' in bar(
        own, scene["opening"]
    )
    react(reader, scene["opening"])  # again: taken back
    page = lurker.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Sending support" not in bar(page, scene["opening"])


def test_the_author_sees_who_reacted_others_see_only_counts(app, scene, login_as, lurker):
    react(login_as("reader_a"), scene["opening"], "me-too")
    react(login_as("other"), scene["opening"], "me-too")
    own = login_as("author_one").get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Me too: reader_a, other" in bar(own, scene["opening"])
    other_view = login_as("keeper").get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Me too: reader_a" not in other_view
    assert "Me too · 2" in bar(
        lurker.get(f"/t/{scene['thread']}").get_data(as_text=True), scene["opening"]
    )


def test_anonymous_posts_show_counts_only_even_to_their_author(app, scene, login_as):
    react(login_as("reader_a"), scene["anon"], "thanks")
    own = login_as("author_one").get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Thank you · 1" in bar(own, scene["anon"])
    assert "Who sent these" not in bar(own, scene["anon"])


def test_no_reactions_to_ones_own_posts_and_no_unknown_kinds(app, scene, login_as):
    writer = login_as("author_one")
    assert react(writer, scene["opening"]).status_code == 403
    assert 'class="react-form"' not in bar(
        writer.get(f"/t/{scene['thread']}").get_data(as_text=True), scene["opening"]
    )
    assert react(login_as("reader_a"), scene["opening"], "downvote").status_code == 400
    with app.app_context():
        assert db.session.execute(select(func.count(Reaction.id))).scalar() == 0


def test_there_is_no_downvote_or_score_anywhere(app, scene, login_as):
    pages = [
        login_as("reader_a").get(url).get_data(as_text=True)
        for url in (f"/t/{scene['thread']}", "/", "/b/depression", "/u/author_one")
    ]
    for text in pages:
        for word in ("downvote", "karma", "score", "points", "likes"):
            assert not re.search(rf"\b{word}\b", text, re.I), word


def test_reactions_answer_json_for_the_script(app, scene, login_as):
    response = login_as("reader_a").post(
        f"/p/{scene['opening']}/react",
        data={"kind": "helped"},
        headers={"Accept": "application/json"},
    )
    data = response.get_json()
    assert data["added"] is True
    assert {"kind": "helped", "label": "This helped", "count": 1, "mine": True} in data["reactions"]


def test_a_blocked_members_posts_collapse_for_the_blocker_only(app, scene, login_as, lurker):
    reader = login_as("reader_a")
    reader.post("/u/other/block")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    post = bar(page, scene["reply"])
    assert "<summary>A post is collapsed by your settings. Show it</summary>" in post
    assert "So glad to hear it" in post  # inside the details: one click away
    assert "collapsed" not in bar(
        lurker.get(f"/t/{scene['thread']}").get_data(as_text=True), scene["reply"]
    )
    assert "blocked" not in login_as("other").get("/notices").get_data(as_text=True)


def test_a_blocked_member_cannot_reply_to_or_react_to_the_blocker(app, scene, login_as):
    login_as("author_one").post("/u/other/block")
    other = login_as("other")
    response = other.post(
        f"/t/{scene['thread']}/reply",
        data={"body": "My words, kept", "parent_id": scene["opening"]},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You can&#39;t reply to this post." in text
    assert "My words, kept" in text
    assert react(other, scene["opening"]).status_code == 403
    # Replying elsewhere in the tree, to someone else's post, still works.
    with app.app_context():
        third = make_reply(make_member("third"), db.session.get(Thread, scene["thread"]), "hi")
        third_id = third.id
    assert (
        other.post(
            f"/t/{scene['thread']}/reply", data={"body": "fine", "parent_id": third_id}
        ).status_code
        == 302
    )


def test_blocking_from_an_anonymous_post_blocks_that_alias_in_that_thread_only(
    app, scene, login_as
):
    reader = login_as("reader_a")
    confirm = reader.get(f"/p/{scene['anon']}/block").get_data(as_text=True)
    assert "author_one" not in confirm
    page = reader.post(f"/p/{scene['anon']}/block", follow_redirects=True).get_data(as_text=True)
    assert "You blocked Anonymous" in page and "in this thread" in page
    assert "author_one" not in page.split("</header>", 1)[0].split("Log out")[-1]
    assert "collapsed by your settings" in bar(page, scene["anon"])
    # The alias, not the account: the same member's signed post stays open, or the block
    # would tell the reader who wrote the anonymous post.
    assert "collapsed by your settings" not in bar(page, scene["opening"])
    settings = reader.get("/settings").get_data(as_text=True)
    assert "Anonymous" in settings and "author_one" not in settings.split('id="blocks"')[1]


def test_a_block_by_handle_leaves_that_members_anonymous_posts_alone(app, scene, login_as):
    reader = login_as("reader_a")
    reader.post("/u/author_one/block")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "collapsed by your settings" in bar(page, scene["opening"])
    assert "collapsed by your settings" not in bar(page, scene["anon"])


def test_being_blocked_never_changes_what_you_can_do_to_the_blockers_anonymous_posts(
    app, scene, login_as
):
    login_as("author_one").post("/u/reader_a/block")
    reader = login_as("reader_a")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert 'class="react-form"' in bar(page, scene["anon"])
    assert 'class="react-form"' not in bar(page, scene["opening"])
    assert react(reader, scene["anon"]).status_code == 302
    answer = reader.post(
        f"/t/{scene['thread']}/reply", data={"body": "Thinking of you", "parent_id": scene["anon"]}
    )
    assert answer.status_code == 302


def test_moderators_are_never_blocked_from_acting(app, scene, login_as):
    reader = login_as("reader_a")
    reader.post("/u/keeper/block")
    keeper = login_as("keeper")
    with app.app_context():
        mine = make_reply(make_member("reader_two"), db.session.get(Thread, scene["thread"]), "x")
        mine_id = mine.id
    login_as("reader_two").post("/u/keeper/block")
    assert (
        keeper.post(
            f"/t/{scene['thread']}/reply",
            data={"body": "A moderator's answer", "parent_id": mine_id},
        ).status_code
        == 302
    )


def test_unblock_from_the_profile(app, scene, login_as):
    reader = login_as("reader_a")
    reader.post("/u/other/block")
    reader.post("/u/other/unblock")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "collapsed by your settings" not in bar(page, scene["reply"])
