"""A lurker reads, registers, starts a thread and replies anonymously, in a real browser.

Assertions are about what a person sees: text on the page and the elements around it.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from tests.factories import PASSWORD, make_member, make_reply, make_thread

pytestmark = pytest.mark.browser

NEW_HANDLE = "quiet_heron"
NEW_PASSWORD = "a calm and long password"
SEEDED_TITLE = "Mornings are the hardest part"
SEEDED_OPENING = "Getting out of bed feels impossible most days."
SEEDED_REPLY = "Yes, same here."
ANON_REPLY = "Thank you for saying that."


def seed_thread(app) -> str:
    """willow_walks opens a thread in Depression and someone else replies; returns its path."""
    with app.app_context():
        willow = make_member("willow_walks")
        friend = make_member("fern_light")
        thread = make_thread(willow, title=SEEDED_TITLE, body=SEEDED_OPENING, slug="depression")
        make_reply(friend, thread, body=SEEDED_REPLY)
        path = f"/t/{thread.id}/{thread.slug}"
        db.session.remove()
    return path


def test_lurker_registers_posts_and_replies_anonymously(app, live_server, page, request):
    thread_path = seed_thread(app)

    # A lurker finds the board and the thread, and can read everything.
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Boards", level=1)).to_be_visible()
    expect(page.locator("footer.site-footer")).to_contain_text("Need help now?")
    page.locator(".board-list").get_by_role("link", name="Depression", exact=True).click()
    expect(page.locator("h1")).to_have_text("Depression")
    page.get_by_role("link", name=SEEDED_TITLE).click()
    expect(page.locator("h1")).to_have_text(SEEDED_TITLE)
    expect(page.locator("article.post.opening")).to_contain_text(SEEDED_OPENING)
    expect(page.locator("article.post", has_text=SEEDED_REPLY)).to_be_visible()
    expect(page.locator("footer.site-footer")).to_contain_text("Need help now?")

    # Reading needs no account; replying says how to get one.
    invite = page.locator("p.reply-box")
    expect(invite).to_contain_text("Log in or register to reply.")
    expect(page.get_by_role("button", name="Post reply")).to_have_count(0)
    invite.get_by_role("link", name="register", exact=True).click()

    expect(page.locator("h1")).to_have_text("Join the community")
    # CSRF is on for this server: the real form carries its token.
    expect(page.locator('form input[name="csrf_token"]')).to_have_attribute(
        "value", re.compile(r".{20,}")
    )
    page.fill("#handle", NEW_HANDLE)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", NEW_PASSWORD)
    page.check("#accept_guidelines")
    page.get_by_role("button", name="Register").click()

    account_nav = page.get_by_role("navigation", name="Account")
    account_nav.locator(".account-menu > summary").click()  # the menu under the handle
    expect(account_nav.get_by_role("link", name=NEW_HANDLE)).to_be_visible()
    expect(account_nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".notices")).to_contain_text(f"Welcome, {NEW_HANDLE}.")
    # They are shown their one-time recovery code, then go on.
    expect(page.locator("h1")).to_have_text("Keep this recovery code somewhere safe")
    page.get_by_role("link", name="Continue").click()

    # The new member starts a thread written in Markdown.
    page.get_by_role("link", name="Depression", exact=True).click()
    page.get_by_role("link", name="Start a thread").click()
    expect(page.locator("h1")).to_have_text("Start a thread in Depression")
    page.fill("#title", "First time posting")
    page.fill("#body", "Hello **everyone**")
    page.get_by_role("button", name="Post thread").click()

    expect(page.locator("h1")).to_have_text("First time posting")
    opening = page.locator("article.post.opening")
    expect(opening.locator(".post-body strong")).to_have_text("everyone")
    expect(opening.locator(".post-body")).not_to_contain_text("**")
    expect(opening.locator(".post-meta .byline")).to_have_text(NEW_HANDLE)

    # Back on the seeded thread, they answer the reply, anonymously.
    page.goto(f"{live_server}{thread_path}")
    seeded_reply = page.locator("article.post", has_text=SEEDED_REPLY)
    seeded_reply.locator(".post-actions").get_by_role("link", name="Reply").click()
    expect(page.get_by_text("You are replying to this post")).to_be_visible()
    expect(page.locator("article.post")).to_contain_text(SEEDED_REPLY)
    page.fill("#body", ANON_REPLY)
    page.check("#anonymous")
    page.get_by_role("button", name="Post reply").click()

    # The permalink redirect lands on the thread, at the new post.
    expect(page).to_have_url(re.compile(r"/t/\d+/[^#]*#p\d+$"))
    expect(page.locator("h1")).to_have_text(SEEDED_TITLE)
    mine = page.locator("article.post", has_text=ANON_REPLY)
    expect(mine).to_have_count(1)
    expect(mine).to_have_class(re.compile(r"\bdepth-1\b"))
    assert page.url.endswith("#" + mine.get_attribute("id"))

    bodies = page.locator("article.post .post-body").all_inner_texts()
    answered = next(i for i, text in enumerate(bodies) if SEEDED_REPLY in text)
    answer = next(i for i, text in enumerate(bodies) if ANON_REPLY in text)
    assert answered < answer, f"the answer should follow the post it answers: {bodies}"

    byline = mine.locator(".post-meta .byline")
    expect(byline).to_have_text(re.compile(r"^Anonymous \S"))
    expect(byline).not_to_have_text(re.compile(NEW_HANDLE))
    assert NEW_HANDLE not in mine.inner_html()
    assert mine.locator(f'a[href*="/u/{NEW_HANDLE}"]').count() == 0
    # The member is still logged in as themselves: only the post is anonymous.
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(NEW_HANDLE)

    shots = Path(request.config.rootpath) / "test-results"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "journey.png"), full_page=True)


def test_invalid_thread_shows_the_error_beside_the_field_and_keeps_the_text(app, live_server, page):
    with app.app_context():
        make_member("steady_oak")
        db.session.remove()
    body = "I have never said this out loud.\n\nIt has been a long winter."

    page.goto(f"{live_server}/b/depression/new")
    # Not logged in: the login page, which brings them back afterwards.
    expect(page.locator("h1")).to_have_text("Log in")
    page.fill("#handle", "steady_oak")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Start a thread in Depression")

    page.fill("#title", "Hi")
    page.fill("#body", body)
    page.get_by_role("button", name="Post thread").click()

    expect(page.locator("h1")).to_have_text("Start a thread in Depression")
    expect(page.get_by_role("alert")).to_contain_text("Everything you typed is still here.")
    title_field = page.locator(".field", has=page.locator("#title"))
    expect(title_field).to_have_class(re.compile(r"\bhas-error\b"))
    expect(title_field.locator(".error")).to_have_text("Titles are 3 to 150 characters long.")
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title")).to_have_value("Hi")
    assert page.locator("#body").input_value() == body
