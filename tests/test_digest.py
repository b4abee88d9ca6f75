"""Optional email digests, read as they arrive at a real SMTP server on 127.0.0.1."""

from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import delete

from forum.auth.services import find_member
from forum.digest.addresses import email_problem, normalize_email
from forum.digest.mailer import PLAIN, STARTTLS, TLS, parse_smtp_url
from forum.digest.services import build_digest, due_members, send_digests
from forum.extensions import db
from forum.models import Member, Notice, utcnow
from forum.models.posts import HELD, HIDDEN
from tests.factories import PASSWORD, make_member, make_reply, make_thread
from tests.stress.harness import free_port

WORDS = "I stood on the bridge last night and thought about everything"
BASE = "http://127.0.0.1:5000"


@pytest.fixture
def app_config(app_config, mailbox):
    return {**app_config, "FORUM_SMTP_URL": mailbox.url}


def subscriber(handle="river_stone", email="River@example.org", digest="daily", excerpts=False):
    member = make_member(handle)
    member.email, member.digest, member.digest_excerpts = email, digest, excerpts
    db.session.commit()
    return member


def conversation(member, body=WORDS, anonymous=False, replier="kind_neighbour"):
    """A thread by ``member`` with one reply; notices the services may have made are cleared,
    so each test inserts exactly the notices it is about."""
    thread = make_thread(member)
    reply = make_reply(make_member(replier), thread, body=body, anonymous=anonymous)
    db.session.execute(delete(Notice))
    db.session.commit()
    return thread, reply


def notify(member, kind="reply", post=None, text="", link=None, actor=None, created_at=None):
    notice = Notice(
        member_id=member.id,
        kind=kind,
        text=text,
        link=link,
        post_id=post.id if post is not None else None,
        thread_id=post.thread_id if post is not None else None,
        actor_id=actor.id if actor is not None else (post.author_id if post else None),
        created_at=created_at or utcnow(),
    )
    db.session.add(notice)
    db.session.commit()
    return notice


def send(mailbox, now=None) -> int:
    return send_digests(now or utcnow(), mailbox.url)


def reloaded(member) -> Member:
    db.session.expire_all()
    return db.session.get(Member, member.id)


# What arrives.


def test_default_digest_counts_replies_and_notices_with_links_and_no_words(db_session, mailbox):
    river = subscriber()
    thread, reply = conversation(river)
    notify(river, "reply", reply)
    notify(
        river,
        "notice",
        text="A moderator hid your post from others: mentions the bridge",
        link=f"/p/{thread.first_post_id}",
    )

    assert send(mailbox) == 1

    (mail,) = mailbox.received
    assert mail.recipients == ["River@example.org"]
    assert mail.subject == "You have 2 new notifications on Test Forum"
    assert mail.message.get_content_type() == "text/plain"
    assert "1 reply to you" in mail.body
    assert "1 message from the moderators" in mail.body
    assert f"{BASE}/p/{reply.id}" in mail.body
    assert f"{BASE}/p/{thread.first_post_id}" in mail.body
    assert f"{BASE}/notifications" in mail.body
    assert f"{BASE}/settings/email" in mail.body
    for private in ("bridge", "kind_neighbour", "river_stone", "mornings"):
        assert private not in mail.body.lower()
        assert private not in mail.subject.lower()
    assert reloaded(river).last_digest_at is not None


def test_links_follow_the_configured_base_url(app, db_session, mailbox):
    app.config["FORUM_BASE_URL"] = "https://forum.example.org/"
    river = subscriber()
    _, reply = conversation(river)
    notify(river, "reply", reply)

    message = build_digest(river)

    assert f"https://forum.example.org/p/{reply.id}" in message.get_content()
    assert "noreply@forum.example.org" in message["From"]


def test_excerpts_opt_in_quotes_the_start_of_the_post_as_plain_text(db_session, mailbox):
    river = subscriber(excerpts=True)
    body = "**Mornings** are the *hardest* part, and " + "then " * 40 + "TAILEND"
    _, reply = conversation(river, body=body)
    notify(river, "reply", reply)

    send(mailbox)

    (mail,) = mailbox.received
    assert "A reply to you, from kind_neighbour:" in mail.body
    assert '"Mornings are the hardest part, and then then' in mail.body
    assert "…" in mail.body
    for left_out in ("TAILEND", "**", "<strong>", "<em>", "<p>"):
        assert left_out not in mail.body
    quoted = next(line for line in mail.body.splitlines() if "Mornings" in line)
    assert len(quoted.strip().strip('"')) <= 121


