"""The page is "Notifications", and everything a member reads about it says so: the header
link, the banner, the page title, the words after an appeal; /notices still opens it."""

import re

import html5lib
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationEvent
from tests.factories import make_member, make_reply, make_thread

NOTICE_WORD = re.compile(r"\bnotices?\b", re.IGNORECASE)


@pytest.fixture
def author(app, login_as):
    """A member with two unread notifications: a reply, and a moderator hiding their post."""
    with app.app_context():
        writer = make_member("author_one")
        make_member("keeper", role="moderator")
        thread = make_thread(writer, title="Evenings")
        post = make_reply(writer, thread, "Words a moderator hid")
        make_reply(make_member("friend"), thread, "Thinking of you")
        post_id = post.id
    login_as("keeper").post(f"/mod/posts/{post_id}/hide", data={"reason": "Too harsh"})
    return login_as("author_one")


def seen(response) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, visible words, header links as (href, words)) of a page."""
    assert response.status_code == 200
    tree = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    words = " ".join("".join(tree.find("body").itertext()).split())
    header = tree.find(".//header")
    links = [(a.get("href"), " ".join("".join(a.itertext()).split())) for a in header.iter("a")]
    return tree.find(".//title").text, words, links


def test_the_header_link_and_the_banner_say_notifications(author):
    _, words, links = seen(author.get("/"))
    assert ("/notifications", "Notifications (2 new)") in links
    assert "You have 2 new notifications. Read them." in words
    assert not NOTICE_WORD.search(words), NOTICE_WORD.findall(words)


@pytest.mark.parametrize("url", ["/notifications", "/notices"])
def test_the_page_is_notifications_at_both_addresses(author, url):
    title, words, _ = seen(author.get(url))
    assert title == "Notifications · Test Forum"
    assert "Notifications" in words and "A moderator hid your post from others" in words
    assert "You have 2 new" not in words  # no banner pointing at the page one is reading
    assert not NOTICE_WORD.search(words), NOTICE_WORD.findall(words)


@pytest.mark.parametrize("url", ["/settings/delete", "/private/new", "/settings"])
def test_other_pages_a_member_reads_say_notifications(author, url):
    _, words, _ = seen(author.get(url))
    assert not NOTICE_WORD.search(words), (url, NOTICE_WORD.findall(words))


def test_after_an_appeal_the_member_lands_on_notifications(app, author):
    with app.app_context():
        event_id = db.session.execute(
            select(ModerationEvent.id).filter_by(action="hide")
        ).scalar_one()
    response = author.post(f"/appeal/{event_id}", data={"text": "Please look again"})
    assert response.headers["Location"] == "/notifications"
    title, words, _ = seen(author.get(response.headers["Location"]))
    assert title == "Notifications · Test Forum"
    assert "Your appeal is with the moderators." in words
    assert not NOTICE_WORD.search(words), NOTICE_WORD.findall(words)
