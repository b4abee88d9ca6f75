"""Crisis signposting: the phrase matcher, helplines by region on /crisis, and admin editing."""

import html
import json
import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.crisis.phrases import crisis_matches, normalise_text, phrase_index
from forum.crisis.resources import (
    crisis_file,
    region_choices,
    resources_for,
    seed_crisis_resources,
    stale_resources,
)
from forum.extensions import db
from forum.models import CrisisResource, Member, ModerationEvent, utcnow
from tests.factories import make_member

BLNS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "blns.json"
SHIPPED = crisis_file()["resources"]
# What an English reader is offered: every region's English entries, and the entries of the
# regions that have none in English (Spain, Mexico).
ENGLISH_REGIONS = {entry["region"] for entry in SHIPPED if entry.get("language", "en") == "en"}
SHIPPED_IN_ENGLISH = [
    entry
    for entry in SHIPPED
    if entry.get("language", "en") == "en" or entry["region"] not in ENGLISH_REGIONS
]


# --- the phrase matcher -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I want to KILL MYSELF.", "kill myself"),
        ("i keep thinking about killing myself", "kill myself"),
        ("Kill. My. Self.", "kill myself"),
        ("Kíll mysélf", "kill myself"),
        ("ki\u200bll myself", "kill myself"),
        ("I just want to end my life", "end my life"),
        ("ending my life feels like the only way", "end my life"),
        ("#endmylife", "end my life"),
        ("I'm going to end it all", "end it all"),
        ("I thought about taking my own life", "take my own life"),
        ("I want to die", "want to die"),
        ("I've wanted to die for weeks", "want to die"),
        ("I feel suicidal tonight", "suicidal"),
        ("Suicidal.", "suicidal"),
        ("I keep thinking about suicide", "suicidal"),
        ("I self-harm when it gets bad", "self harm"),
        ("selfharm", "self harm"),
        ("self_harm", "self harm"),
        ("SELF HARM", "self harm"),
        ("I was self-harming again", "self harming"),
        ("I took an overdose last year", "overdose"),
        ("she overdosed", "overdose"),
        ("There is no reason to live", "no reason to live"),
        ("I don't want to be here anymore", "don't want to be here anymore"),
        ("i dont want to be here any more", "don't want to be here anymore"),
        ("I don’t want to be here anymore…", "don't want to be here anymore"),
        ("I do not want to be here anymore", "don't want to be here anymore"),
        ("I hurt myself again", "hurt myself"),
        ("I've been hurting myself", "hurt myself"),
        ("I keep cutting myself", "cut myself"),
        ("I cut myself last night", "cut myself"),
        ("I cannot go on anymore", "can't go on anymore"),
    ],
)
def test_crisis_phrases_are_found_whatever_the_case_punctuation_or_simple_variant(text, phrase):
    assert phrase in crisis_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need to skill myself up for the new job",
        "time to upskill myself",
        "that was overkill",
        "killer whales are amazing",
        "I'm trying to diet",
        "I want to diet before the summer",
        "this will end my lifelong habit of snoozing",
        "self harmony is a silly phrase",
        "I hurt my knee",
        "the cutlery drawer",
        "an endless summer",
        "my dose went up",
        "Mornings are the hardest part, but I got out of bed today.",
        "",
    ],
)
def test_benign_words_are_not_crisis_phrases(text):
    assert crisis_matches(text) == []


def test_every_phrase_found_is_reported_once_in_the_order_of_the_file():
    text = "I feel suicidal. I want to die. I want to die. I keep cutting myself."
    assert crisis_matches(text) == ["want to die", "suicidal", "cut myself"]


def test_the_naughty_strings_corpus_holds_no_false_alarms():
    if not BLNS.is_file():
        pytest.skip(f"the public corpus {BLNS} is not on this machine")
    phrases = [normalise_text(phrase) for phrase in phrase_index().phrases]
    for text in json.loads(BLNS.read_text(encoding="utf-8")):
        literal = {p for p in phrases if f" {p} " in f" {normalise_text(text)} "}
        found = {normalise_text(phrase) for phrase in crisis_matches(text)}
        assert found <= literal, (text, found)


