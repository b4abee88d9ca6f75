"""Crisis help cannot be pushed off the screen: emergency services lead every region's first
helplines, numbers are tap-to-call and tap-to-text links, and admins are warned when a region's
first helplines have no 24-hour service. Read as each person sees the pages."""

import re

import html5lib
import pytest
from flask_migrate import upgrade
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from forum import create_app
from forum.crisis.contacts import contact_links
from forum.crisis.resources import crisis_file, resources_for, seed_crisis_resources
from forum.extensions import db
from forum.models import CrisisResource
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_member

CRISIS_BODY = "Some nights I just want to die. I don't know who else to tell."
NO_24_HOUR_HELP = "have no 24-hour service"

# An ordinary regional helpline an admin adds in front of everything else of its region.
TOWN_LINE = {
    "name": "Town Listening Line",
    "how": "Call 0300 123 4567.",
    "hours": "Evenings, 6pm to midnight",
    "url": "https://example.org/town",
    "position": "0",
    "last_verified": "2026-11-01",
}


def page_tree(response):
    assert response.status_code == 200
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def first_helplines(response) -> list[str]:
    """The names of the helplines /crisis shows before "More helplines", top to bottom."""
    listing = page_tree(response).find(".//ul[@id='first-helplines']")
    return [words(item.find("h2")) for item in listing.findall("li")]


def crisis_step_helplines(response) -> list[str]:
    """The names of the ways to reach help now on the crisis step, top to bottom."""
    section = page_tree(response).find(".//section[@class='crisis-help']")
    return [words(item.find("strong")) for item in section.iter("li")]


def links(response) -> list[tuple[str, str]]:
    """(href, words) of every link on the page."""
    return [(a.get("href"), words(a)) for a in page_tree(response).iter("a")]


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_crisis_resources()
        make_member("ada_admin", role="admin")
        make_member("night_writer")
        db.session.commit()


@pytest.fixture
def admin(seeded, login_as):
    return login_as("ada_admin")


