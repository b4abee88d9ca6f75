"""The moderation queue and its actions, from the point of view of each person involved."""

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select, update

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import ModerationEvent, ModerationItem, Post, Thread, utcnow
from forum.moderation.queries import ITEMS_PER_PAGE
from tests.factories import make_member, make_reply, make_thread

HIDDEN = "This post was hidden by a moderator."


@pytest.fixture
def scene(app, cast):
    """The cast: author_one with a reported reply, reader_a, keeper (moderator), head_admin."""
    with app.app_context():
        author = cast.account(cast.member)
        thread = make_thread(author, title="Evenings", body="Opening words")
        reply = make_reply(author, thread, "Words under review")
        answer = make_reply(make_member("answerer"), thread, "An answer below", parent=reply)
        return {"thread": thread.id, "post": reply.id, "answer": answer.id}


def report(login_as, scene, handle="reader_a", reason="harassment", details="it hurt"):
    login_as(handle).post(f"/p/{scene['post']}/report", data={"reason": reason, "details": details})


def act(client, scene, action, reason="", **extra):
    return client.post(
        f"/mod/posts/{scene['post']}/{action}",
        data={"reason": reason, **extra},
        follow_redirects=True,
    )


def events(app, action):
    with app.app_context():
        return db.session.execute(select(ModerationEvent).filter_by(action=action)).scalars().all()


def test_queue_shows_grouped_reports_details_author_and_context(scene, login_as):
    report(login_as, scene, "reader_a", "harassment", "it hurt")
    report(login_as, scene, "answerer", "harassment", "")
    page = login_as("keeper").get("/mod").get_data(as_text=True)
    assert "harassment × 2" in page
    assert "“it hurt”" in page
    assert 'href="/u/author_one">author_one</a>' in page
    assert f'href="/p/{scene["post"]}">Evenings</a>' in page
    assert "Words under review" in page
    assert "No earlier actions against this member." in page


def test_hide_shows_a_placeholder_to_others_and_the_reason_to_the_author(
    app, scene, login_as, client
):
    report(login_as, scene)
    page = act(login_as("keeper"), scene, "hide", "Unkind to another member")
    assert "Done: hide." in page.get_data(as_text=True)
    lurker = client.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert HIDDEN in lurker and "Words under review" not in lurker
    assert "An answer below" in lurker
    author = login_as("author_one")
    own = author.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Words under review" in own
    assert "Hidden by a moderator: Unkind to another member." in own
    notices = author.get("/notices").get_data(as_text=True)
    assert "A moderator hid your post from others: Unkind to another member" in notices
    assert "/appeal/" in notices
    [event] = events(app, "hide")
    assert event.reason == "Unkind to another member"
    with app.app_context():
        assert find_member("author_one").strikes == 1


def test_reporter_is_told_the_report_was_reviewed_without_the_outcome(scene, login_as):
    report(login_as, scene)
    act(login_as("keeper"), scene, "hide", "Unkind")
    notices = login_as("reader_a").get("/notices").get_data(as_text=True)
    assert "Thank you for your report. A moderator has reviewed it." in notices
    assert "Unkind" not in notices


def test_hide_remove_silence_and_suspend_need_a_reason(scene, login_as):
    keeper = login_as("keeper")
    for action in ("hide", "remove"):
        response = act(keeper, scene, action, "")
        assert response.status_code == 400
        assert "Please give a reason" in response.get_data(as_text=True)
    silence = keeper.post("/mod/users/author_one/silence", data={"days": "3", "reason": ""})
    suspend = keeper.post(
        "/mod/users/author_one/suspend",
        data={"until": (date.today() + timedelta(days=5)).isoformat()},
    )
    assert silence.status_code == suspend.status_code == 400


def test_remove_leaves_a_placeholder_and_replies_keep_their_place(scene, login_as, client):
    act(login_as("keeper"), scene, "remove", "Shares someone's address")
    page = client.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "[removed by a moderator]" in page
    assert "Words under review" not in page
    assert page.index(f'id="p{scene["post"]}"') < page.index(f'id="p{scene["answer"]}"')
    author = login_as("author_one").get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "A moderator removed your post: Shares someone&#39;s address." in author


