"""Data rights: deleting an account (posts removed or kept without the name), what is
cleared and what is kept, and the handle reserved for 30 days."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.auth.passwords import verify_password
from forum.extensions import db
from forum.models import (
    Appeal,
    Block,
    BoardMute,
    Draft,
    Member,
    ModerationEvent,
    Notice,
    Post,
    PostRevision,
    Reaction,
    Report,
    Thread,
    utcnow,
)
from forum.threads.services import delete_post
from tests.accounts import LOGIN_FAILED, give_code, live_a_life, logged_in, member_named
from tests.factories import PASSWORD, make_member, make_reply, make_thread


@pytest.fixture
def member(app):
    with app.app_context():
        make_member("river_stone")


@pytest.fixture
def lived_in(app):
    """river_stone with one of everything the export covers, and others' data around it."""
    return live_a_life(app)


def delete(client, posts="remove", password=PASSWORD, follow=True):
    return client.post(
        "/settings/delete", data={"posts": posts, "password": password}, follow_redirects=follow
    )


@pytest.fixture
def conversation(app):
    """river_stone opens a thread; bea answers twice around river's own reply."""
    with app.app_context():
        river = make_member("river_stone")
        bea = make_member("bea_listens")
        thread = make_thread(river, title="Nights", body="River's opening words.")
        first = make_reply(bea, thread, body="Bea's first reply.")
        make_reply(river, thread, body="River answers Bea.", parent=first)
        make_reply(river, thread, body="River, anonymously.", anonymous=True)
        make_reply(bea, thread, body="Bea's second reply.")
        return {"thread": thread.id, "path": f"/t/{thread.id}"}


def test_deleting_with_remove_clears_the_posts_keeps_replies_in_order_and_blocks_login(
    app, conversation, login_as, lurker
):
    client = login_as("river_stone")
    other_session = login_as("river_stone")

    response = delete(client, posts="remove")

    text = response.get_data(as_text=True)
    assert "Your account is deleted." in text
    assert response.request.path == "/"
    assert not logged_in(client) and not logged_in(other_session)
    page = lurker.get(conversation["path"]).get_data(as_text=True)
    for words in ("River's opening words.", "River answers Bea.", "River, anonymously.", "Nights"):
        assert words not in page
    assert "by its author]" in page  # the placeholder keeps each post's place
    assert page.index("Bea's first reply.") < page.index("Bea's second reply.")
    login = lurker.post("/login", data={"handle": "river_stone", "password": PASSWORD})
    assert login.status_code == 400
    assert LOGIN_FAILED in login.get_data(as_text=True)
    with app.app_context():
        river = member_named("river_stone")
        posts = db.session.execute(select(Post).filter_by(author_id=river.id)).scalars().all()
        assert len(posts) == 3
        assert all(post.deleted_at and post.body_source == post.body_html == "" for post in posts)
        bea_posts = db.session.execute(
            select(Post.body_source).join(Member).where(Member.handle == "bea_listens")
        ).scalars()
        assert sorted(bea_posts) == ["Bea's first reply.", "Bea's second reply."]


def test_deleting_with_keep_leaves_the_post_text_on_the_thread_page(
    app, conversation, login_as, lurker
):
    with app.app_context():
        river = member_named("river_stone")
        thread = db.session.get(Thread, conversation["thread"])
        regret = make_reply(river, thread, body="Words I took back.")
        delete_post(regret)
        db.session.commit()
        regret_id = regret.id

    delete(login_as("river_stone"), posts="keep")

    page = lurker.get(conversation["path"]).get_data(as_text=True)
    assert "River's opening words." in page
    assert "River answers Bea." in page
    assert "River, anonymously." in page
    with app.app_context():
        river = member_named("river_stone")
        assert river.deleted_at is not None
        posts = db.session.execute(select(Post).filter_by(author_id=river.id)).scalars().all()
        kept = [post for post in posts if post.id != regret_id]
        assert len(kept) == 3 and not any(post.deleted_at for post in kept)
        assert all(post.alias_id for post in kept if post.is_anonymous)
        # What they had already deleted themselves is forgotten now, not just hidden.
        assert db.session.get(Post, regret_id).body_source == ""


def test_posts_of_deleted_accounts_say_removed_by_its_author_or_former_member(
    app, login_as, lurker
):
    with app.app_context():
        for number, handle in enumerate(("leaves_all", "leaves_words")):
            make_thread(make_member(handle), title=f"Thread {number}", body=f"Words {number}.")
    delete(login_as("leaves_all"), posts="remove")
    delete(login_as("leaves_words"), posts="keep")
    removed = lurker.get("/t/1").get_data(as_text=True)
    kept = lurker.get("/t/2").get_data(as_text=True)
    assert "[removed by its author]" in removed and "Words 0." not in removed
    assert "Words 1." in kept
    assert "former member" in kept and "leaves_words" not in kept


