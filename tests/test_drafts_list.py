"""Finding one's drafts: "Drafts (n)" in the header, and /drafts saying what each draft is for.

Written from the side of the member who keeps the drafts: what the header and the list show
them, and that the list costs the same few queries however many drafts they keep.
"""

import re

import pytest

from forum.auth.services import find_member
from forum.care.private import open_private_thread
from forum.extensions import db
from tests.factories import board, make_member, make_reply, make_thread


@pytest.fixture
def writer(app):
    """A member with a thread and a post of their own, and another member's thread."""
    with app.app_context():
        writer = make_member("slow_writer")
        other = make_member("other_one")
        theirs = make_thread(other, title="Evenings are long")
        mine = make_thread(writer, title="My garden")
        post = make_reply(writer, theirs, "Tea helps.")
        return {"theirs": theirs.id, "mine": mine.id, "post": post.id}


def save(client, place: str, body: str, title: str = ""):
    response = client.post("/drafts/save", data={"place": place, "body": body, "title": title})
    assert response.status_code == 200, place
    return response


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def header(client, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    return visible_text(page.split('aria-label="Account"')[1].split("</nav>")[0])


def draft_labels(client) -> list[str]:
    page = client.get("/drafts").get_data(as_text=True)
    listed = page.split('class="draft-list"')[1].split("</ul>")[0]
    return [visible_text(label) for label in re.findall(r"<strong>(.*?)</strong>", listed)]


def test_the_header_links_the_drafts_with_their_count_only_when_there_are_some(
    writer, login_as, lurker
):
    member = login_as("slow_writer")
    assert "Drafts" not in header(member)
    save(member, f"reply:{writer['theirs']}", "Half a reply")
    assert "Drafts (1)" in header(member)
    save(member, "new:anxiety", "Half a thread")
    page = member.get(f"/t/{writer['theirs']}").get_data(as_text=True)
    assert '<a href="/drafts">Drafts <span class="count">(2)</span></a>' in page
    assert "Drafts (2)" in header(member, "/settings")
    assert "Drafts" not in header(login_as("other_one"))
    assert "Drafts" not in header(lurker)


def test_each_draft_says_what_it_is_for(writer, login_as):
    member = login_as("slow_writer")
    save(member, f"reply:{writer['theirs']}", "Half a reply")
    save(member, f"edit:{writer['post']}", "Tea helps, and so do walks")
    save(member, "new:anxiety", "No title yet")
    save(member, "new:depression", "With a title", title="Mornings")
    assert draft_labels(member) == [
        "Mornings",
        "New thread in Anxiety",
        "Edit of your post in “Evenings are long”",
        "Reply in “Evenings are long”",
    ]
    assert "Untitled" not in member.get("/drafts").get_data(as_text=True)


def test_a_draft_does_not_name_a_thread_its_member_may_no_longer_see(app, login_as):
    """A moderator's reply draft in a member's private thread, after they stop moderating."""
    with app.app_context():
        make_member("former_keeper", role="moderator")
        private = open_private_thread(
            make_member("asker"), board(), "Something only for the moderators", "Words."
        )
        db.session.commit()
        private_id = private.id
    keeper = login_as("former_keeper")
    save(keeper, f"reply:{private_id}", "Let me answer")
    with app.app_context():
        find_member("former_keeper").role = "member"
        db.session.commit()
    labels = draft_labels(login_as("former_keeper"))
    assert labels == ["Reply in a thread no longer shown"]


def test_the_drafts_page_costs_the_same_queries_however_many_drafts(
    app, writer, login_as, count_queries
):
    member = login_as("slow_writer")

    def queries() -> int:
        with count_queries() as counter:
            assert member.get("/drafts").status_code == 200
        return counter.count

    save(member, f"reply:{writer['theirs']}", "One")
    save(member, f"edit:{writer['post']}", "One")
    save(member, "new:anxiety", "One")
    few = queries()
    with app.app_context():
        writer_member = find_member("slow_writer")
        other = find_member("other_one")
        for n in range(6):
            thread = make_thread(other, title=f"Thread {n}")
            post = make_reply(writer_member, thread, f"Reply {n}")
            save(member, f"reply:{thread.id}", f"Reply draft {n}")
            save(member, f"edit:{post.id}", f"Edit draft {n}")
    save(member, "new:depression", "Two")
    assert len(draft_labels(member)) == 16
    assert queries() == few
