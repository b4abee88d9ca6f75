"""The safety plan in a real browser, as a person uses it in a hard moment: on a phone, from
the crisis page, with JavaScript off; on paper; and as a file opened later without the
internet."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.crisis.resources import seed_crisis_resources
from forum.extensions import db
from forum.safety_plan.services import save_plan, starting_sections
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.factories import make_member

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
REASON = "My niece, who is learning to ride her bike"


def seed_member_with_plan(app) -> None:
    """willow_bank has a usual plan: a few lines in each part, their region's helplines kept."""
    with app.app_context():
        seed_crisis_resources()
        member = make_member("willow_bank")
        sections = starting_sections("GB")
        sections.update(
            warning_signs=["I stop replying to messages", "I lie awake going over things"],
            coping=["Hot shower, then tea by the window", "Walk round the park", "Music"],
            distractions=["The library café", "Message my cousin about football"],
            helpers=["My sister Sam: call or text 07700 900123", "Jo next door: 07700 900456"],
            safer_surroundings=["Ask Jo to keep my tablets", "Keep the car keys at Sam's"],
            reasons_for_living=[REASON, "Biscuit, my dog", "Seeing the sea again"],
        )
        sections["professionals"].append("My GP surgery: call 01632 960123 (weekdays)")
        save_plan(member, sections)
        db.session.commit()


def new_page(browser, request, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    request.addfinalizer(context.close)
    return context.new_page()


def test_a_member_opens_their_plan_from_the_crisis_page_on_a_phone(
    app, live_server, browser, request
):
    seed_member_with_plan(app)
    page = new_page(browser, request, java_script_enabled=False, **PHONE)
    log_in(page, live_server, "willow_bank")

    page.goto(f"{live_server}/crisis")
    page.get_by_role("link", name="Look at my safety plan").click()
    expect(page).to_have_url(f"{live_server}/safety-plan")
    expect(page.get_by_role("heading", name="My safety plan", level=1)).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()

    # The numbers are buttons to tap: tel: and sms: links, big enough, inside the screen.
    samaritans = page.get_by_role("link", name="Call 116 123")
    sister = page.get_by_role("link", name="Call 07700 900123")
    text_sister = page.get_by_role("link", name="Text 07700 900123")
    for link, address in (
        (samaritans, "tel:116123"),
        (sister, "tel:07700900123"),
        (text_sister, "sms:07700900123"),
        (page.get_by_role("link", name="Text 85258"), "sms:85258"),
        (page.get_by_role("link", name="Call 999"), "tel:999"),
    ):
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", address)
        box = link.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # Emergency services come first among the helplines.
    first_helpline = page.locator("#part-professionals + ul li").first
    expect(first_helpline).to_contain_text("Emergency services")
    # Nothing scrolls sideways on the phone.
    widest = max(
        box["x"] + box["width"]
        for box in (item.bounding_box() for item in page.locator("main *").all())
        if box is not None
    )
    assert widest <= 391, widest


def test_a_usual_plan_prints_on_one_or_two_pages(app, live_server, browser, request):
    seed_member_with_plan(app)
    page = new_page(browser, request)
    log_in(page, live_server, "willow_bank")
    page.goto(f"{live_server}/safety-plan/print")
    expect(page.get_by_text(REASON)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_text("use your browser’s Print command")).to_be_hidden()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, pages


def test_the_downloaded_file_opens_offline_asking_nothing_of_any_server(
    app, live_server, browser, request, tmp_path
):
    seed_member_with_plan(app)
    page = new_page(browser, request, accept_downloads=True)
    log_in(page, live_server, "willow_bank")
    page.goto(f"{live_server}/safety-plan")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download it").click()
    download = download_info.value
    assert download.suggested_filename == "my-safety-plan.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    offline = new_page(browser, request, offline=True, **PHONE)
    asked = []
    offline.on("request", lambda req: asked.append(req.url))
    offline.goto(Path(saved).as_uri())
    expect(offline.get_by_text(REASON)).to_be_visible()
    expect(offline.get_by_role("link", name="Call 116 123")).to_be_visible()
    assert asked == [Path(saved).as_uri()], asked
    # Styled from the inline sheet: the number is a bordered button, not a bare link.
    border = offline.get_by_role("link", name="Call 116 123").evaluate(
        "link => getComputedStyle(link).borderTopWidth"
    )
    assert border == "2px"
