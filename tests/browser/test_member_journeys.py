"""Journeys of the people the forum is for, in Chromium, asserting what each of them sees.

A new member registers, replies with a mention, edits to take out a detail and reads their
edit history; the member they mentioned, another member and a lurker each see what they
should of it.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from tests.browser.conftest import log_in
from tests.factories import make_member, make_thread

pytestmark = pytest.mark.browser

NEW_HANDLE = "slow_river"
NEW_PASSWORD = "a long and gentle password"
FIRST_WORDS = "Thank you @willow_walks, I work at the bakery on Mill Lane too"
EDITED_WORDS = "Thank you @willow_walks, I know that feeling too"


def register(page, base: str) -> None:
    page.goto(f"{base}/register")
    page.fill("#handle", NEW_HANDLE)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", NEW_PASSWORD)
    page.check("#accept_guidelines")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("link", name="Continue").click()


def test_a_new_member_mentions_edits_and_reads_their_history(app, live_server, browser):
    with app.app_context():
        willow = make_member("willow_walks")
        make_member("fern_light")
        thread = make_thread(willow, title="Early shifts", body="Anyone else up at 4am?")
        thread_path = f"/t/{thread.id}/{thread.slug}"
        db.session.remove()

    member = browser.new_context().new_page()
    register(member, live_server)
    member.goto(f"{live_server}{thread_path}")
    member.fill("#body", FIRST_WORDS)
    member.get_by_role("button", name="Post reply").click()
    if member.get_by_role("heading", name=re.compile("privacy check")).count():
        member.get_by_role("button", name="Post it anyway").click()
    mine = member.locator("article.post", has_text="willow_walks, I")
    # The mention is a link to the profile, never markup shown as text.
    expect(mine.get_by_role("link", name="@willow_walks")).to_have_attribute(
        "href", "/u/willow_walks"
    )
    expect(mine).not_to_contain_text("<a href")

    # They take the detail out again, and read what they had written before.
    mine.get_by_role("link", name="Edit").click()
    member.fill("#body", EDITED_WORDS)
    member.get_by_role("button", name="Save changes").click()
    mine = member.locator("article.post", has_text="willow_walks, I")
    expect(mine).to_contain_text("I know that feeling too")
    mine.get_by_role("link", name=re.compile("^edited")).click()
    expect(member.locator("h1")).to_have_text("Edit history")
    expect(member.locator("main")).to_contain_text("Only you and the moderators can see this page")
    versions = member.locator(".version-text")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("I know that feeling too")
    expect(versions.nth(1)).to_contain_text("Mill Lane")

    # The member they mentioned hears of it, and the mention opens the reply.
    willow_page = browser.new_context().new_page()
    log_in(willow_page, live_server, "willow_walks")
    willow_page.goto(f"{live_server}/notifications")
    expect(willow_page.locator("main")).to_contain_text(NEW_HANDLE)

    # Another member and a lurker see the edited words and "edited", never the history.
    for reader in (willow_page, browser.new_context().new_page()):
        reader.goto(f"{live_server}{thread_path}")
        reply = reader.locator("article.post", has_text="willow_walks, I")
        expect(reply).to_contain_text("I know that feeling too")
        expect(reply).to_contain_text("edited")
        expect(reply.get_by_role("link", name=re.compile("^edited"))).to_have_count(0)
        expect(reader.locator("main")).not_to_contain_text("Mill Lane")
        history_url = member.url
        assert reader.goto(history_url).status == 404