def test_a_twenty_thousand_character_post_is_matched_quickly():
    words = "Some days are heavy and I write it all down here, café naïve — thanks for reading. "
    post = (words * 300)[:19_980] + " kill myself"
    assert len(post) == 19_992
    started = time.perf_counter()
    for _ in range(10):
        found = crisis_matches(post)
    assert found == ["kill myself"]
    assert (time.perf_counter() - started) / 10 < 0.1


def test_forum_crisis_file_replaces_the_shipped_phrases(app, tmp_path):
    own = tmp_path / "phrases.txt"
    own.write_text("# our own list\n\nfeeling hopeless\nGive up\n", encoding="utf-8")
    app.config["FORUM_CRISIS_FILE"] = str(own)
    with app.app_context():
        assert crisis_matches("I'm FEELING hopeless and want to give up") == [
            "feeling hopeless",
            "Give up",
        ]
        assert crisis_matches("I want to kill myself") == []
    assert crisis_matches("I want to kill myself") == ["kill myself"]


# --- resources by region ----------------------------------------------------------------------


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_crisis_resources()
        db.session.commit()


def resource_named(name: str) -> CrisisResource:
    return db.session.execute(select(CrisisResource).filter_by(name=name)).scalar_one()


def first_and_more(text: str) -> tuple[list[str], list[str]]:
    """Helpline names shown first, and those under "More helplines", as a reader sees them."""
    first, _, more = text.partition("<summary>More helplines</summary>")
    names = re.compile(r'<li class="resource">\s*<h2>([^<]+)</h2>')
    return (
        [html.unescape(n) for n in names.findall(first)],
        [html.unescape(n) for n in names.findall(more)],
    )


def test_resources_for_a_region_are_emergency_then_the_region_then_everywhere_in_one_query(
    app, seeded, count_queries
):
    with app.app_context():
        with count_queries() as counter:
            names = [entry.name for entry in resources_for("US")]
        assert counter.count == 1
        assert names == ["Emergency services", "988 Suicide & Crisis Lifeline", "Crisis Text Line"]
        assert [entry.name for entry in resources_for("gb", limit=1)] == ["Emergency services"]
        every = resources_for("NZ", limit=None)
        assert [entry.region for entry in every] == ["INT", "NZ", "NZ", "INT"]


def test_resources_for_no_region_uses_the_forum_region(app, seeded):
    app.config["FORUM_REGION"] = "AU"
    with app.app_context():
        assert [entry.name for entry in resources_for(None)][1] == "Lifeline"


def test_region_choices_are_a_short_list_with_everywhere_first():
    choices = region_choices()
    assert choices[0] == ("INT", "Everywhere")
    assert ("GB", "United Kingdom") in choices and ("US", "United States") in choices
    assert len(choices) <= 12


def test_stale_resources_are_those_not_checked_for_180_days(app, seeded):
    today = date(2027, 6, 1)
    with app.app_context():
        resource_named("Shout").last_verified = today - timedelta(days=181)
        resource_named("Pieta").last_verified = today - timedelta(days=400)
        for entry in db.session.execute(select(CrisisResource)).scalars():
            if entry.name not in ("Shout", "Pieta"):
                entry.last_verified = today - timedelta(days=179)
        db.session.commit()
        assert [entry.name for entry in stale_resources(today)] == ["Pieta", "Shout"]


# --- the /crisis page -------------------------------------------------------------------------


def test_crisis_page_shows_the_default_regions_helplines_first(client, seeded):
    text = client.get("/crisis").get_data(as_text=True)
    assert "<h1>Need help now?</h1>" in text
    assert "please contact emergency services now" in text
    first, more = first_and_more(text)
    assert first == ["Emergency services", "Samaritans", "Shout"]
    assert "988 Suicide & Crisis Lifeline" in more and "Find A Helpline" in more
    assert '<option value="GB" selected>United Kingdom</option>' in text


def test_crisis_page_shows_another_region_first_when_asked(client, seeded):
    text = client.get("/crisis?region=US").get_data(as_text=True)
    first, more = first_and_more(text)
    assert first == ["Emergency services", "988 Suicide & Crisis Lifeline", "Crisis Text Line"]
    assert "Samaritans" in more
    assert '<option value="US" selected>United States</option>' in text


