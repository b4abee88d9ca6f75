"""The data export holds each notification as the member saw it: the worded notification and a
link to what it is about, the same words the notifications page shows them."""

import json

import html5lib
import pytest

from forum.extensions import db
from forum.models import Post
from tests.factories import make_member, make_reply, make_thread

BASE = "https://forum.example.org"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "FORUM_BASE_URL": BASE}


@pytest.fixture
def noticed(app, login_as):
    """river_stone's thread gets a signed reply, an anonymous one, support, and a moderator
    hides one of river's replies."""
    with app.app_context():
        river = make_member("river_stone")
        friend = make_member("kind_friend")
        make_member("quiet_one")
        make_member("keeper", role="moderator")
        thread = make_thread(river, title="Mornings are hard")
        signed = make_reply(friend, thread, "You are not alone.")
        hidden = make_reply(river, thread, "Words a moderator hid")
        ids = {"thread": thread.id, "signed": signed.id, "hidden": hidden.id}
    anonymous = login_as("quiet_one")
    anonymous.post(f"/t/{ids['thread']}/reply", data={"body": "Me too.", "anonymous": "y"})
    with app.app_context():
        ids["anonymous"] = db.session.query(Post.id).filter_by(is_anonymous=True).scalar()
    login_as("kind_friend").post(f"/p/{ids['hidden']}/react", data={"kind": "support"})
    login_as("keeper").post(f"/mod/posts/{ids['hidden']}/hide", data={"reason": "Too raw"})
    return ids


def notifications_page(client) -> list[str]:
    """The notifications as the member reads them on /notifications, oldest first."""
    text = client.get("/notifications").get_data(as_text=True)
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    items = tree.find(".//ol[@class='notice-list']").findall("li")
    words = []
    for item in reversed(items):
        link = item.find("a")
        words.append(" ".join("".join(link.itertext()).split()))
    return words


def test_the_export_words_each_notification_as_the_page_did_with_a_link_to_it(noticed, login_as):
    river = login_as("river_stone")
    exported = json.loads(river.get("/settings/export").get_data(as_text=True))["notifications"]
    on_the_page = notifications_page(river)
    assert [item["text"] for item in exported] == on_the_page
    texts = [item["text"] for item in exported]
    assert "kind_friend replied to you in “Mornings are hard”." in texts
    assert any(text.startswith("Anonymous ") and "replied to you" in text for text in texts)
    assert "1 person sent “sending support” on your post in “Mornings are hard”." in texts
    assert "A moderator hid your post from others: Too raw. You may appeal this once." in texts
    links = {item["text"]: item["link"] for item in exported}
    assert links["kind_friend replied to you in “Mornings are hard”."] == (
        f"{BASE}/p/{noticed['signed']}"
    )
    assert links["A moderator hid your post from others: Too raw. You may appeal this once."] == (
        f"{BASE}/p/{noticed['hidden']}"
    )
    assert all(item["text"] and item["link"].startswith(f"{BASE}/p/") for item in exported)
    assert all(item["created_at"] and "read_at" in item for item in exported)


def test_the_export_never_names_the_author_of_an_anonymous_reply(noticed, login_as):
    raw = login_as("river_stone").get("/settings/export").get_data(as_text=True)
    assert "quiet_one" not in raw