def add_helpline(admin, region: str, **fields) -> None:
    response = admin.post("/admin/crisis", data={**TOWN_LINE, "region": region, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("region", ["GB", "US", "INT", "NZ"])
def test_a_lurker_sees_emergency_services_first_after_an_admin_adds_a_helpline_in_front(
    admin, lurker, region
):
    add_helpline(admin, region)
    shown = first_helplines(lurker.get(f"/crisis?region={region}"))
    assert shown[0] == "Emergency services"
    assert "Town Listening Line" in shown


def test_a_lurker_still_sees_emergency_services_first_after_three_helplines_are_added(
    admin, lurker
):
    for number in range(3):
        add_helpline(admin, "GB", name=f"Town Line {number}", position=str(number))
    assert first_helplines(lurker.get("/crisis"))[0] == "Emergency services"


def test_a_member_meeting_the_crisis_step_sees_emergency_services_first(admin, login_as):
    add_helpline(admin, "GB")
    writer = login_as("night_writer")
    step = writer.post("/b/depression/new", data={"title": "Tonight", "body": CRISIS_BODY})
    shown = crisis_step_helplines(step)
    assert shown[0] == "Emergency services"
    assert "Town Listening Line" in shown


def test_the_crisis_page_shows_emergency_services_first_before_forum_init_has_run(lurker):
    assert first_helplines(lurker.get("/crisis"))[0] == "Emergency services"


def test_an_emergency_entry_an_admin_adds_for_a_region_comes_before_the_others(admin, lurker):
    add_helpline(admin, "GB", name="Emergency (UK)", how="Call 999.", is_emergency="y")
    add_helpline(admin, "GB", name="Town Listening Line", position="0")
    shown = first_helplines(lurker.get("/crisis"))
    assert shown[:2] == ["Emergency (UK)", "Emergency services"]


# --- tap to call, tap to text -----------------------------------------------------------------


def test_the_crisis_page_offers_numbers_as_tel_and_sms_links(seeded, lurker):
    shown = links(lurker.get("/crisis"))
    assert ("tel:116123", "Call 116 123") in shown  # Samaritans
    assert ("sms:85258", "Text 85258") in shown  # Shout
    assert ("tel:999", "Call 999") in shown and ("tel:112", "Call 112") in shown
    us = links(lurker.get("/crisis?region=US"))
    assert ("tel:988", "Call 988") in us and ("sms:988", "Text 988") in us
    assert ("sms:741741", "Text 741741") in us


def test_the_crisis_step_offers_numbers_as_tel_and_sms_links(seeded, login_as):
    writer = login_as("night_writer")
    step = writer.post("/b/depression/new", data={"title": "Tonight", "body": CRISIS_BODY})
    shown = links(step)
    assert ("tel:116123", "Call 116 123") in shown
    assert ("sms:85258", "Text 85258") in shown


def test_every_call_and_text_link_holds_only_digits_and_a_plus(admin, lurker):
    add_helpline(admin, "GB", how="Ring +44 (0)20-7946 0000, or text 'HI' to 60 123.")
    numbers = []
    for region in ("GB", "IE", "US", "CA", "AU", "NZ", "INT"):
        for href, _ in links(lurker.get(f"/crisis?region={region}")):
            if href.startswith(("tel:", "sms:")):
                numbers.append(href.split(":", 1)[1])
    assert len(numbers) > 20 and {"+442079460000", "60123"} <= set(numbers)
    assert all(number and re.fullmatch(r"\+?\d+", number) for number in numbers), numbers


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("Call 116 123 (free) or email jo@samaritans.org.", [("tel:116123", "Call 116 123")]),
        ("Text SHOUT to 85258 (free).", [("sms:85258", "Text 85258")]),
        (
            "Call or text 988, or chat at 988lifeline.org.",
            [("tel:988", "Call 988"), ("sms:988", "Text 988")],
        ),
        (
            "Call 1800 247 247 (free) or text HELP to 51444.",
            [("tel:1800247247", "Call 1800 247 247"), ("sms:51444", "Text 51444")],
        ),
        (
            "For young people: call 1-800-668-6868 or text CONNECT to 686868.",
            [("tel:18006686868", "Call 1-800-668-6868"), ("sms:686868", "Text 686868")],
        ),
        (
            "Call your local emergency number: 112 (Europe), 999 (UK), 000 (Australia).",
            [("tel:112", "Call 112"), ("tel:999", "Call 999"), ("tel:000", "Call 000")],
        ),
        ("Ring +44 20 7946 0000 any time.", [("tel:+442079460000", "Call +44 20 7946 0000")]),
        ("Ring +44 (0)20-7946 0000.", [("tel:+442079460000", "Call +44 (0)20-7946 0000")]),
        (
            "Call (02) 9876 5432 or 0800 11 11.",
            [("tel:0298765432", "Call (02) 9876 5432"), ("tel:08001111", "Call 0800 11 11")],
        ),
        ("Call 1 (800) 273-8255.", [("tel:18002738255", "Call 1 (800) 273-8255")]),
        ("Call 116 123 (24 hours).", [("tel:116123", "Call 116 123")]),
        ("A directory of free, confidential helplines in many countries.", []),
        ("Open 24/7, 365 days a year; chat at example.org/24.", []),
        ("Call <a href=javascript:alert(1)>1234</a>", [("tel:1234", "Call 1234")]),
        ("Call 12 then", []),
        ("Call \u0661\u0661\u0662 or 1\u0662\u0663", []),
    ],
)
def test_contact_links_come_from_the_how_text(how, expected):
    assert [(link.href, link.label) for link in contact_links(how)] == expected


WORDS = st.sampled_from(
    ["Call", "call or text", "Text", "SMS", "dial", "or", "email", "to", "(free)", "(0)", "+", "-"]
)
NUMBERS = st.from_regex(r"\+?[\d ()\-]{1,14}", fullmatch=True)  # \d: any script's digits
HOW = st.lists(st.one_of(WORDS, NUMBERS, st.text()))


@settings(max_examples=300, deadline=None)
@given(HOW)
def test_a_link_address_is_only_ever_digits_after_an_optional_plus(parts):
    for link in contact_links(" ".join(parts)):
        assert re.fullmatch(r"(tel|sms):\+?[0-9]{3,}", link.href), link


