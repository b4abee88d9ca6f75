"""Care features in a real browser: content warnings (with JavaScript off), hidden warning
categories, and supportive reactions with JavaScript on and off.

Assertions are about what a person sees: text on the page, what is visible, what is pressed.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.care.reactions import toggle_reaction
from forum.extensions import db
from forum.threads.services import start_thread
from forum.warnings import ContentWarning
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.factories import board, make_member, make_reply, make_thread

pytestmark = pytest.mark.browser

CW_TITLE = "Something I have never told anyone"
CW_BODY = "What happened to me as a child"
PLAIN_TITLE = "Small wins this week"
PLAIN_BODY = "I went for a walk every day."
OWN_REPLY = "Thank you all for listening."
SUPPORT = "Sending support"


def seed_warned_thread(app, hidden_warnings=None) -> dict:
    """hollow_oak opens a thread in Depression with an "Abuse" warning on its opening post;
    reader_wren (who hides ``hidden_warnings``) is there to log in."""
    with app.app_context():
        author = make_member("hollow_oak")
        reader = make_member("reader_wren")
        if hidden_warnings is not None:
            reader.hidden_warnings = hidden_warnings
        thread = start_thread(
            author, board("depression"), CW_TITLE, CW_BODY, False, warning=ContentWarning("abuse")
        )
        db.session.commit()
        seeded = {"thread": f"/t/{thread.id}/{thread.slug}", "post": thread.first_post_id}
        db.session.remove()
    return seeded


def seed_plain_thread(app) -> dict:
    """sunny_path opens a thread; kind_otter replies to it (so has a post of their own)."""
    with app.app_context():
        author = make_member("sunny_path")
        reader = make_member("kind_otter")
        thread = make_thread(author, title=PLAIN_TITLE, body=PLAIN_BODY)
        own = make_reply(reader, thread, body=OWN_REPLY)
        seeded = {
            "thread": f"/t/{thread.id}/{thread.slug}",
            "post": thread.first_post_id,
            "own": own.id,
        }
        db.session.remove()
    return seeded


def new_page(browser, request, **options):
    """A page in a fresh context of its own (closed after the test)."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    request.addfinalizer(context.close)
    return context.new_page()


def support_button(page, post_id: int):
    return page.locator(f"#p{post_id}").get_by_role("button", name=re.compile(f"^{SUPPORT}"))


def test_a_content_warning_hides_the_post_until_the_reader_opens_it_without_javascript(
    app, live_server, browser, request
):
    seeded = seed_warned_thread(app)
    lurker = new_page(browser, request, java_script_enabled=False)

    # The board list says what the thread is about before anyone opens it.
    lurker.goto(f"{live_server}/b/depression")
    row = lurker.locator("h2.thread-title", has_text=CW_TITLE)
    expect(row).to_be_visible()
    expect(row.locator(".cw-tag")).to_have_text("CW: Abuse")
    expect(row).to_have_text(re.compile(rf"CW: Abuse\s+{CW_TITLE}"))

    # Opening the thread shows the warning, not the words behind it.
    row.get_by_role("link", name=CW_TITLE).click()
    expect(lurker.locator("h1")).to_have_text(CW_TITLE)
    opening = lurker.locator(f"#p{seeded['post']}")
    summary = opening.get_by_text("Content warning: Abuse")
    body = opening.get_by_text(CW_BODY)
    expect(summary).to_be_visible()
    expect(body).to_be_hidden()

    # A click on the warning reveals the post, and another folds it away again.
    summary.click()
    expect(body).to_be_visible()
    summary.click()
    expect(body).to_be_hidden()

    # The keyboard works too: a fresh visit, focus the warning and press Enter.
    lurker.reload()
    expect(body).to_be_hidden()
    summary.focus()
    expect(summary).to_be_focused()
    lurker.keyboard.press("Enter")
    expect(body).to_be_visible()


