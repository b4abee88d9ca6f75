"""Report → review → hide, in a real browser, seen by the reporter, moderator, author and a
lurker."""

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.moderation.reports import report_post
from tests.browser.conftest import log_in
from tests.factories import make_member, make_reply, make_thread

pytestmark = pytest.mark.browser

UNKIND = "Nobody here wants to hear from you."
REASON = "Unkind to another member"


def seed(app) -> dict:
    """A thread with an unkind reply, an older spam report elsewhere, and the people."""
    with app.app_context():
        author = make_member("harsh_writer")
        reader = make_member("caring_reader")
        make_member("calm_keeper", role="moderator")
        thread = make_thread(make_member("first_poster"), title="Feeling low tonight")
        reply = make_reply(author, thread, UNKIND)
        older = make_thread(author, title="Cheap pills here", slug="off-topic")
        report_post(reader, older.first_post, "spam", "")
        db.session.commit()
        seeded = {"thread": f"/t/{thread.id}/{thread.slug}", "reply": reply.id}
        db.session.remove()
    return seeded


def test_a_report_reaches_the_top_of_the_queue_and_a_hide_reaches_everyone(
    app, live_server, browser
):
    seeded = seed(app)
    contexts = {name: browser.new_context() for name in ("reader", "keeper", "author", "lurker")}
    pages = {name: context.new_page() for name, context in contexts.items()}
    try:
        reader = pages["reader"]
        log_in(reader, live_server, "caring_reader")
        reader.goto(f"{live_server}{seeded['thread']}")
        reader.locator(f"#p{seeded['reply']}").get_by_role("link", name="Report").click()
        reader.get_by_label("Someone may be at risk of harm").check()
        reader.fill("#details", "This could really hurt someone who is struggling.")
        reader.get_by_role("button", name="Send report").click()
        expect(reader.get_by_text("Thank you for telling us.")).to_be_visible()

        keeper = pages["keeper"]
        log_in(keeper, live_server, "calm_keeper")
        keeper.goto(f"{live_server}/mod")
        first = keeper.locator("li.queue-item").first
        expect(first).to_contain_text("Feeling low tonight")
        expect(first).to_contain_text("Possible risk to someone")
        expect(first.get_by_text(UNKIND)).not_to_be_visible()  # collapsed by default
        first.get_by_text("Show the post").click()
        expect(first.get_by_text(UNKIND)).to_be_visible()
        hide_form = first.locator("form", has=keeper.get_by_role("button", name="Hide"))
        hide_form.get_by_placeholder("Reason").fill(REASON)
        hide_form.get_by_role("button", name="Hide").click()
        expect(keeper.get_by_text("Done: hide.")).to_be_visible()

        author = pages["author"]
        log_in(author, live_server, "harsh_writer")
        author.goto(f"{live_server}{seeded['thread']}")
        own = author.locator(f"#p{seeded['reply']}")
        expect(own).to_contain_text(f"Hidden by a moderator: {REASON}.")
        expect(own).to_contain_text(UNKIND)

        lurker = pages["lurker"]
        lurker.goto(f"{live_server}{seeded['thread']}")
        hidden = lurker.locator(f"#p{seeded['reply']}")
        expect(hidden).to_contain_text("This post was hidden by a moderator.")
        expect(hidden).not_to_contain_text(UNKIND)
        expect(hidden).not_to_contain_text(REASON)
    finally:
        for context in contexts.values():
            context.close()


def test_two_moderators_handle_an_appeal_and_the_author_hears_once(app, live_server, browser):
    """The author appeals a hide; the moderator who acted may not decide it and is told so;
    the other moderator grants it; the author hears once and everyone reads the post again."""
    seeded = seed(app)
    contexts = {name: browser.new_context() for name in ("keeper", "warden", "author", "lurker")}
    pages = {name: context.new_page() for name, context in contexts.items()}
    with app.app_context():
        make_member("fair_warden", role="moderator")
        db.session.remove()
    try:
        keeper = pages["keeper"]
        log_in(keeper, live_server, "calm_keeper")
        keeper.goto(f"{live_server}{seeded['thread']}")
        tools = keeper.locator(f"#p{seeded['reply']}")
        tools.get_by_text("Moderator tools").first.click()
        hide_form = tools.locator("form", has=keeper.get_by_role("button", name="Hide"))
        hide_form.get_by_placeholder("Reason").fill(REASON)
        hide_form.get_by_role("button", name="Hide").click()

        author = pages["author"]
        log_in(author, live_server, "harsh_writer")
        author.goto(f"{live_server}/notifications")
        author.get_by_role("link", name="Appeal", exact=True).click()
        expect(author.locator("h1")).to_have_text("Appeal a moderator's decision")
        author.get_by_role("textbox").fill("I was upset, and I have said sorry in the thread.")
        author.get_by_role("button", name="Send appeal").click()
        author.goto(f"{live_server}/notifications")
        expect(author.get_by_text("Appeal sent")).to_be_visible()
        expect(author.get_by_role("link", name="Appeal", exact=True)).to_have_count(0)

        keeper.goto(f"{live_server}/mod?tab=appeals")
        item = keeper.locator("li.queue-item").first
        expect(item).to_contain_text("Waiting for another moderator")
        expect(item.get_by_role("button", name="Grant appeal")).to_have_count(0)

        warden = pages["warden"]
        log_in(warden, live_server, "fair_warden")
        warden.goto(f"{live_server}/mod?tab=appeals")
        item = warden.locator("li.queue-item").first
        expect(item).to_contain_text("I was upset")
        grant = item.locator("form", has=warden.get_by_role("button", name="Grant appeal"))
        grant.get_by_placeholder("Reason").fill("An apology was made")
        grant.get_by_role("button", name="Grant appeal").click()

        author.goto(f"{live_server}/notifications")
        expect(author.get_by_text("Your appeal was granted")).to_have_count(1)
        expect(author.locator("main")).not_to_contain_text("..")
        lurker = pages["lurker"]
        lurker.goto(f"{live_server}{seeded['thread']}")
        expect(lurker.locator(f"#p{seeded['reply']}")).to_contain_text(UNKIND)
    finally:
        for context in contexts.values():
            context.close()