def test_crisis_page_shows_the_members_own_region_first(app, client, auth, seeded):
    with app.app_context():
        make_member("far_away").region = "US"
        db.session.commit()
    auth.login("far_away")
    first, _ = first_and_more(client.get("/crisis").get_data(as_text=True))
    assert first[:2] == ["Emergency services", "988 Suicide & Crisis Lifeline"]
    first, _ = first_and_more(client.get("/crisis?region=AU").get_data(as_text=True))
    assert first[:2] == ["Emergency services", "Lifeline"]


@pytest.mark.parametrize("code", [code for code, _ in region_choices()] + ["", "ZZ", "<x>"])
def test_crisis_page_never_shows_more_than_three_helplines_before_more_helplines(
    client, seeded, code
):
    response = client.get(f"/crisis?region={code}")
    assert response.status_code == 200
    first, more = first_and_more(response.get_data(as_text=True))
    assert 1 <= len(first) <= 3
    assert len(first) + len(more) == len(SHIPPED_IN_ENGLISH)


def test_crisis_page_shows_the_shipped_list_before_forum_init_has_run(client):
    first, more = first_and_more(client.get("/crisis").get_data(as_text=True))
    assert first == ["Emergency services", "Samaritans", "Shout"]
    assert len(first) + len(more) == len(SHIPPED_IN_ENGLISH)


