"""Crisis journeys in Chromium: a member in crisis meets the crisis step and then hears from a
moderator; an admin adds a helpline and emergency help stays first for a reader on a phone."""

import re

import pytest
from playwright.sync_api import expect

from forum.crisis.resources import seed_crisis_resources
from forum.extensions import db
from tests.browser.conftest import log_in
from tests.factories import make_member, make_thread

pytestmark = pytest.mark.browser

CRISIS_WORDS = "Tonight I feel like I want to end my life, I can't see a way through."
MODERATOR_WORDS = "I read what you wrote tonight. I'm here, and I'd like to hear how you are."


def test_a_member_in_crisis_meets_help_then_a_moderator_reaches_out(app, live_server, browser):
    with app.app_context():
        make_member("low_tide")
        make_member("calm_keeper", role="moderator")
        thread = make_thread(make_member("first_poster"), title="Hard nights")
        thread_path = f"/t/{thread.id}/{thread.slug}"
        db.session.remove()

    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(member, live_server, "low_tide")
    member.goto(f"{live_server}{thread_path}")
    member.fill("#body", CRISIS_WORDS)
    member.get_by_role("button", name="Post reply").click()

    # The crisis step: help first, the words kept, the choice theirs.
    expect(member.locator("h1")).to_have_text("Before you post: you are not alone")
    first = member.locator(".resource-list li").first
    expect(first).to_contain_text("Emergency")
    expect(member.locator('.crisis-help a[href^="tel:"]').first).to_be_visible()
    expect(member.get_by_role("button", name="Look at my safety plan")).to_be_visible()
    member.get_by_role("button", name="Post it").click()
    expect(member.locator("article.post", has_text="end my life")).to_be_visible()

    # The moderator finds it at the top of the queue and writes privately from the item.
    keeper = browser.new_context().new_page()
    log_in(keeper, live_server, "calm_keeper")
    keeper.goto(f"{live_server}/mod")
    item = keeper.locator("li.queue-item").first
    expect(item).to_contain_text("Possible risk to someone")
    item.get_by_text("Write to the author privately").click()
    item.get_by_label("Message").fill(MODERATOR_WORDS)
    item.get_by_role("button", name="Send privately").click()
    expect(keeper.locator("main")).to_contain_text(MODERATOR_WORDS)

    # The member hears of it and reads it in a conversation that says it is private.
    member.goto(f"{live_server}/notifications")
    member.locator("main a", has_text=re.compile("moderator", re.I)).first.click()
    expect(member.locator("main")).to_contain_text(MODERATOR_WORDS)
    expect(member.locator("main")).to_contain_text(
        "Private conversation with the moderators: only you and the moderators can read it"
    )
    member.goto(f"{live_server}/private")
    expect(member.locator("main")).to_contain_text("Hard nights")


def test_an_admin_adds_a_helpline_and_emergency_help_stays_first(app, live_server, browser):
    with app.app_context():
        seed_crisis_resources()  # as `forum init` does
        make_member("steady_admin", role="admin")
        db.session.commit()
        db.session.remove()
    admin = browser.new_context().new_page()
    log_in(admin, live_server, "steady_admin")
    admin.goto(f"{live_server}/admin/crisis")
    admin.get_by_label("Name", exact=True).fill("Evening Listening Line")
    admin.get_by_label("How to reach it").fill("Call 0800 123 4567")
    admin.get_by_label("Hours (optional)").fill("6pm to midnight")
    admin.get_by_label("Region", exact=True).select_option("GB")
    admin.get_by_label("Position (optional)").fill("0")
    admin.get_by_label("Last checked").fill("2026-12-01")
    admin.get_by_role("button", name="Add helpline").click()
    expect(admin.locator("main")).to_contain_text("Evening Listening Line")

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{live_server}/b/depression")
    help_link = reader.locator("header .crisis-link").first
    expect(help_link).to_be_in_viewport()
    help_link.click()
    entries = reader.locator("main li", has_text=re.compile(r"\S"))
    expect(entries.first).to_contain_text("Emergency")
    expect(reader.locator("main")).to_contain_text("Evening Listening Line")
    listening = reader.locator("main li", has_text="Evening Listening Line")
    expect(listening.locator('a[href="tel:08001234567"]')).to_be_visible()