def test_approve_keeps_the_post_dismisses_reports_and_resolves_the_item(
    app, scene, login_as, client
):
    app.config["FORUM_AUTO_HIDE_REPORTS"] = 1
    report(login_as, scene)
    assert "hidden while a moderator" in client.get(f"/t/{scene['thread']}").get_data(as_text=True)
    keeper = login_as("keeper")
    act(keeper, scene, "approve")
    assert "Words under review" in client.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Words under review" not in keeper.get("/mod").get_data(as_text=True)
    assert "Words under review" in keeper.get("/mod?tab=resolved").get_data(as_text=True)
    with app.app_context():
        assert find_member("reader_a").reports_dismissed == 1


def test_restore_brings_a_hidden_post_back(scene, login_as, client):
    keeper = login_as("keeper")
    act(keeper, scene, "hide", "Checking something")
    act(keeper, scene, "restore", "It was fine")
    assert "Words under review" in client.get(f"/t/{scene['thread']}").get_data(as_text=True)


def test_anonymous_author_shows_as_alias_until_a_moderator_reveals_with_a_reason(
    app, scene, login_as
):
    with app.app_context():
        thread = db.session.get(Thread, scene["thread"])
        secret = make_reply(find_member("author_one"), thread, "anonymous words", anonymous=True)
        secret_id, alias = secret.id, secret.alias.name
    login_as("reader_a").post(f"/p/{secret_id}/report", data={"reason": "spam"})
    keeper = login_as("keeper")
    queue = keeper.get("/mod").get_data(as_text=True)
    item = queue[queue.index(f'/p/{secret_id}"') :]
    item = item[: item.index("</li>\n\n  <li") if "</li>\n\n  <li" in item else len(item)]
    assert alias in item
    assert "author_one" not in item.split("Reveal the author")[0]
    no_reason = keeper.post(f"/mod/posts/{secret_id}/reveal", data={"reason": ""})
    assert no_reason.status_code == 400
    revealed = keeper.post(
        f"/mod/posts/{secret_id}/reveal", data={"reason": "Risk follow-up"}
    ).get_data(as_text=True)
    assert "author_one" in revealed
    [event] = events(app, "reveal")
    assert event.reason == "Risk follow-up"
    log = login_as("head_admin").get("/mod/log?action=reveal").get_data(as_text=True)
    assert "Risk follow-up" in log and "keeper" in log


def test_lock_stops_replies_and_unlock_allows_them(scene, login_as):
    keeper = login_as("keeper")
    keeper.post(f"/mod/threads/{scene['thread']}/lock", data={"reason": "Cooling off"})
    reader = login_as("reader_a")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "This thread is locked" in page
    assert "Post reply" not in page
    assert reader.post(f"/t/{scene['thread']}/reply", data={"body": "hi"}).status_code == 403
    keeper.post(f"/mod/threads/{scene['thread']}/unlock", data={})
    assert reader.post(f"/t/{scene['thread']}/reply", data={"body": "hi"}).status_code == 302


def test_pin_puts_a_thread_first_and_move_carries_it_to_another_board(app, scene, login_as, client):
    with app.app_context():
        make_thread(find_member("reader_a"), title="A newer thread")
    keeper = login_as("keeper")
    keeper.post(f"/mod/threads/{scene['thread']}/pin", data={})
    board = client.get("/b/depression").get_data(as_text=True)
    assert board.index("Evenings") < board.index("A newer thread")
    keeper.post(f"/mod/threads/{scene['thread']}/move", data={"board": "coping-strategies"})
    assert "Evenings" in client.get("/b/coping-strategies").get_data(as_text=True)
    assert "Evenings" not in client.get("/b/depression").get_data(as_text=True)
    index = client.get("/").get_data(as_text=True)
    coping = index[index.index("Coping Strategies") : index.index("Small Wins")]
    assert "1 thread" in coping and "3 posts" in coping
    assert [e.details for e in events(app, "move")] == [
        {"origin": "depression", "destination": "coping-strategies"}
    ]


