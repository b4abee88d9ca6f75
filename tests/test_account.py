"""Account safety and data rights: password change, recovery codes, export, deletion."""

import json
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from forum.account.recovery import normalize_code
from forum.account.services import export_member_data
from forum.auth.passwords import verify_password
from forum.auth.services import find_member
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
from forum.moderation.log import record
from forum.threads.services import delete_post, edit_post
from tests.factories import PASSWORD, board, make_member, make_reply, make_thread

NEW_PASSWORD = "a brand new long password"
CODE = re.compile(r"<code>([2-9A-HJKMNP-Z]{5}(?:-[2-9A-HJKMNP-Z]{5}){3})</code>")
LOGIN_FAILED = "That handle and password do not match an account."
RECOVERY_FAILED = "That handle and recovery code do not match an account."


def logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


def member_named(handle: str) -> Member:
    """The member re-read from the database (never a stale object)."""
    db.session.expire_all()
    return find_member(handle)


def code_on(page) -> str:
    found = CODE.search(page.get_data(as_text=True))
    assert found, "no recovery code on the page"
    return found.group(1)


def recover(client, handle="river_stone", code="", password=NEW_PASSWORD, confirm=None):
    return client.post(
        "/recover",
        data={
            "handle": handle,
            "recovery_code": code,
            "password": password,
            "password_confirm": confirm or password,
        },
    )


def give_code(client, password=PASSWORD) -> str:
    """Make a recovery code through the settings page and read it from the page."""
    return code_on(client.post("/settings/recovery", data={"password": password}))


@pytest.fixture
def member(app):
    with app.app_context():
        make_member("river_stone")


# Password change


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, member, login_as):
    this_browser = login_as("river_stone")
    copied = app.test_client()
    copied.set_cookie("session", this_browser.get_cookie("session").value)
    phone = login_as("river_stone")
    remembered = app.test_client()
    remembered.post("/login", data={"handle": "river_stone", "password": PASSWORD, "remember": "y"})
    remembered.delete_cookie("session")
    assert logged_in(copied) and logged_in(phone) and logged_in(remembered)

    response = this_browser.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )

    assert "Your password is changed." in response.get_data(as_text=True)
    assert logged_in(this_browser)
    assert not logged_in(copied)
    assert not logged_in(phone)
    assert not logged_in(remembered)
    with app.app_context():
        stored = member_named("river_stone").password_hash
        assert verify_password(stored, NEW_PASSWORD)
        assert not verify_password(stored, PASSWORD)