def test_deleting_clears_private_rows_but_keeps_reports_and_the_audit_log(app, lived_in, login_as):
    with app.app_context():
        river = member_named("river_stone")
        river.break_until = utcnow() - timedelta(days=1)
        river.role = "moderator"
        db.session.commit()
        river_id, token = river.id, river.session_token
        events = db.session.execute(select(func.count(ModerationEvent.id))).scalar_one()
    client = login_as("river_stone")
    give_code(client)

    delete(client, posts="remove")

    with app.app_context():
        river = db.session.get(Member, river_id)
        assert river.deleted_at is not None
        assert river.handle_key == "river_stone"
        assert not verify_password(river.password_hash, PASSWORD)
        assert river.recovery_hash is None
        assert river.session_token != token
        assert river.role == "member"
        assert (river.region, river.hidden_warnings, river.hide_counts, river.break_until) == (
            None,
            [],
            False,
            None,
        )
        for model, column in (
            (Block, Block.blocker_id),
            (BoardMute, BoardMute.member_id),
            (Draft, Draft.member_id),
            (Reaction, Reaction.member_id),
            (Notice, Notice.member_id),
        ):
            assert db.session.execute(select(model).where(column == river_id)).first() is None
        own_posts = select(Post.id).where(Post.author_id == river_id)
        revisions = select(PostRevision).where(PostRevision.post_id.in_(own_posts))
        assert db.session.execute(revisions).first() is None
        assert db.session.get(Thread, lived_in["own"]).title == "[removed by its author]"
        assert db.session.get(Thread, lived_in["theirs"]).title == "Evenings too"
        # Kept for moderation, and others' choices are theirs.
        report = db.session.execute(select(Report).filter_by(reporter_id=river_id)).scalar_one()
        assert report.details == "Looks like an advert"
        assert db.session.execute(select(Appeal).filter_by(author_id=river_id)).scalar_one()
        assert db.session.execute(select(Block).filter_by(blocked_id=river_id)).scalar_one()
        count = db.session.execute(select(func.count(ModerationEvent.id))).scalar_one()
        assert count == events
        # Others' rows are untouched.
        other = member_named("other_one")
        assert db.session.execute(select(Draft).filter_by(member_id=other.id)).scalar_one()
        assert db.session.execute(select(Notice).filter_by(member_id=other.id)).first()


def test_a_wrong_password_on_delete_changes_nothing(app, conversation, login_as, lurker):
    client = login_as("river_stone")

    response = delete(client, posts="keep", password="not my password at all", follow=False)

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="password-error">That is not your password.' in text
    assert re.search(r'<input[^>]* checked [^>]*value="keep"', text)
    assert logged_in(client)
    assert "River's opening words." in lurker.get(conversation["path"]).get_data(as_text=True)
    with app.app_context():
        river = member_named("river_stone")
        assert river.deleted_at is None
        assert verify_password(river.password_hash, PASSWORD)


def test_deleting_needs_a_choice_about_the_posts(app, member, login_as):
    client = login_as("river_stone")
    page = client.get("/settings/delete").get_data(as_text=True)
    assert "Remove my posts" in page and "Keep my posts, without my name" in page

    response = client.post("/settings/delete", data={"password": PASSWORD})

    assert response.status_code == 400
    assert 'id="posts-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert member_named("river_stone").deleted_at is None


@pytest.mark.parametrize(("days", "free"), [(29, False), (31, True)])
def test_a_deleted_handle_is_reserved_for_30_days_and_free_after(
    app, member, login_as, auth, days, free
):
    delete(login_as("river_stone"), posts="keep")
    assert auth.register("River_Stone", follow=False).status_code == 400
    with app.app_context():
        gone = member_named("river_stone")
        gone.deleted_at = utcnow() - timedelta(days=days)
        db.session.commit()
        gone_id = gone.id

    response = auth.register("River_Stone", follow=False)

    with app.app_context():
        tombstone = db.session.get(Member, gone_id)
        if free:
            assert response.status_code == 200
            assert "Keep this recovery code somewhere safe" in response.get_data(as_text=True)
            assert tombstone.handle_key == f"~deleted-{gone_id}"
            assert member_named("river_stone").id != gone_id
        else:
            assert response.status_code == 400
            assert "That handle is taken." in response.get_data(as_text=True)
            assert tombstone.handle_key == "river_stone"