def test_a_hidden_warning_category_keeps_the_post_out_of_sight(app, live_server, browser, request):
    seeded = seed_warned_thread(app, hidden_warnings=["abuse"])
    page = new_page(browser, request)
    log_in(page, live_server, "reader_wren")

    page.goto(f"{live_server}{seeded['thread']}")
    expect(page.locator("h1")).to_have_text(CW_TITLE)
    opening = page.locator(f"#p{seeded['post']}")
    expect(opening.get_by_text("A post was hidden by your settings")).to_be_visible()
    expect(opening).to_contain_text("content warning: Abuse")
    # Not behind a click either: the words are not on the page at all.
    expect(opening.get_by_text("Content warning: Abuse", exact=True)).to_have_count(0)
    expect(page.get_by_text(CW_BODY)).to_have_count(0)
    assert CW_BODY not in page.content()


def test_a_reaction_is_sent_and_taken_back_without_leaving_the_page(
    app, live_server, browser, request
):
    seeded = seed_plain_thread(app)
    page = new_page(browser, request)
    log_in(page, live_server, "kind_otter")
    page.goto(f"{live_server}{seeded['thread']}")
    expect(page.locator(f"#p{seeded['post']}")).to_contain_text(PLAIN_BODY)

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.evaluate("window.__marker = 1")
    url = page.url

    button = support_button(page, seeded["post"])
    expect(button).to_have_text(SUPPORT)
    expect(button).to_have_attribute("aria-pressed", "false")

    button.click()
    expect(button).to_have_text(f"{SUPPORT} · 1")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert navigations == [] and page.url == url

    button.click()
    expect(button).to_have_text(SUPPORT)
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert navigations == [] and page.url == url

    # The server agrees: send it once more, then a reload shows it pressed and counted.
    button.click()
    expect(button).to_have_text(f"{SUPPORT} · 1")
    page.reload()
    expect(button).to_have_text(f"{SUPPORT} · 1")
    expect(button).to_have_attribute("aria-pressed", "true")


def test_a_reaction_without_javascript_is_a_plain_form_post(app, live_server, browser, request):
    seeded = seed_plain_thread(app)
    page = new_page(browser, request, java_script_enabled=False)
    log_in(page, live_server, "kind_otter")
    page.goto(f"{live_server}{seeded['thread']}")

    button = support_button(page, seeded["post"])
    expect(button).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        button.click()
    # The page comes back at the post, with the reaction counted and pressed.
    expect(page).to_have_url(re.compile(rf"/t/\d+/[^#]*#p{seeded['post']}$"))
    expect(button).to_have_text(f"{SUPPORT} · 1")
    expect(button).to_have_attribute("aria-pressed", "true")

    # Taking it back works the same way.
    with page.expect_navigation():
        button.click()
    expect(button).to_have_text(SUPPORT)
    expect(button).to_have_attribute("aria-pressed", "false")


def test_reactions_are_not_offered_on_your_own_post(app, live_server, browser, request):
    seeded = seed_plain_thread(app)
    with app.app_context():
        # sunny_path has already sent support to kind_otter's reply.
        from forum.models import Member, Post

        author = db.session.execute(db.select(Member).filter_by(handle="sunny_path")).scalar_one()
        toggle_reaction(author, db.session.get(Post, seeded["own"]), "support")
        db.session.commit()
        db.session.remove()

    page = new_page(browser, request)
    log_in(page, live_server, "kind_otter")
    page.goto(f"{live_server}{seeded['thread']}")

    own = page.locator(f"#p{seeded['own']}")
    expect(own).to_contain_text(OWN_REPLY)
    expect(own.get_by_role("button", name=re.compile(SUPPORT))).to_have_count(0)
    expect(own.locator("button.reaction")).to_have_count(0)
    # The count is shown as plain text, and who sent it is there for the author.
    expect(own.locator(".reactions")).to_contain_text(f"{SUPPORT} · 1")
    own.get_by_text("Who sent these").click()
    expect(own).to_contain_text(f"{SUPPORT}: sunny_path")

    # Someone else's post in the same thread does offer them.
    expect(support_button(page, seeded["post"])).to_be_visible()
