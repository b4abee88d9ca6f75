"""Data rights: the export holds everything about the member and nothing about others, in
a fixed number of queries."""

import json
import re

import pytest

from forum.account.services import export_member_data
from forum.extensions import db
from forum.models import Thread
from forum.threads.services import edit_post
from tests.accounts import live_a_life, member_named
from tests.factories import make_reply


@pytest.fixture
def lived_in(app):
    """river_stone with one of everything the export covers, and others' data around it."""
    return live_a_life(app)


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