@pytest.mark.parametrize("excerpts", [False, True])
def test_anonymous_reply_shows_its_alias_and_never_the_handle(db_session, mailbox, excerpts):
    river = subscriber(excerpts=excerpts)
    _, reply = conversation(river, anonymous=True, replier="hidden_helper")
    notify(river, "reply", reply)

    send(mailbox)

    (mail,) = mailbox.received
    assert "hidden_helper" not in mail.body
    assert (reply.alias.name in mail.body) is excerpts


@pytest.mark.parametrize("kind", ["reaction", "notice"])
def test_digest_never_names_who_reacted_or_reported(db_session, mailbox, kind):
    river = subscriber(excerpts=True)
    thread = make_thread(river)
    watchful = make_member("watchful_one")
    db.session.execute(delete(Notice))
    db.session.commit()
    text = "A moderator hid your post from others: off topic" if kind == "notice" else ""
    notify(river, kind, thread.first_post, text=text, actor=watchful)

    send(mailbox)

    (mail,) = mailbox.received
    assert "watchful_one" not in mail.body
    assert "river_stone" not in mail.body


@pytest.mark.parametrize("change", ["deleted", "hidden", "held", "content_warning"])
def test_posts_that_may_not_be_quoted_get_no_excerpt(db_session, mailbox, change):
    river = subscriber(excerpts=True)
    _, reply = conversation(river)
    if change == "deleted":
        reply.deleted_at = utcnow()
    elif change == "hidden":
        reply.state = HIDDEN
    elif change == "held":
        reply.state = HELD
    else:
        reply.content_warning = "self-harm"
    db.session.commit()
    notify(river, "reply", reply)

    send(mailbox)

    (mail,) = mailbox.received
    assert "bridge" not in mail.body
    assert "kind_neighbour" not in mail.body
    assert "No excerpt for this one" in mail.body
    assert f"{BASE}/p/{reply.id}" in mail.body


def test_a_long_list_names_the_first_notifications_and_counts_the_rest(db_session, mailbox):
    river = subscriber()
    _, reply = conversation(river)
    for _ in range(30):
        notify(river, "thread", reply)

    send(mailbox)

    (mail,) = mailbox.received
    assert mail.subject == "You have 30 new notifications on Test Forum"
    assert "30 new replies in threads you follow" in mail.body
    assert "...and 5 more on the forum." in mail.body


# Who gets one, and when.


def test_quiet_mode_lets_only_moderation_notices_through(db_session, mailbox):
    river = subscriber()
    river.quiet_mode = True
    _, reply = conversation(river)
    notify(river, "reply", reply)

    assert send(mailbox) == 0
    assert mailbox.received == []

    notify(river, "notice", text="A moderator restored your post.")
    assert send(mailbox) == 1
    (mail,) = mailbox.received
    assert mail.subject == "You have 1 new notification on Test Forum"
    assert "1 message from the moderators" in mail.body
    assert "reply" not in mail.body.lower()


@pytest.mark.parametrize("situation", ["on_break", "deleted", "digest_off", "no_address"])
def test_no_mail_for_members_who_should_not_get_one(db_session, mailbox, situation):
    river = subscriber()
    _, reply = conversation(river)
    notify(river, "reply", reply)
    notify(river, "notice", text="A moderator restored your post.")
    if situation == "on_break":
        river.break_until = utcnow() + timedelta(days=7)
    elif situation == "deleted":
        river.deleted_at = utcnow()
    elif situation == "digest_off":
        river.digest = "off"
    else:
        river.email = None
    db.session.commit()

    assert send(mailbox) == 0

    assert mailbox.received == []
    assert reloaded(river).last_digest_at is None


def test_a_finished_break_lets_the_digest_go_again(db_session, mailbox):
    river = subscriber()
    river.break_until = utcnow() - timedelta(hours=1)
    _, reply = conversation(river)
    notify(river, "reply", reply)

    assert send(mailbox) == 1


@pytest.mark.parametrize(
    ("digest", "since_last", "due"),
    [
        ("daily", timedelta(hours=22), False),
        ("daily", timedelta(hours=23), True),
        ("daily", timedelta(days=3), True),
        ("weekly", timedelta(days=1), False),
        ("weekly", timedelta(days=6, hours=22), False),
        ("weekly", timedelta(days=6, hours=23), True),
    ],
)
def test_daily_and_weekly_digests_wait_their_time(db_session, mailbox, digest, since_last, due):
    now = utcnow()
    river = subscriber(digest=digest)
    river.last_digest_at = now - since_last
    _, reply = conversation(river)
    notify(river, "reply", reply, created_at=now - timedelta(minutes=30))

    assert (river in due_members(now)) is due
    assert send(mailbox, now) == int(due)
    assert len(mailbox.received) == int(due)
    expected = now if due else now - since_last
    assert reloaded(river).last_digest_at == expected