def test_a_wrong_current_password_is_refused_beside_the_field_and_changes_nothing(
    app, member, login_as
):
    client = login_as("river_stone")
    with app.app_context():
        token = member_named("river_stone").session_token
    response = client.post(
        "/settings/password",
        data={
            "current_password": "not my password at all",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="current_password-error">That is not your password.' in text
    assert NEW_PASSWORD not in text and "not my password at all" not in text
    with app.app_context():
        again = member_named("river_stone")
        assert again.session_token == token
        assert verify_password(again.password_hash, PASSWORD)


def test_a_new_password_must_be_long_and_typed_twice_the_same(member, login_as):
    response = login_as("river_stone").post(
        "/settings/password",
        data={"current_password": PASSWORD, "password": "short", "password_confirm": "other"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Passwords need at least 10 characters." in text
    assert "The two passwords are not the same." in text


# Recovery codes


def test_registration_shows_a_recovery_code_once_and_continues_where_asked(app, client):
    response = client.post(
        "/register?next=/b/anxiety",
        data={
            "handle": "quiet_heron",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_guidelines": "y",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Keep this recovery code somewhere safe" in text
    assert "Welcome, quiet_heron." in text
    assert 'href="/u/quiet_heron">quiet_heron</a>' in text
    assert '<a class="button" href="/b/anxiety">Continue</a>' in text
    assert response.headers["Cache-Control"] == "no-store"
    code = code_on(response)
    with app.app_context():
        stored = member_named("quiet_heron").recovery_hash
        assert stored.startswith("$argon2id$")
        assert code not in stored
        assert verify_password(stored, normalize_code(code))
    # It is never shown again: the settings page only says that one exists.
    settings = client.get("/settings/recovery").get_data(as_text=True)
    assert "You have a recovery code." in settings
    assert code not in settings
    assert code not in client.get("/b/anxiety").get_data(as_text=True)


def test_recovering_with_the_code_sets_a_new_password_and_logs_in(app, member, login_as, client):
    old_session = login_as("river_stone")
    code = give_code(old_session)

    # Typed by hand: lower case, spaces instead of dashes.
    response = recover(client, code=code.lower().replace("-", " "))

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Welcome back, river_stone." in text
    assert "Keep this recovery code somewhere safe" in text
    new_code = code_on(response)
    assert new_code != code
    assert logged_in(client)
    assert not logged_in(old_session)
    with app.app_context():
        again = member_named("river_stone")
        assert verify_password(again.password_hash, NEW_PASSWORD)
        assert verify_password(again.recovery_hash, normalize_code(new_code))
    login = app.test_client().post(
        "/login", data={"handle": "river_stone", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_a_code_works_only_once(app, member, login_as, client):
    code = give_code(login_as("river_stone"))
    assert recover(client, code=code).status_code == 200

    second = recover(app.test_client(), code=code, password="yet another long password")

    assert second.status_code == 400
    assert RECOVERY_FAILED in second.get_data(as_text=True)
    with app.app_context():
        assert verify_password(member_named("river_stone").password_hash, NEW_PASSWORD)


@pytest.mark.parametrize("case", ["wrong code", "unknown handle", "no code yet", "deleted account"])
def test_a_failed_recovery_says_the_same_thing_after_the_same_work(
    app, member, login_as, client, monkeypatch, case
):
    code = give_code(login_as("river_stone"))
    with app.app_context():
        make_member("no_code_yet")
        make_member("gone_member")
        gone = member_named("gone_member")
        gone.deleted_at = utcnow()
        db.session.commit()
    handle, typed = {
        "wrong code": ("river_stone", "ABCDE-FGHJK-MNPQR-STUVW"),
        "unknown handle": ("nobody_here", code),
        "no code yet": ("no_code_yet", code),
        "deleted account": ("gone_member", code),
    }[case]
    verifications = []
    original = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher,
        "verify",
        lambda self, *args: verifications.append(1) or original(self, *args),
    )

    response = recover(client, handle=handle, code=typed)

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="recovery_code-error">{RECOVERY_FAILED}</p>' in text
    assert f'value="{handle}"' in text
    assert NEW_PASSWORD not in text
    assert len(verifications) == 1
    assert not logged_in(client)
    with app.app_context():
        assert verify_password(member_named("river_stone").password_hash, PASSWORD)


def test_a_suspended_account_cannot_be_recovered(app, member, login_as, client):
    code = give_code(login_as("river_stone"))
    with app.app_context():
        suspended = member_named("river_stone")
        suspended.suspended_until = utcnow() + timedelta(days=7)
        db.session.commit()

    response = recover(client, code=code)

    assert response.status_code == 400
    assert "This account is suspended until" in response.get_data(as_text=True)
    assert not logged_in(client)
    with app.app_context():
        again = member_named("river_stone")
        assert verify_password(again.password_hash, PASSWORD)
        assert verify_password(again.recovery_hash, normalize_code(code))


def test_a_new_recovery_code_needs_the_password_and_replaces_the_old_one(app, member, login_as):
    client = login_as("river_stone")
    assert "You have no recovery code" in client.get("/settings/recovery").get_data(as_text=True)
    wrong = client.post("/settings/recovery", data={"password": "not my password at all"})
    assert wrong.status_code == 400
    assert 'id="password-error">That is not your password.' in wrong.get_data(as_text=True)
    with app.app_context():
        assert member_named("river_stone").recovery_hash is None

    first = give_code(client)
    second = give_code(client)

    assert first != second
    assert recover(app.test_client(), code=first).status_code == 400
    assert recover(app.test_client(), code=second).status_code == 200


# Export


@pytest.fixture
def lived_in(app):
    """river_stone with one of everything the export covers, and others' data around it."""
    with app.app_context():
        river = make_member("river_stone")
        other = make_member("other_one")
        keeper = make_member("keeper", role="moderator")
        hidden = make_member("hidden_author")
        own = make_thread(river, title="Mornings are hard", body="My first words.")
        edit_post(db.session.get(Post, own.first_post_id), "My first words, edited.")
        theirs = make_thread(other, title="Evenings too", body="Other's opening words.")
        anonymous = make_reply(river, theirs, body="Quietly, me too.", anonymous=True)
        other_post_id = theirs.first_post_id
        db.session.add_all(
            [
                Reaction(post_id=other_post_id, member_id=river.id, kind="support"),
                Reaction(post_id=own.first_post_id, member_id=other.id, kind="helped"),
                Report(
                    post_id=other_post_id,
                    reporter_id=river.id,
                    reason="spam",
                    details="Looks like an advert",
                ),
                Report(
                    post_id=own.first_post_id,
                    reporter_id=other.id,
                    reason="other",
                    details="SECRET reporter details",
                ),
                Block(blocker_id=river.id, blocked_id=other.id, shown_as="other_one"),
                # Blocked from an anonymous post: known to river only by its alias.
                Block(blocker_id=river.id, blocked_id=hidden.id, shown_as="Anonymous Calm Heron"),
                Block(blocker_id=other.id, blocked_id=river.id, shown_as="river_stone"),
                BoardMute(member_id=river.id, board_id=board("anxiety").id),
                BoardMute(member_id=other.id, board_id=board("depression").id),
                Notice(member_id=river.id, text="Your report was reviewed."),
                Notice(member_id=other.id, text="SECRET notice for someone else"),
                Draft(member_id=river.id, place="new:anxiety", title="Half", body="Draft words"),
                Draft(member_id=other.id, place="new:anxiety", body="SECRET other draft"),
            ]
        )
        event = record(keeper, "hide", reason="SECRET moderator note", post=anonymous)
        db.session.add(Appeal(event_id=event.id, author_id=river.id, text="Please look again."))
        river.region = "GB"
        river.hidden_warnings = ["grief"]
        river.hide_counts = True
        db.session.commit()
        return {"own": own.id, "theirs": theirs.id, "anonymous": anonymous.id}


def test_the_export_holds_everything_about_the_member_and_nothing_about_others(
    app, lived_in, login_as
):
    response = login_as("river_stone").get("/settings/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=forum-export-river_stone.json"
    )
    raw = response.get_data(as_text=True)
    data = json.loads(raw)
    account = data["account"]
    assert account["handle"] == "river_stone"
    assert account["role"] == "member"
    assert account["trust_level"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*\+00:00", account["created_at"])
    assert account["settings"] == {
        "region": "GB",
        "open_content_warnings": False,
        "hidden_warnings": ["grief"],
        "hide_counts": True,
        "break_until": None,
        "quiet_mode": False,
        "email": None,
        "digest": "off",
        "digest_excerpts": False,
    }
    posts = {post["id"]: post for post in data["posts"]}
    with app.app_context():
        opening_id = db.session.get(Thread, lived_in["own"]).first_post_id
    opening, anonymous = posts[opening_id], posts[lived_in["anonymous"]]
    assert len(posts) == 2
    assert opening["thread"] == {"id": lived_in["own"], "title": "Mornings are hard"}
    assert opening["opens_thread"] is True
    assert opening["body"] == "My first words, edited."
    assert [revision["body"] for revision in opening["revisions"]] == ["My first words."]
    assert anonymous["anonymous"] is True
    assert anonymous["alias"].startswith("Anonymous ")
    assert anonymous["thread"] == {"id": lived_in["theirs"], "title": "Evenings too"}
    assert anonymous["body"] == "Quietly, me too."
    assert [(r["kind"], r["post_id"]) for r in data["reactions"]] == [("support", opening_id + 1)]
    assert [(r["reason"], r["details"]) for r in data["reports"]] == [
        ("spam", "Looks like an advert")
    ]
    assert data["reports"][0]["post_id"] == opening_id + 1
    assert [block["blocked"] for block in data["blocks"]] == ["other_one", "Anonymous Calm Heron"]
    assert data["muted_boards"] == ["anxiety"]
    assert [(n["text"], n["link"]) for n in data["notifications"]] == [
        ("Your report was reviewed.", None)
    ]
    assert [(d["place"], d["title"], d["body"]) for d in data["drafts"]] == [
        ("new:anxiety", "Half", "Draft words")
    ]
    assert [(a["text"], a["appealed_action"]) for a in data["appeals"]] == [
        ("Please look again.", "hide")
    ]
    # Nobody else's private data: not who reported or blocked them, which moderator acted, or
    # the account behind an anonymous post they blocked.
    secrets = (
        "SECRET",
        '"helped"',
        "Other's opening words",
        "keeper",
        "depression",
        "hidden_author",
    )
    for secret in secrets:
        assert secret not in raw


def test_the_export_takes_the_same_number_of_queries_however_many_posts(
    app, lived_in, count_queries
):
    with app.app_context():
        river = member_named("river_stone")
        with count_queries() as few:
            export_member_data(river)
        thread = db.session.get(Thread, lived_in["own"])
        for number in range(6):
            reply = make_reply(river, thread, body=f"Reply {number}", anonymous=number % 2 == 0)
            edit_post(reply, f"Reply {number}, edited")
        db.session.commit()
        river = member_named("river_stone")
        with count_queries() as many:
            data = export_member_data(river)
    assert len(data["posts"]) == 8
    assert many.count == few.count <= 10


# Deletion


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


# The pages themselves


ACCOUNT_PAGES = ("/settings/password", "/settings/recovery", "/settings/export", "/settings/delete")


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_ask_lurkers_to_log_in(lurker, path):
    response = lurker.get(path)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_account_pages_link_to_each_other_and_recovery_is_open_to_lurkers(member, login_as, lurker):
    page = login_as("river_stone").get("/settings/password").get_data(as_text=True)
    for path in ACCOUNT_PAGES:
        assert f'href="{path}"' in page
    recover_page = lurker.get("/recover").get_data(as_text=True)
    for name in ("handle", "recovery_code", "password", "password_confirm"):
        assert f'<label for="{name}">' in recover_page


class TestWithCsrf:
    """Every account form refuses a POST without a token, and nothing changes."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(
        "path", ["/settings/password", "/settings/recovery", "/settings/delete", "/recover"]
    )
    def test_account_forms_refuse_a_post_without_a_token(self, app, member, client, path):
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login", data={"handle": "river_stone", "password": PASSWORD, "csrf_token": token}
        )
        response = client.post(
            path,
            data={
                "current_password": PASSWORD,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "posts": "remove",
                "handle": "river_stone",
                "recovery_code": "ABCDE-FGHJK-MNPQR-STUVW",
            },
        )
        assert response.status_code == 400
        assert "This form expired" in response.get_data(as_text=True)
        assert logged_in(client)
        with app.app_context():
            river = member_named("river_stone")
            assert river.deleted_at is None and river.recovery_hash is None