def test_silenced_member_reads_but_cannot_post_or_report_and_keeps_their_text(scene, login_as):
    keeper = login_as("keeper")
    keeper.post("/mod/users/reader_a/silence", data={"days": "3", "reason": "Needs a pause"})
    reader = login_as("reader_a")
    page = reader.get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Words under review" in page
    assert "A moderator has paused your posting until" in page
    response = reader.post(f"/t/{scene['thread']}/reply", data={"body": "My long careful reply"})
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "A moderator has paused your posting" in text
    assert "My long careful reply" in text
    assert reader.post(f"/p/{scene['post']}/report", data={"reason": "spam"}).status_code == 403


def test_silenced_member_cannot_edit_their_post_but_keeps_the_text_and_may_delete(
    scene, login_as, app
):
    keeper = login_as("keeper")
    keeper.post("/mod/users/author_one/silence", data={"days": "3", "reason": "Needs a pause"})
    author = login_as("author_one")
    form = author.get(f"/p/{scene['post']}/edit")
    assert form.status_code == 200
    assert "A moderator has paused your posting until" in form.get_data(as_text=True)
    response = author.post(f"/p/{scene['post']}/edit", data={"body": "Words changed in anger"})
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Your edit is not saved" in text
    assert "Words changed in anger" in text
    with app.app_context():
        assert db.session.get(Post, scene["post"]).body_source == "Words under review"
    thread = login_as("reader_a").get(f"/t/{scene['thread']}").get_data(as_text=True)
    assert "Words under review" in thread and "Words changed in anger" not in thread
    assert author.post(f"/p/{scene['post']}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Post, scene["post"]).is_deleted


def test_suspended_member_cannot_log_in_and_their_session_ends(scene, login_as, app):
    reader = login_as("reader_a")
    until = (date.today() + timedelta(days=10)).isoformat()
    login_as("keeper").post(
        "/mod/users/reader_a/suspend", data={"until": until, "reason": "Repeated harassment"}
    )
    assert "Log out" not in reader.get("/").get_data(as_text=True)
    again = app.test_client().post(
        "/login", data={"handle": "reader_a", "password": "correct horse battery"}
    )
    assert again.status_code == 400
    assert "This account is suspended until" in again.get_data(as_text=True)


def test_reinstate_lifts_a_silence(scene, login_as):
    keeper = login_as("keeper")
    keeper.post("/mod/users/reader_a/silence", data={"days": "1", "reason": "Pause"})
    keeper.post("/mod/users/reader_a/reinstate", data={"reason": "Talked it through"})
    reader = login_as("reader_a")
    assert reader.post(f"/t/{scene['thread']}/reply", data={"body": "back"}).status_code == 302


def test_moderators_cannot_act_on_their_own_posts_or_sanction_admins(app, scene, login_as):
    with app.app_context():
        own = make_reply(
            find_member("keeper"),
            db.session.get(Thread, scene["thread"]),
            "The moderator's own words",
        )
        own_id = own.id
    keeper = login_as("keeper")
    assert keeper.post(f"/mod/posts/{own_id}/hide", data={"reason": "x"}).status_code == 403
    assert (
        keeper.post("/mod/users/head_admin/silence", data={"days": "1", "reason": "x"}).status_code
        == 403
    )
    assert (
        keeper.post("/mod/users/keeper/silence", data={"days": "1", "reason": "x"}).status_code
        == 403
    )


def test_the_audit_log_lists_every_action_and_filters(app, scene, login_as):
    keeper = login_as("keeper")
    act(keeper, scene, "hide", "First reason")
    keeper.post(f"/mod/threads/{scene['thread']}/lock", data={"reason": "Second reason"})
    keeper.post("/mod/users/reader_a/silence", data={"days": "7", "reason": "Third reason"})
    log = keeper.get("/mod/log").get_data(as_text=True)
    for words in ("First reason", "Second reason", "Third reason"):
        assert words in log
    only_silence = keeper.get("/mod/log?action=silence").get_data(as_text=True)
    assert "Third reason" in only_silence and "First reason" not in only_silence
    by_member = keeper.get("/mod/log?member=reader_a").get_data(as_text=True)
    assert "Third reason" in by_member and "Second reason" not in by_member
    nobody = keeper.get("/mod/log?moderator=no_such_one").get_data(as_text=True)
    assert "No actions match." in nobody


def test_the_audit_log_cannot_be_changed_or_deleted(app, scene, login_as):
    act(login_as("keeper"), scene, "hide", "Kept forever")
    with app.app_context():
        event = db.session.execute(select(ModerationEvent)).scalars().first()
        event.reason = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.delete(db.session.execute(select(ModerationEvent)).scalars().first())
            db.session.flush()


def test_items_waiting_more_than_a_day_stand_out(app, scene, login_as):
    report(login_as, scene)
    with app.app_context():
        db.session.execute(update(ModerationItem).values(opened_at=utcnow() - timedelta(hours=30)))
        db.session.commit()
    assert "Waiting more than 24 hours" in login_as("keeper").get("/mod").get_data(as_text=True)


def test_a_queue_of_ten_thousand_items_opens_like_a_queue_of_ten(
    app, scene, login_as, count_queries
):
    keeper = login_as("keeper")

    def fill(total, prefix):
        with app.app_context():
            thread = db.session.get(Thread, scene["thread"])
            author_id = find_member("author_one").id
            now = utcnow()
            start = db.session.execute(select(Post.id).order_by(Post.id.desc())).scalar() + 1
            db.session.execute(
                insert(Post),
                [
                    {
                        "id": start + n,
                        "thread_id": thread.id,
                        "author_id": author_id,
                        "path": f"{prefix}{n:06d}",
                        "depth": 0,
                        "body_source": f"bulk {n}",
                        "body_html": f"<p>bulk {n}</p>",
                        "render_version": 1,
                        "created_at": now,
                        "is_anonymous": False,
                        "state": "published",
                    }
                    for n in range(total)
                ],
            )
            db.session.execute(
                insert(ModerationItem),
                [
                    {
                        "post_id": start + n,
                        "kind": "reports",
                        "rank": 1,
                        "open_marker": True,
                        "opened_at": now - timedelta(seconds=total - n),
                    }
                    for n in range(total)
                ],
            )
            db.session.commit()

    fill(10, 8)
    with count_queries() as small:
        keeper.get("/mod")
    fill(10_000, 9)
    with count_queries() as large:
        page = keeper.get("/mod").get_data(as_text=True)
    assert small.count == large.count
    assert page.count('<li class="queue-item') == ITEMS_PER_PAGE
    assert "More →" in page


@pytest.mark.parametrize(
    ("url", "data", "action"),
    [
        ("/mod/posts/{post}/approve", {}, "approve"),
        ("/mod/posts/{post}/hide", {"reason": "r"}, "hide"),
        ("/mod/posts/{post}/remove", {"reason": "r"}, "remove"),
        ("/mod/posts/{post}/reveal", {"reason": "r"}, "reveal"),
        ("/mod/threads/{thread}/lock", {}, "lock"),
        ("/mod/threads/{thread}/pin", {}, "pin"),
        ("/mod/threads/{thread}/move", {"board": "anxiety"}, "move"),
        ("/mod/users/author_one/silence", {"days": "30", "reason": "r"}, "silence"),
        ("/mod/users/author_one/suspend", {"until": "2099-01-01", "reason": "r"}, "suspend"),
        ("/mod/users/author_one/reinstate", {}, "reinstate"),
        ("/mod/users/author_one/trust", {"level": "2"}, "trust"),
    ],
)
def test_every_action_leaves_its_row_in_the_audit_log(app, scene, login_as, url, data, action):
    keeper = login_as("keeper")
    response = keeper.post(url.format(**scene), data=data)
    assert response.status_code in (200, 302)
    [event] = events(app, action)
    with app.app_context():
        event = db.session.get(ModerationEvent, event.id)
        assert event.actor.handle == "keeper"
    assert action in keeper.get(f"/mod/log?action={action}").get_data(as_text=True)


def test_unlock_unpin_and_restore_are_logged_too(app, scene, login_as):
    keeper = login_as("keeper")
    for url in (
        "/mod/threads/{thread}/lock",
        "/mod/threads/{thread}/unlock",
        "/mod/threads/{thread}/pin",
        "/mod/threads/{thread}/unpin",
    ):
        keeper.post(url.format(**scene), data={})
    act(keeper, scene, "hide", "r")
    act(keeper, scene, "restore")
    for action in ("unlock", "unpin", "restore"):
        assert len(events(app, action)) == 1


@pytest.fixture
def second_keeper(app, scene):
    """A second moderator, the target of the first one in the tests below."""
    with app.app_context():
        make_member("calm_keeper", role="moderator")
    return "calm_keeper"


@pytest.mark.parametrize(
    "action, data",
    [
        ("silence", {"days": "7", "reason": "I disagree with you"}),
        ("suspend", {"until": "2099-01-01", "reason": "I disagree with you"}),
        ("reinstate", {"reason": "x"}),
        ("trust", {"level": "1", "reason": "x"}),
    ],
)
def test_a_moderator_cannot_sanction_a_fellow_moderator(
    app, scene, second_keeper, login_as, action, data
):
    keeper = login_as("keeper")
    response = keeper.post(f"/mod/users/{second_keeper}/{action}", data=data)
    assert response.status_code == 403
    assert "You can&#39;t do that here" in response.get_data(as_text=True)
    with app.app_context():
        target = find_member(second_keeper)
        assert target.silenced_until is None and target.suspended_until is None
        assert target.trust_level == 1
        assert not db.session.execute(select(ModerationEvent).filter_by(subject_id=target.id)).all()
    # And B can still do their work: their session was not ended.
    assert login_as(second_keeper).get("/mod").status_code == 200


def test_a_moderator_sees_no_sanction_buttons_on_a_fellow_moderators_profile(
    scene, second_keeper, login_as
):
    keeper = login_as("keeper")
    page = keeper.get(f"/u/{second_keeper}").get_data(as_text=True)
    for sanction in ("silence", "suspend", "reinstate", "trust"):
        assert f"/mod/users/{second_keeper}/{sanction}" not in page
    assert "Moderator tools" not in page
    # Writing to a fellow moderator privately is not a sanction: it stays offered.
    assert f"/mod/users/{second_keeper}/message" in page
    # A member's profile still offers them.
    member_page = keeper.get("/u/reader_a").get_data(as_text=True)
    assert "/mod/users/reader_a/silence" in member_page


def test_an_admin_can_silence_and_suspend_a_moderator(app, scene, second_keeper, login_as):
    admin = login_as("head_admin")
    page = admin.get(f"/u/{second_keeper}").get_data(as_text=True)
    assert f"/mod/users/{second_keeper}/silence" in page
    assert f"/mod/users/{second_keeper}/suspend" in page
    silenced = admin.post(
        f"/mod/users/{second_keeper}/silence", data={"days": "3", "reason": "Cooling off"}
    )
    suspended = admin.post(
        f"/mod/users/{second_keeper}/suspend", data={"until": "2099-01-01", "reason": "Review"}
    )
    assert silenced.status_code == suspended.status_code == 302
    with app.app_context():
        target = find_member(second_keeper)
        assert target.is_silenced(utcnow()) and target.is_suspended(utcnow())


def test_a_reported_post_of_a_fellow_moderator_offers_no_silence_button_in_the_queue(
    app, scene, second_keeper, login_as
):
    with app.app_context():
        thread = db.session.get(Thread, scene["thread"])
        post_id = make_reply(find_member(second_keeper), thread, "Words from a moderator").id
    login_as("reader_a").post(f"/p/{post_id}/report", data={"reason": "harassment"})
    keeper_queue = login_as("keeper").get("/mod").get_data(as_text=True)
    assert "Words from a moderator" in keeper_queue
    assert f"/mod/users/{second_keeper}/silence" not in keeper_queue
    admin_queue = login_as("head_admin").get("/mod").get_data(as_text=True)
    assert f"/mod/users/{second_keeper}/silence" in admin_queue