def test_nothing_unread_since_the_last_digest_sends_nothing(db_session, mailbox):
    now = utcnow()
    river = subscriber()
    river.last_digest_at = now - timedelta(days=2)
    _, reply = conversation(river)
    notify(river, "reply", reply, created_at=now - timedelta(days=3))  # already in an email
    read = notify(river, "reply", reply, created_at=now - timedelta(hours=1))
    read.read_at = now
    db.session.commit()

    assert send(mailbox, now) == 0

    assert mailbox.received == []
    assert reloaded(river).last_digest_at == now - timedelta(days=2)


def test_each_notification_is_emailed_once(db_session, mailbox):
    now = utcnow()
    river = subscriber()
    _, reply = conversation(river)
    notify(river, "reply", reply, created_at=now - timedelta(hours=2))
    assert send(mailbox, now) == 1

    assert send(mailbox, now + timedelta(days=1)) == 0

    notify(river, "mention", reply, created_at=now + timedelta(hours=1))
    assert send(mailbox, now + timedelta(days=1)) == 1
    second = mailbox.received[-1]
    assert second.subject == "You have 1 new notification on Test Forum"
    assert "1 mention of you" in second.body
    assert "reply to you" not in second.body


def test_each_member_gets_their_own_email(db_session, mailbox):
    river = subscriber()
    lake = subscriber("still_lake", email="lake@example.net")
    _, reply = conversation(river)
    notify(river, "reply", reply)
    notify(lake, "reply", reply)

    assert send(mailbox) == 2

    assert sorted(mail.recipients for mail in mailbox.received) == [
        ["River@example.org"],
        ["lake@example.net"],
    ]


# The command.


def test_send_command_without_smtp_says_email_is_not_configured(app, runner):
    app.config["FORUM_SMTP_URL"] = None
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0
    assert "Email is not configured" in result.output


def test_send_command_sends_what_is_due(app, runner, mailbox):
    with app.app_context():
        river = subscriber()
        _, reply = conversation(river)
        notify(river, "reply", reply)

    result = runner.invoke(args=["digest", "send"])

    assert result.exit_code == 0, result.output
    assert "Sent 1 digest(s)." in result.output
    assert len(mailbox.received) == 1
    assert "Sent 0 digest(s)." in runner.invoke(args=["digest", "send"]).output


def test_send_command_refuses_a_bad_smtp_url_without_echoing_it(app, runner):
    app.config["FORUM_SMTP_URL"] = "ftp://mailer:hunter2@example.org"
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 1
    assert "FORUM_SMTP_URL must look like" in result.output
    assert "hunter2" not in result.output