# --- the admin's warning ----------------------------------------------------------------------


def test_admins_are_not_warned_while_every_regions_first_helplines_include_a_24_hour_service(
    admin,
):
    text = admin.get("/admin/crisis").get_data(as_text=True)
    assert NO_24_HOUR_HELP not in text


def test_admins_are_warned_about_a_region_whose_first_helplines_have_no_24_hour_service(app, admin):
    with app.app_context():
        emergency = db.session.execute(
            select(CrisisResource).filter_by(name="Emergency services")
        ).scalar_one()
        emergency_id = emergency.id
    admin.post(f"/admin/crisis/{emergency_id}/delete")
    page = page_tree(admin.get("/admin/crisis"))
    warning = page.find(".//*[@id='crisis-no-24-hour-help']")
    assert warning is not None
    said = words(warning)
    # Everywhere's only entry left is a directory; every country still has a 24-hour line.
    assert NO_24_HOUR_HELP in said and "Everywhere" in said
    assert "United Kingdom" not in said and "United States" not in said


def test_the_warning_leaves_once_the_admin_marks_a_service_as_open_24_hours(app, admin):
    with app.app_context():
        for entry in db.session.execute(select(CrisisResource)).scalars():
            if entry.region in ("GB", "INT"):
                entry.always_open = False
        db.session.commit()
        samaritans = db.session.execute(
            select(CrisisResource).filter_by(name="Samaritans")
        ).scalar_one()
        fields = {
            "name": samaritans.name,
            "how": samaritans.how,
            "hours": samaritans.hours,
            "region": "GB",
            "url": samaritans.url,
            "position": str(samaritans.position),
            "last_verified": samaritans.last_verified.isoformat(),
            "always_open": "y",
        }
        samaritans_id = samaritans.id
    said = words(page_tree(admin.get("/admin/crisis")).find(".//*[@id='crisis-no-24-hour-help']"))
    assert "United Kingdom" in said and "Everywhere" in said
    admin.post(f"/admin/crisis/{samaritans_id}/edit", data=fields)
    said = words(page_tree(admin.get("/admin/crisis")).find(".//*[@id='crisis-no-24-hour-help']"))
    assert "United Kingdom" not in said and "Everywhere" in said


# --- the migration ----------------------------------------------------------------------------


@pytest.mark.skipif(bool(POSTGRES_URL), reason="uses its own SQLite file")
def test_migration_0010_puts_the_shipped_emergency_entry_first_on_a_forum_seeded_before_it(
    tmp_path,
):
    """A forum whose crisis resources were seeded before 0010 (no flags yet): after upgrading,
    emergency services lead every region and the 24-hour lines are marked."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'older.db'}"))
    with app.app_context():
        upgrade(revision="0009")
        for position, entry in enumerate(crisis_file()["resources"], start=1):
            db.session.execute(
                text(
                    "INSERT INTO crisis_resources (name, how, hours, region, url, last_verified,"
                    " position) VALUES (:name, :how, :hours, :region, :url, '2026-11-26', :pos)"
                ),
                {
                    **{k: entry[k] for k in ("name", "how", "hours", "region", "url")},
                    "pos": position,
                },
            )
        db.session.execute(
            text(
                "INSERT INTO crisis_resources (name, how, hours, region, last_verified, position)"
                " VALUES ('Town Line', 'Call 0300 123 4567.', 'Evenings', 'GB', '2026-11-26', 0)"
            )
        )
        db.session.commit()
        upgrade()
        flagged = {
            entry.name: (entry.is_emergency, entry.always_open)
            for entry in db.session.execute(select(CrisisResource)).scalars()
        }
        assert flagged["Emergency services"] == (True, True)
        assert flagged["Samaritans"] == (False, True)
        assert flagged["Find A Helpline"] == (False, False)
        assert flagged["Town Line"] == (False, False)
        assert [entry.name for entry in resources_for("GB")][0] == "Emergency services"
        db.session.remove()
        db.engine.dispose()
