"""Atom feeds: what lurkers and feed readers see, checked by a real feed parser."""

import re

import feedparser
import html5lib
import pytest

from forum.account.services import delete_account
from forum.care.private import open_private_thread
from forum.extensions import db
from forum.feeds.queries import ENTRIES_PER_FEED
from forum.models import Post, Thread, utcnow
from forum.models.posts import PENDING_REVIEW
from forum.moderation.actions import hide_post, remove_post
from forum.threads.services import delete_post, reply_to_thread, start_thread
from forum.warnings import ContentWarning
from tests.factories import board, make_member, make_reply, make_thread

ATOM = "application/atom+xml; charset=utf-8"
BASE = "https://forum.example.org"


@pytest.fixture
def app_config(app_config):
    """Feeds link to FORUM_BASE_URL, never to the host a request names."""
    return {**app_config, "FORUM_BASE_URL": BASE}


def read_feed(client, url: str):
    """Fetch ``url`` and parse it as a feed reader would, keeping the HTML as it was sent."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == ATOM
    parsed = feedparser.parse(response.get_data(), sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def raw(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def bodies(parsed) -> str:
    return " ".join(entry.content[0].value for entry in parsed.entries)


def thread_feed_url(thread_id: int) -> str:
    return f"/t/{thread_id}/feed.atom"


def test_site_feed_lists_new_threads_with_their_titles_and_links(app, lurker):
    with app.app_context():
        author = make_member()
        first = make_thread(author, title="Mornings are hard", slug="depression")
        second = make_thread(author, title="A small win today", slug="small-wins")
        ids = [second.id, first.id]
        slugs = [second.slug, first.slug]
    parsed = read_feed(lurker, "/feed.atom")
    assert parsed.feed.title == "Test Forum: newest threads"
    assert parsed.feed.id == f"{BASE}/feed.atom"
    assert parsed.feed.updated
    assert titles(parsed) == ["A small win today", "Mornings are hard"]
    for entry, thread_id, slug in zip(parsed.entries, ids, slugs, strict=True):
        assert entry.link == f"{BASE}/t/{thread_id}/{slug}"
        assert entry.id == f"{BASE}/t/{thread_id}"
        assert entry.author == "river_stone"
        assert entry.updated
    assert parsed.entries[1].content[0].type == "text/html"
    assert parsed.entries[1].content[0].value == "<p>Opening words.</p>"
    assert [entry.tags[0].term for entry in parsed.entries] == ["small-wins", "depression"]


def test_site_feed_keeps_the_newest_thirty_threads(app, lurker):
    with app.app_context():
        author = make_member()
        for number in range(ENTRIES_PER_FEED + 2):
            make_thread(author, title=f"Thread {number}")
    shown = titles(read_feed(lurker, "/feed.atom"))
    assert len(shown) == ENTRIES_PER_FEED
    assert shown[0] == f"Thread {ENTRIES_PER_FEED + 1}"
    assert "Thread 0" not in shown and "Thread 1" not in shown


def test_feeds_are_public_and_cacheable_and_the_same_for_everyone(app, lurker, login_as):
    with app.app_context():
        author = make_member()
        make_member("maple_keeper", role="moderator")
        thread = make_thread(author)
        make_reply(author, thread)
        board("depression").moderation_mode = "pre"
        db.session.commit()
        # Only its author and the moderators may see this one; the feeds never show it.
        make_thread(author, title="Waiting for a moderator")
        thread_id = thread.id
    moderator = login_as("maple_keeper")
    for url in ("/feed.atom", "/b/depression/feed.atom", thread_feed_url(thread_id)):
        seen_by_lurker = lurker.get(url)
        seen_by_moderator = moderator.get(url)
        assert seen_by_moderator.get_data() == seen_by_lurker.get_data()
        assert "Waiting for a moderator" not in seen_by_lurker.get_data(as_text=True)
        assert seen_by_lurker.headers["Cache-Control"] in (
            "public, max-age=300",
            "max-age=300, public",
        )
        assert "Set-Cookie" not in seen_by_moderator.headers
        again = lurker.get(url, headers={"If-None-Match": seen_by_lurker.headers["ETag"]})
        assert again.status_code == 304


def test_board_feed_lists_only_that_boards_threads(app, lurker):
    with app.app_context():
        author = make_member()
        make_thread(author, title="Sleepless again", slug="depression")
        make_thread(author, title="Racing heart", slug="anxiety")
        make_thread(author, title="Low week", slug="depression")
    parsed = read_feed(lurker, "/b/depression/feed.atom")
    assert parsed.feed.title == "Depression · Test Forum: newest threads"
    assert parsed.feed.link == f"{BASE}/b/depression"
    assert titles(parsed) == ["Low week", "Sleepless again"]
    assert titles(read_feed(lurker, "/b/anxiety/feed.atom")) == ["Racing heart"]


def test_thread_feed_lists_replies_newest_first(app, lurker):
    with app.app_context():
        author = make_member()
        friend = make_member("kind_fern")
        thread = make_thread(author, title="Mornings are hard", body="The opening post.")
        first = make_reply(friend, thread, body="First reply.")
        make_reply(author, thread, body="Second reply.", parent=first)
        make_reply(friend, thread, body="Third reply.")
        thread_id = thread.id
        reply_ids = [post.id for post in thread_posts(thread_id)][1:]
    parsed = read_feed(lurker, thread_feed_url(thread_id))
    assert parsed.feed.title == "Replies to “Mornings are hard” · Test Forum"
    assert [entry.content[0].value for entry in parsed.entries] == [
        "<p>Third reply.</p>",
        "<p>Second reply.</p>",
        "<p>First reply.</p>",
    ]
    assert [entry.author for entry in parsed.entries] == ["kind_fern", "river_stone", "kind_fern"]
    assert [entry.link for entry in parsed.entries] == [
        f"{BASE}/p/{post_id}" for post_id in reversed(reply_ids)
    ]
    assert titles(parsed) == ["Re: Mornings are hard"] * 3
    assert "The opening post." not in bodies(parsed)


def thread_posts(thread_id: int) -> list[Post]:
    return list(
        db.session.execute(db.select(Post).filter_by(thread_id=thread_id).order_by(Post.id))
        .scalars()
        .all()
    )


def test_anonymous_posts_show_the_alias_and_never_the_handle(app, lurker):
    with app.app_context():
        author = make_member("quiet_harbor")
        thread = make_thread(author, title="Something I can't say", anonymous=True)
        reply = make_reply(author, thread, body="Thank you all.", anonymous=True)
        alias = reply.alias.name
        thread_id = thread.id
    for url in ("/feed.atom", "/b/depression/feed.atom", thread_feed_url(thread_id)):
        parsed = read_feed(lurker, url)
        assert [entry.author for entry in parsed.entries] == [alias]
        assert "quiet_harbor" not in raw(lurker, url).lower()


def test_posts_of_a_deleted_account_are_by_a_former_member(app, lurker):
    with app.app_context():
        author = make_member("gone_heron")
        thread = make_thread(author, title="Still here for you")
        make_reply(author, thread, body="Kept words.")
        delete_account(author, keep_posts=True, now=utcnow())
        db.session.commit()
        thread_id = thread.id
    for url in ("/feed.atom", thread_feed_url(thread_id)):
        assert [entry.author for entry in read_feed(lurker, url).entries] == ["former member"]
        assert "gone_heron" not in raw(lurker, url)


def test_threads_whose_author_took_their_posts_with_them_leave_the_feeds(app, lurker):
    with app.app_context():
        author = make_member("gone_heron")
        make_thread(author, title="Words I took back")
        delete_account(author, keep_posts=False, now=utcnow())
        db.session.commit()
    assert read_feed(lurker, "/feed.atom").entries == []


def hide(post):
    hide_post(make_member("maple_keeper", role="moderator"), post, "Against the guidelines")


def remove(post):
    remove_post(make_member("maple_keeper", role="moderator"), post, "Against the guidelines")


def put_under_review(post):
    post.state = PENDING_REVIEW


@pytest.mark.parametrize(
    "take_away",
    [hide, remove, delete_post, put_under_review],
    ids=["hidden", "removed", "deleted", "under-review"],
)
def test_replies_taken_from_view_never_appear_in_the_thread_feed(app, lurker, take_away):
    # Moderation actions link their notices to the post: they need a request.
    with app.test_request_context():
        author = make_member()
        thread = make_thread(author)
        make_reply(author, thread, body="Still here.")
        take_away(make_reply(author, thread, body="Taken away."))
        db.session.commit()
        thread_id = thread.id
    parsed = read_feed(lurker, thread_feed_url(thread_id))
    assert [entry.content[0].value for entry in parsed.entries] == ["<p>Still here.</p>"]
    assert "Taken away" not in raw(lurker, thread_feed_url(thread_id))


@pytest.mark.parametrize(
    "take_away",
    [hide, remove, delete_post, put_under_review],
    ids=["hidden", "removed", "deleted", "under-review"],
)
def test_threads_whose_opening_post_was_taken_from_view_leave_the_feeds(app, lurker, take_away):
    # Moderation actions link their notices to the post: they need a request.
    with app.test_request_context():
        author = make_member()
        make_thread(author, title="Still listed")
        take_away(make_thread(author, title="Taken away", body="Gone words.").first_post)
        db.session.commit()
    for url in ("/feed.atom", "/b/depression/feed.atom"):
        assert titles(read_feed(lurker, url)) == ["Still listed"]
        assert "Gone words" not in raw(lurker, url)


def test_held_replies_and_threads_never_appear(app, lurker):
    with app.app_context():
        author = make_member()
        newcomer = make_member("new_sprout")
        thread = make_thread(author, title="Open to all")
        make_reply(author, thread, body="Published reply.")
        board("depression").moderation_mode = "pre"
        db.session.commit()
        held_thread = make_thread(newcomer, title="Waiting for approval")
        make_reply(newcomer, thread, body="Waiting reply.")
        assert held_thread.held
        thread_id, held_id = thread.id, held_thread.id
    for url in ("/feed.atom", "/b/depression/feed.atom"):
        assert titles(read_feed(lurker, url)) == ["Open to all"]
    replies = read_feed(lurker, thread_feed_url(thread_id))
    assert [entry.content[0].value for entry in replies.entries] == ["<p>Published reply.</p>"]
    assert lurker.get(thread_feed_url(held_id)).status_code == 404


def test_private_threads_never_appear_and_have_no_feed(app, lurker):
    with app.app_context():
        make_thread(make_member(), title="Open to all")
        private_id = _private_thread().id
    for url in ("/feed.atom", "/b/depression/feed.atom"):
        assert titles(read_feed(lurker, url)) == ["Open to all"]
        assert "Private words" not in raw(lurker, url)
    assert lurker.get(thread_feed_url(private_id)).status_code == 404


def _private_thread() -> Thread:
    member = make_member("alone_at_night")
    thread = open_private_thread(member, board("depression"), "Private words", "Only for you.")
    db.session.commit()
    return thread


def test_threads_of_archived_boards_leave_the_site_feed(app, lurker):
    with app.app_context():
        author = make_member()
        make_thread(author, title="On an open board")
        make_thread(author, title="On an archived board", slug="trauma")
        board("trauma").archived = True
        db.session.commit()
    assert titles(read_feed(lurker, "/feed.atom")) == ["On an open board"]
    assert titles(read_feed(lurker, "/b/trauma/feed.atom")) == ["On an archived board"]


@pytest.mark.parametrize(
    ("warning", "label"),
    [
        (ContentWarning("self-harm"), "Self-harm"),
        (ContentWarning("custom", "Hospital <stay> & after"), "Hospital <stay> & after"),
    ],
)
def test_a_warned_post_reaches_feed_readers_as_its_warning_and_a_link_only(
    app, lurker, warning, label
):
    """A feed reader opens every entry: behind a warning it finds the warning and a link to
    the post, where the reader chooses to open it, never the words themselves."""
    with app.app_context():
        author = make_member()
        thread = start_thread(
            author, board("depression"), "Hard week", "What happened to me.", False, warning
        )
        db.session.commit()
        reply = reply_to_thread(author, thread, "It helps to say it.", False, warning=warning)
        db.session.commit()
        thread_url = f"{BASE}/t/{thread.id}/{thread.slug}"
        reply_url = f"{BASE}/p/{reply.id}"
        thread_id = thread.id
    feeds = [
        ("/feed.atom", thread_url),
        ("/b/depression/feed.atom", thread_url),
        (thread_feed_url(thread_id), reply_url),
    ]
    for url, post_url in feeds:
        (entry,) = read_feed(lurker, url).entries
        assert entry.summary == f"Content warning: {label}"
        content = entry.content[0].value
        fragment = html5lib.parseFragment(content, namespaceHTMLElements=False)
        said = " ".join("".join(fragment.itertext()).split())
        assert said.startswith(f"Content warning: {label}")
        assert [a.get("href") for a in fragment.iter("a")] == [post_url]
        everything = raw(lurker, url)
        for words in ("What happened to me", "It helps to say it"):
            assert words not in said and words not in everything


def test_a_post_without_a_warning_has_no_summary(app, lurker):
    with app.app_context():
        make_thread(make_member())
    assert len(read_feed(lurker, "/feed.atom").entries) == 1
    assert "<summary>" not in raw(lurker, "/feed.atom")


def test_script_typed_as_text_comes_out_escaped(app, lurker):
    typed = "<script>alert('hi')</script> and <img src=x onerror=alert(1)>"
    with app.app_context():
        author = make_member()
        thread = make_thread(author, title="<script>alert(1)</script>", body=typed)
        make_reply(author, thread, body=typed)
        thread_id = thread.id
    for url in ("/feed.atom", thread_feed_url(thread_id)):
        text = raw(lurker, url)
        assert "<script" not in text and "<img" not in text
        for entry in read_feed(lurker, url).entries:
            content = entry.content[0].value
            fragment = html5lib.parseFragment(content, namespaceHTMLElements=False)
            assert fragment.find(".//script") is None
            assert fragment.find(".//img") is None
            assert "<script>alert('hi')</script>" in "".join(fragment.itertext())
    assert titles(read_feed(lurker, "/feed.atom")) == ["<script>alert(1)</script>"]


@pytest.mark.parametrize(
    "url",
    ["/b/no-such-board/feed.atom", "/t/999999/feed.atom", "/t/0/feed.atom", "/t/abc/feed.atom"],
)
def test_unknown_board_or_thread_feed_is_not_found(client, url):
    assert client.get(url).status_code == 404


def feed_links(page: str) -> list[str]:
    head = page.split("</head>", 1)[0]
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head
    )


def test_pages_link_to_their_feeds_in_the_head(app, lurker):
    with app.app_context():
        thread = make_thread(make_member())
        thread_id = thread.id
    expected = {
        "/": ["/feed.atom"],
        "/b/depression": ["/feed.atom", "/b/depression/feed.atom"],
        f"/t/{thread_id}": ["/feed.atom", thread_feed_url(thread_id)],
    }
    for page, links in expected.items():
        assert feed_links(raw(lurker, page)) == links
        for link in links:
            read_feed(lurker, link)


def test_a_private_thread_page_offers_no_feed_of_its_own(app, login_as):
    with app.app_context():
        private = _private_thread()
        private_id = private.id
    page = raw(login_as("alone_at_night"), f"/t/{private_id}")
    assert feed_links(page) == ["/feed.atom"]


@pytest.mark.parametrize("kind", ["site", "board", "thread"])
def test_query_count_is_the_same_for_3_and_30_entries(app, lurker, count_queries, kind):
    def queries_for(entries: int) -> int:
        with app.app_context():
            author = make_member(f"writer_{entries}")
            friend = make_member(f"friend_{entries}")
            thread = make_thread(author, title=f"Thread of {entries}")
            for number in range(entries):
                if kind == "thread":
                    make_reply(friend, thread, anonymous=number % 2 == 0)
                else:
                    make_thread(friend, title=f"Thread {number}", anonymous=number % 2 == 0)
            url = {
                "site": "/feed.atom",
                "board": "/b/depression/feed.atom",
                "thread": thread_feed_url(thread.id),
            }[kind]
        with count_queries() as counter:
            assert lurker.get(url).status_code == 200
        return counter.count

    few = queries_for(3)
    many = queries_for(30)
    assert few == many
    assert many <= 3, many  # the page-cache version check, then the feed itself