def test_send_command_reports_an_unreachable_server(app, runner):
    app.config["FORUM_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    with app.app_context():
        river = subscriber()
        _, reply = conversation(river)
        notify(river, "reply", reply)

    result = runner.invoke(args=["digest", "send"])

    assert result.exit_code == 1
    assert "Could not send email" in result.output
    with app.app_context():
        assert find_member("river_stone").last_digest_at is None


@pytest.mark.parametrize(
    ("url", "security", "host", "port", "username", "password"),
    [
        ("smtp://127.0.0.1:8025", PLAIN, "127.0.0.1", 8025, None, None),
        ("smtp://relay", PLAIN, "relay", 25, None, None),
        ("smtps://me:p%40ss@mail.example.org", TLS, "mail.example.org", 465, "me", "p@ss"),
        ("smtp+starttls://me:pw@mail.example.org", STARTTLS, "mail.example.org", 587, "me", "pw"),
        ("SMTPS://mail.example.org:2465", TLS, "mail.example.org", 2465, None, None),
    ],
)
def test_smtp_urls_are_read(url, security, host, port, username, password):
    server = parse_smtp_url(url)
    assert (server.security, server.host, server.port) == (security, host, port)
    assert (server.username, server.password) == (username, password)
    if password:
        assert password not in repr(server)


@pytest.mark.parametrize(
    "url", ["", "mail.example.org", "http://mail.example.org", "smtp://", "smtp://host:port"]
)
def test_smtp_urls_that_are_not_are_refused(url):
    with pytest.raises(ValueError, match="FORUM_SMTP_URL must look like"):
        parse_smtp_url(url)


# The settings page.


@pytest.mark.parametrize(
    "address",
    ["river@example.org", "River.Stone+forum@Mail.Example.ORG", "a_b-c@sub.example.co.uk"],
)
def test_ordinary_addresses_are_accepted(address):
    assert email_problem(address) is None


@pytest.mark.parametrize(
    "address",
    [
        "river",
        "river@",
        "@example.org",
        "river@example",
        "river@@example.org",
        "ri ver@example.org",
        "river..stone@example.org",
        "river@exa_mple.org",
        "river@example.123",
        "rivér@example.org",
        "river@example.org\nBcc: someone@example.org",
        "r" * 65 + "@example.org",
        "river@" + "a" * 250 + ".org",
    ],
)
def test_addresses_that_are_not_are_refused(address):
    assert email_problem(address)


def test_addresses_keep_their_name_and_lower_case_their_domain():
    assert normalize_email(" River.Stone@Mail.Example.ORG ") == "River.Stone@mail.example.org"
    assert normalize_email("   ") is None


@pytest.fixture
def river_client(app, login_as):
    with app.app_context():
        make_member()
    return login_as("river_stone")


def stored(app) -> Member:
    with app.app_context():
        return find_member("river_stone")


def settings(client, **fields):
    data = {"email": "", "digest": "off", "password": "", **fields}
    return client.post("/settings/email", data=data)


def test_lurkers_are_sent_to_log_in(lurker):
    response = lurker.get("/settings/email")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_settings_page_explains_that_email_is_optional_and_what_it_holds(river_client):
    page = river_client.get("/settings/email").get_data(as_text=True)
    assert "Email is optional" in page
    assert "how many replies and messages are waiting" in page
    assert "safe in a shared inbox" in page
    assert "anonymous name" in page
    assert 'name="email"' in page


def test_settings_page_says_email_is_not_available_without_smtp(app, river_client):
    app.config["FORUM_SMTP_URL"] = None

    page = river_client.get("/settings/email").get_data(as_text=True)
    response = settings(river_client, email="river@example.org", digest="daily", password=PASSWORD)

    assert "Email is not available on this forum" in page
    assert 'name="email"' not in page
    assert response.status_code == 400
    assert stored(app).email is None


def test_adding_an_address_needs_the_password(app, river_client):
    typed = {"email": "River@Example.ORG", "digest": "daily", "digest_excerpts": "y"}

    missing = settings(river_client, **typed)
    wrong = settings(river_client, **typed, password="not my password")

    for response, message in (
        (missing, "Please enter your password to add or change your email address."),
        (wrong, "That is not your password."),
    ):
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert f'<p class="error" id="password-error">{message}</p>' in page
        assert 'value="River@Example.ORG"' in page
        assert 'checked id="digest-1" name="digest" required type="radio" value="daily"' in page
    assert stored(app).email is None

    response = settings(river_client, **typed, password=PASSWORD)

    assert response.status_code == 302
    member = stored(app)
    assert (member.email, member.digest, member.digest_excerpts) == (
        "River@example.org",
        "daily",
        True,
    )


@pytest.mark.parametrize("address", ["river", "river@example", "ri ver@example.org"])
def test_a_wrong_address_is_explained_beside_the_field_and_kept(app, river_client, address):
    response = settings(river_client, email=address, digest="daily", password=PASSWORD)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="error" id="email-error">' in page
    assert f'value="{escape(address)}"' in page
    assert stored(app).email is None


def test_a_digest_needs_an_address(app, river_client):
    response = settings(river_client, email="", digest="weekly")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="error" id="digest-error">To get a digest, add an email address' in page
    assert stored(app).digest == "off"


def test_changing_the_address_needs_the_password_but_not_the_frequency(app, river_client):
    settings(river_client, email="river@example.org", digest="daily", password=PASSWORD)

    unchanged = settings(
        river_client, email="river@example.org", digest="weekly", digest_excerpts="y"
    )
    changed = settings(river_client, email="other@example.org", digest="weekly")

    assert unchanged.status_code == 302
    assert changed.status_code == 400
    member = stored(app)
    assert (member.email, member.digest, member.digest_excerpts) == (
        "river@example.org",
        "weekly",
        True,
    )


@pytest.mark.parametrize("how", ["button", "empty_field"])
def test_removing_the_address_needs_no_password_and_stops_email(app, river_client, how):
    settings(river_client, email="river@example.org", digest="daily", password=PASSWORD)

    if how == "button":
        response = river_client.post("/settings/email/remove")
    else:
        response = settings(river_client, email="", digest="off")

    assert response.status_code == 302
    member = stored(app)
    assert (member.email, member.digest, member.digest_excerpts) == (None, "off", False)
    page = river_client.get("/settings/email").get_data(as_text=True)
    assert "The forum will not email you." in page