def test_init_twice_seeds_the_crisis_resources_once(runner, app):
    first = runner.invoke(args=["init"])
    second = runner.invoke(args=["init"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert f"{len(SHIPPED)} crisis resource(s) added" in first.output
    assert "0 crisis resource(s) added" in second.output
    with app.app_context():
        count = db.session.execute(select(func.count(CrisisResource.id))).scalar()
        assert count == len(SHIPPED)
        emergency = resource_named("Emergency services")
        assert emergency.region == "INT" and emergency.last_verified <= utcnow().date()


def test_a_broken_entry_in_an_operators_file_stops_init_but_not_the_crisis_page(
    app, client, runner, tmp_path
):
    own = tmp_path / "crisis.json"
    own.write_text(
        json.dumps(
            {
                "intro": "Local help.",
                "resources": [
                    {"name": "Town Helpline", "how": "Call 0100", "region": "GB"},
                    {"name": "Half written", "region": "GB", "last_verified": "next week"},
                ],
            }
        ),
        encoding="utf-8",
    )
    app.config["FORUM_CRISIS_RESOURCES_FILE"] = str(own)
    result = runner.invoke(args=["init"])
    assert result.exit_code != 0 and "Crisis resource 2 in the crisis file" in result.output
    response = client.get("/crisis")
    assert response.status_code == 200
    first, _ = first_and_more(response.get_data(as_text=True))
    assert first == ["Town Helpline"]
    crisis_file.cache_clear()


# --- admin editing ----------------------------------------------------------------------------


def events(action: str) -> list[ModerationEvent]:
    return list(db.session.execute(select(ModerationEvent).filter_by(action=action)).scalars())


@pytest.fixture
def as_admin(app, auth, seeded):
    with app.app_context():
        make_member("ada_admin", role="admin")
    auth.login("ada_admin")


NEW_HELPLINE = {
    "name": "Kiwi Night Line",
    "how": "Call 0800 000 000.",
    "hours": "Nights",
    "region": "NZ",
    "url": "https://example.org/night",
    "position": "0",
    "last_verified": "2026-11-01",
}


def test_admin_adds_a_helpline_that_readers_then_see_first(app, client, as_admin):
    response = client.post("/admin/crisis", data=NEW_HELPLINE, follow_redirects=True)
    assert "Added Kiwi Night Line" in response.get_data(as_text=True)
    first, _ = first_and_more(client.get("/crisis?region=NZ").get_data(as_text=True))
    assert first[:2] == ["Emergency services", "Kiwi Night Line"]
    with app.app_context():
        [event] = events("crisis_resource_create")
        assert event.actor.handle == "ada_admin" and event.details["name"] == "Kiwi Night Line"


def test_admin_edits_a_helpline_and_the_change_is_logged(app, client, as_admin):
    with app.app_context():
        shout = resource_named("Shout")
        resource_id, fields = (
            shout.id,
            {
                "name": "Shout 85258",
                "how": shout.how,
                "hours": shout.hours,
                "region": "GB",
                "url": shout.url,
                "position": str(shout.position),
                "always_open": "y",
                "last_verified": shout.last_verified.isoformat(),
            },
        )
    assert client.get(f"/admin/crisis/{resource_id}/edit").status_code == 200
    client.post(f"/admin/crisis/{resource_id}/edit", data=fields)
    first, _ = first_and_more(client.get("/crisis").get_data(as_text=True))
    assert first == ["Emergency services", "Samaritans", "Shout 85258"]
    with app.app_context():
        [event] = events("crisis_resource_edit")
        assert event.details["changes"] == {"name": ["Shout", "Shout 85258"]}


def test_a_refused_helpline_comes_back_with_the_message_and_what_was_typed(client, as_admin):
    response = client.post(
        "/admin/crisis", data={**NEW_HELPLINE, "name": "", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Please give the service&#39;s name." in text or "Please give the service's name" in text
    assert "starting with https://" in text
    assert "Call 0800 000 000." in text


def test_admin_marks_a_stale_helpline_checked_and_it_leaves_the_admin_list(app, client, as_admin):
    with app.app_context():
        pieta = resource_named("Pieta")
        pieta.last_verified = utcnow().date() - timedelta(days=200)
        db.session.commit()
        resource_id = pieta.id
    admin_page = client.get("/admin").get_data(as_text=True)
    assert "Needs checking" in admin_page and "Pieta" in admin_page
    assert 'href="/admin/crisis"' in admin_page
    client.post(f"/admin/crisis/{resource_id}/verify")
    admin_page = client.get("/admin").get_data(as_text=True)
    assert "Needs checking" not in admin_page
    with app.app_context():
        assert resource_named("Pieta").last_verified == utcnow().date()
        [event] = events("crisis_resource_verify")
        assert event.details["name"] == "Pieta"


def test_stale_helplines_are_flagged_on_the_admin_page_and_fresh_ones_are_not(
    app, client, as_admin
):
    with app.app_context():
        resource_named("Crisis Text Line").last_verified = date(2020, 1, 1)
        db.session.commit()
    text = client.get("/admin").get_data(as_text=True)
    flagged = text[text.index("Needs checking") :]
    flagged = flagged[: flagged.index("</p>")]
    assert "Crisis Text Line" in flagged and "Samaritans" not in flagged
    listing = client.get("/admin/crisis").get_data(as_text=True)
    assert listing.count("Needs checking</span>") == 1


def test_admin_deletes_a_helpline_after_confirming(app, client, as_admin):
    with app.app_context():
        resource_id = resource_named("Shout").id
    confirm = client.get(f"/admin/crisis/{resource_id}/delete").get_data(as_text=True)
    assert "Delete Shout?" in confirm
    client.post(f"/admin/crisis/{resource_id}/delete")
    first, more = first_and_more(client.get("/crisis").get_data(as_text=True))
    assert "Shout" not in first + more
    assert first == ["Emergency services", "Samaritans", "Find A Helpline"]
    with app.app_context():
        [event] = events("crisis_resource_delete")
        assert event.details["name"] == "Shout" and "85258" in event.details["how"]


def test_an_unknown_helpline_is_a_404(client, as_admin):
    assert client.get("/admin/crisis/999999/edit").status_code == 404
    assert client.post("/admin/crisis/999999/verify").status_code == 404


ADMIN_ROUTES = [
    ("get", "/admin/crisis"),
    ("post", "/admin/crisis"),
    ("get", "/admin/crisis/1/edit"),
    ("post", "/admin/crisis/1/edit"),
    ("post", "/admin/crisis/1/verify"),
    ("get", "/admin/crisis/1/delete"),
    ("post", "/admin/crisis/1/delete"),
]


@pytest.mark.parametrize("role", ["member", "moderator"])
@pytest.mark.parametrize(("method", "url"), ADMIN_ROUTES)
def test_only_admins_may_edit_crisis_resources(app, seeded, login_as, lurker, role, method, url):
    with app.app_context():
        make_member(f"some_{role}", role=role)
    response = getattr(login_as(f"some_{role}"), method)(url, data=NEW_HELPLINE)
    assert response.status_code == 403
    lurking = getattr(lurker, method)(url, data=NEW_HELPLINE)
    assert lurking.status_code == 302 and "/login" in lurking.headers["Location"]
    with app.app_context():
        assert db.session.execute(select(func.count(CrisisResource.id))).scalar() == len(SHIPPED)
        assert events("crisis_resource_create") == []
        assert db.session.execute(select(Member).filter_by(role="admin")).first() is None
