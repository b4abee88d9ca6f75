"""The words the Python code shows people go through gettext, in the reader's language.

A test catalog for "es" marks every message extracted from forum/ (⟪Handle⟫), so a page
shows at once which words were translated and which were not: labels and validator messages
defined at import time must still follow each request's language, while what is stored (the
audit log, notices, reaction kinds) stays in English and is translated only when shown.
"""

from html import unescape

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from flask_babel import force_locale
from sqlalchemy import select

from forum.digest.compose import count_lines
from forum.extensions import db
from forum.models import ModerationEvent, Notice, Reaction
from forum.paths import PACKAGE_DIR
from tests.factories import make_member, make_reply, make_thread

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def marked(text: str) -> str:
    return f"⟪{text}⟫"


@pytest.fixture(scope="module")
def marked_catalog(tmp_path_factory):
    """Every message of forum/ "translated" into "es" as itself between ⟪ ⟫."""
    # Two plural forms, as the Spanish catalog has (Plural-Forms: nplurals=2; plural=(n != 1)).
    catalog = Catalog()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            catalog.add(message, tuple(marked(form) for form in message))
        else:
            catalog.add(message, marked(message))
    folder = tmp_path_factory.mktemp("translations")
    (folder / "es" / "LC_MESSAGES").mkdir(parents=True)
    with open(folder / "es" / "LC_MESSAGES" / "messages.mo", "wb") as mo_file:
        write_mo(mo_file, catalog)
    return folder


@pytest.fixture
def app_config(app_config, marked_catalog):
    return {**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(marked_catalog)}


@pytest.fixture
def as_reader(app):
    """``as_reader(handle, language)``: a client logged in as ``handle`` (or a lurker when
    None) whose browser asks for ``language``."""

    def reader(handle=None, language="es"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        if handle:
            response = client.post(
                "/login", data={"handle": handle, "password": "correct horse battery"}
            )
            assert response.status_code == 302
        return client

    return reader


@pytest.fixture
def scene(app):
    with app.app_context():
        author = make_member("author_one")
        make_member("keeper", role="moderator")
        make_member("reader_a")
        thread = make_thread(author, title="Evenings", body="Opening words")
        reply = make_reply(author, thread, "Words under review")
        return {"thread": thread.id, "post": reply.id}


def test_form_labels_and_messages_follow_each_readers_language(app, as_reader):
    spanish = as_reader(language="es").get("/login").get_data(as_text=True)
    english = as_reader(language="en").get("/login").get_data(as_text=True)
    assert marked("Handle") in spanish and marked("Keep me logged in on this device") in spanish
    assert "Keep me logged in on this device" in english and "⟪" not in english
    refused = as_reader(language="es").post("/login", data={"handle": "", "password": ""})
    assert marked("Please enter your handle.") in refused.get_data(as_text=True)


def test_flash_messages_and_error_pages_are_in_the_readers_language(scene, as_reader):
    reader = as_reader("reader_a", "es")
    page = reader.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert marked("You have logged out. Take care.") in page
    missing = as_reader(language="es").get("/t/999999")
    assert missing.status_code == 404
    assert marked("We couldn't find that page") in unescape(missing.get_data(as_text=True))
    english = as_reader(language="en").get("/t/999999").get_data(as_text=True)
    assert "We couldn&#39;t find that page" in english and "⟪" not in english


def test_reaction_labels_are_translated_and_only_the_kind_is_stored(app, scene, as_reader):
    reader = as_reader("reader_a", "es")
    answer = reader.post(
        f"/p/{scene['post']}/react",
        data={"kind": "support"},
        headers={"Accept": "application/json"},
    ).get_json()
    labels = {reaction["kind"]: reaction["label"] for reaction in answer["reactions"]}
    assert labels["support"] == marked("Sending support")
    with app.app_context():
        assert db.session.execute(select(Reaction.kind)).scalars().all() == ["support"]


def test_the_audit_log_keeps_english_whatever_the_moderators_language(app, scene, as_reader):
    keeper = as_reader("keeper", "es")
    page = keeper.post(
        f"/mod/posts/{scene['post']}/warning",
        data={"content_warning": "grief", "reason": "gentler"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert marked("The content warning is changed.") in page
    with app.app_context():
        event = db.session.execute(select(ModerationEvent).filter_by(action="warning")).scalar_one()
        assert event.details["warning"] == "Grief and loss"


def test_a_notice_is_stored_in_english_and_shown_in_the_readers_language(app, scene, as_reader):
    keeper = as_reader("keeper", "es")
    keeper.post(f"/mod/posts/{scene['post']}/hide", data={"reason": "Too harsh"})
    keeper.post(f"/mod/posts/{scene['post']}/restore", data={"reason": ""})
    with app.app_context():
        texts = db.session.execute(select(Notice.text).order_by(Notice.id)).scalars().all()
    assert texts[-1] == "A moderator restored your post."
    spanish = as_reader("author_one", "es").get("/notifications").get_data(as_text=True)
    english = as_reader("author_one", "en").get("/notifications").get_data(as_text=True)
    assert marked("A moderator restored your post.") in spanish
    assert "A moderator restored your post." in english and "⟪" not in english


def test_counts_in_a_digest_use_the_plural_of_the_language(app):
    with app.test_request_context("/"):
        assert count_lines({"reply": 1, "mention": 2}) == ["1 reply to you", "2 mentions of you"]
        with force_locale("es"):
            assert count_lines({"reply": 2}) == [marked("2 replies to you")]
