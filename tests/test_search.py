"""Search: what a reader finds, what they never find, and that no query breaks or is logged."""

import json
import logging
import re
import threading
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import Member, Post, Thread
from forum.search.index import clear_index
from forum.search.queries import search_posts
from forum.search.terms import MAX_QUERY_CHARS, MAX_TERMS, search_terms
from forum.threads.services import edit_post
from forum.warnings import ContentWarning, apply_warning
from tests.factories import PASSWORD, make_member, make_reply, make_thread
from tests.helpers import walk_pages

BLNS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "blns.json"
RESULT_LINK = re.compile(r'<h2 class="thread-title"><a href="/p/(\d+)">')


def search(client, q, **filters) -> str:
    """The search page for ``q`` as a reader sees it (it must never be an error)."""
    response = client.get("/search", query_string={"q": q, **filters})
    assert response.status_code == 200, (q, filters)
    return response.get_data(as_text=True)


def found_ids(client, q, **filters) -> list[int]:
    """Ids of the posts listed on the first page of results, in their order."""
    return [int(post_id) for post_id in RESULT_LINK.findall(search(client, q, **filters))]


def indexed_ids(app) -> set[int]:
    """Post ids that have a row in the index itself (not only what the page shows)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            statement = "SELECT post_id FROM search_documents"
        else:
            statement = "SELECT rowid FROM search_index"
        return set(db.session.execute(text(statement)).scalars())


@pytest.fixture
def forum(app):
    """river_stone opens a thread and replies; bea answers anonymously; keeper moderates."""
    with app.app_context():
        river = make_member("river_stone")
        bea = make_member("bea_listens")
        make_member("keeper", role="moderator")
        thread = make_thread(
            river, title="Lighthouse mornings", body="The kettle sings before dawn."
        )
        reply = make_reply(river, thread, "Walking by the harbour helps with the fog.")
        secret = make_reply(bea, thread, "I keep a pebble from the harbour.", anonymous=True)
        return {
            "thread": thread.id,
            "opening": thread.first_post_id,
            "reply": reply.id,
            "anonymous": secret.id,
        }


# Finding


def test_words_in_a_thread_title_find_its_opening_post(forum, lurker):
    page = search(lurker, "lighthouse")
    assert found_ids(lurker, "lighthouse") == [forum["opening"]]
    assert '<a href="/b/depression">Depression</a>' in page
    assert "river_stone" in page


def test_words_in_a_post_body_find_that_post(forum, lurker):
    assert found_ids(lurker, "fog") == [forum["reply"]]
    assert found_ids(lurker, "KETTLE dawn") == [forum["opening"]]


def test_every_word_must_be_found_and_case_does_not_matter(forum, lurker):
    assert found_ids(lurker, "harbour fog") == [forum["reply"]]
    assert found_ids(lurker, "HARBOUR Fog") == [forum["reply"]]
    assert found_ids(lurker, "harbour volcano") == []


def test_accents_do_not_matter(app, forum, lurker):
    with app.app_context():
        make_thread(find_member("river_stone"), title="Café evenings", body="Quiet tables.")
    assert len(found_ids(lurker, "cafe")) == 1
    assert len(found_ids(lurker, "CAFÉ")) == 1
    assert "<mark>Café</mark>" in search(lurker, "cafe")


def test_a_blank_query_shows_a_calm_prompt_and_no_results(forum, lurker):
    for blank in ("", "   ", "\t", "?!", "🙂"):
        page = search(lurker, blank)
        assert "Type a word to search" in page
        assert not RESULT_LINK.search(page)
    assert "Type a word to search" in lurker.get("/search").get_data(as_text=True)


def test_a_search_that_finds_nothing_says_so(forum, lurker):
    page = search(lurker, "volcano")
    assert "No results for “volcano”" in page


def test_results_link_to_the_post_permalink_which_leads_into_the_thread(forum, lurker):
    assert found_ids(lurker, "fog") == [forum["reply"]]
    response = lurker.get(f"/p/{forum['reply']}")
    assert response.status_code == 302
    assert f"#p{forum['reply']}" in response.headers["Location"]


# Never found


def moderate(login_as, post_id, action, reason="Not for here"):
    response = login_as("keeper").post(f"/mod/posts/{post_id}/{action}", data={"reason": reason})
    assert response.status_code in (302, 303), response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["hide", "remove"])
def test_a_post_a_moderator_hid_or_removed_is_never_found(app, forum, lurker, login_as, action):
    moderate(login_as, forum["reply"], action)
    assert found_ids(lurker, "fog") == []
    assert forum["reply"] not in indexed_ids(app)
    # Not even by its author or a moderator: search shows what everyone may read.
    assert found_ids(login_as("river_stone"), "fog") == []
    assert found_ids(login_as("keeper"), "fog") == []


def test_restoring_a_hidden_post_makes_it_findable_again(app, forum, lurker, login_as):
    moderate(login_as, forum["reply"], "hide")
    moderate(login_as, forum["reply"], "restore")
    assert found_ids(lurker, "fog") == [forum["reply"]]


def test_a_post_its_author_deleted_is_never_found(app, forum, lurker, login_as):
    response = login_as("river_stone").post(f"/p/{forum['reply']}/delete")
    assert response.status_code in (302, 303)
    assert found_ids(lurker, "fog") == []
    assert forum["reply"] not in indexed_ids(app)


def test_a_held_post_is_found_only_once_a_moderator_approves_it(app, forum, lurker, auth, login_as):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    auth.register("new_voice")
    auth.client.post(
        "/b/introductions/new",
        data={"title": "Hello from the marsh", "body": "Herons everywhere today."},
    )
    with app.app_context():
        held = db.session.execute(select(Post).filter_by(state="held")).scalar_one()
        held_id = held.id
    assert found_ids(lurker, "herons") == []
    assert found_ids(lurker, "marsh") == []
    assert held_id not in indexed_ids(app)

    moderate(login_as, held_id, "approve", reason="")

    assert found_ids(lurker, "herons") == [held_id]
    assert found_ids(lurker, "marsh") == [held_id]


def test_a_rejected_held_post_is_never_found(app, forum, lurker, auth, login_as):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2
    auth.register("new_voice")
    auth.client.post("/b/introductions/new", data={"title": "Marsh notes", "body": "Herons again."})
    with app.app_context():
        held_id = db.session.execute(select(Post.id).filter_by(state="held")).scalar_one()
    moderate(login_as, held_id, "remove")
    assert found_ids(lurker, "herons") == []
    assert held_id not in indexed_ids(app)


def test_a_private_threads_posts_are_never_found(app, forum, lurker, login_as):
    from forum.care.private import open_private_thread
    from tests.factories import board

    with app.app_context():
        river = find_member("river_stone")
        thread = open_private_thread(river, board(), "Lantern worries", "A lantern in the dark.")
        db.session.commit()
        private = thread.id
    keeper = login_as("keeper")
    keeper.post(f"/t/{private}/reply", data={"body": "The lantern will be fine."})
    assert found_ids(lurker, "lantern") == []
    assert found_ids(keeper, "lantern") == []
    with app.app_context():
        private_posts = set(
            db.session.execute(select(Post.id).filter_by(thread_id=private)).scalars()
        )
    assert len(private_posts) == 2
    assert not private_posts & indexed_ids(app)


def test_a_stale_index_row_never_shows_a_post_that_is_not_public(app, forum, lurker):
    with app.app_context():
        # Change the post behind the index's back: the search checks the post itself.
        db.session.execute(
            text("UPDATE posts SET state = 'hidden' WHERE id = :id"), {"id": forum["reply"]}
        )
        db.session.commit()
    assert forum["reply"] in indexed_ids(app)
    assert found_ids(lurker, "fog") == []


def test_deleting_an_account_with_its_posts_takes_their_words_out_of_the_index(
    app, forum, lurker, login_as
):
    river = login_as("river_stone")
    response = river.post("/settings/delete", data={"posts": "remove", "password": PASSWORD})
    assert response.status_code in (200, 302, 303)
    assert found_ids(lurker, "kettle") == []
    assert found_ids(lurker, "fog") == []
    assert not {forum["opening"], forum["reply"]} & indexed_ids(app)
    # Bea's anonymous reply stays findable, under the thread's new title.
    assert found_ids(lurker, "pebble") == [forum["anonymous"]]


# Edits and moves


def test_an_edit_changes_what_is_found(app, forum, lurker, login_as):
    response = login_as("river_stone").post(
        f"/p/{forum['reply']}/edit", data={"body": "Swimming in the cold sea clears my head."}
    )
    assert response.status_code in (302, 303)
    assert found_ids(lurker, "fog") == []
    assert found_ids(lurker, "swimming") == [forum["reply"]]


def test_a_new_thread_title_is_found_and_the_old_one_is_not(app, forum, lurker):
    with app.app_context():
        db.session.get(Thread, forum["thread"]).title = "Quiet evenings"
        db.session.commit()
    assert found_ids(lurker, "lighthouse") == []
    assert found_ids(lurker, "evenings") == [forum["opening"]]


def test_a_moved_thread_is_found_on_its_new_board(app, forum, lurker, login_as):
    response = login_as("keeper").post(
        f"/mod/threads/{forum['thread']}/move", data={"board": "anxiety", "reason": ""}
    )
    assert response.status_code in (302, 303)
    assert found_ids(lurker, "fog", board="anxiety") == [forum["reply"]]
    assert found_ids(lurker, "fog", board="depression") == []


# Who wrote it


def test_the_author_filter_finds_their_signed_posts_and_never_their_anonymous_ones(app, lurker):
    with app.app_context():
        bea = make_member("bea_listens")
        other = make_member("other_one")
        signed = make_thread(bea, title="Harbour walks", body="The harbour at noon.")
        hidden_self = make_reply(bea, signed, "My harbour secret.", anonymous=True)
        theirs = make_thread(other, title="Harbour too", body="Another harbour.")
        signed_id, anonymous_id, other_id = (
            signed.first_post_id,
            hidden_self.id,
            theirs.first_post_id,
        )
    everything = found_ids(lurker, "harbour")
    assert set(everything) == {signed_id, anonymous_id, other_id}
    assert found_ids(lurker, "harbour", author="bea_listens") == [signed_id]
    assert found_ids(lurker, "harbour", author="BEA_LISTENS") == [signed_id]
    assert found_ids(lurker, "secret", author="bea_listens") == []
    assert found_ids(lurker, "harbour", author="nobody_here") == []
    assert "No results" in search(lurker, "harbour", author="not a handle!")


def test_results_show_the_alias_of_an_anonymous_post_and_never_the_handle(app, forum, lurker):
    with app.app_context():
        alias = db.session.get(Post, forum["anonymous"]).alias.name
    page = search(lurker, "pebble")
    assert found_ids(lurker, "pebble") == [forum["anonymous"]]
    assert alias in page
    assert "bea_listens" not in page
    assert "/u/bea_listens" not in page


def test_posts_left_by_a_deleted_account_show_former_member(app, forum, lurker, login_as):
    river = login_as("river_stone")
    river.post("/settings/delete", data={"posts": "keep", "password": PASSWORD})
    page = search(lurker, "fog")
    assert found_ids(lurker, "fog") == [forum["reply"]]
    assert "former member" in page
    assert "river_stone" not in page
    # Their old handle no longer finds them.
    assert found_ids(lurker, "fog", author="river_stone") == []


def test_the_board_filter_keeps_to_that_board(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        here = make_thread(river, title="Tides", body="Tides and moons.", slug="anxiety")
        there = make_thread(river, title="Tides again", body="More tides.", slug="depression")
        here_id, there_id = here.first_post_id, there.first_post_id
    assert set(found_ids(lurker, "tides")) == {here_id, there_id}
    assert found_ids(lurker, "tides", board="anxiety") == [here_id]
    assert found_ids(lurker, "tides", board="depression") == [there_id]
    assert found_ids(lurker, "tides", board="no-such-board") == []
    page = search(lurker, "tides", board="anxiety")
    assert '<option value="anxiety" selected>' in page


# Pages, ranking, snippets


def test_results_come_twenty_a_page_with_a_link_to_the_next(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        thread = make_thread(river, title="Counting", body="Counting sheep one.")
        for number in range(44):
            make_reply(river, thread, f"Counting sheep, reply {number}.")
    first = search(lurker, "sheep")
    assert len(RESULT_LINK.findall(first)) == 20
    seen = walk_pages(lurker, "/search?q=sheep", "More results", RESULT_LINK.findall)
    assert len(seen) == 45 and len(set(seen)) == 45
    last = lurker.get("/search?q=sheep&page=3").get_data(as_text=True)
    assert len(RESULT_LINK.findall(last)) == 5
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert "There are no more results" in lurker.get("/search?q=sheep&page=9").get_data(
        as_text=True
    )
    assert lurker.get("/search?q=sheep&page=0").status_code == 404
    assert lurker.get("/search?q=sheep&page=abc").status_code == 404


def test_recency_breaks_ties_between_equally_good_matches(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        thread = make_thread(river, title="Notes", body="A first note.")
        older = make_reply(river, thread, "Same words about otters.")
        newer = make_reply(river, thread, "Same words about otters.")
        # The earlier id is made the more recent post: the tiebreak is time, not id.
        older.created_at, newer.created_at = newer.created_at + timedelta(hours=1), older.created_at
        db.session.commit()
        older_id, newer_id = older.id, newer.id
    assert found_ids(lurker, "otters") == [older_id, newer_id]


def test_a_better_match_comes_before_a_newer_one(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        best = make_thread(river, title="Otters", body="Otters, otters, otters.")
        weak = make_thread(
            river,
            title="A long day",
            body="A long walk along the river where, far off, I think I saw an otters sign.",
        )
        best_id, weak_id = best.first_post_id, weak.first_post_id
    assert found_ids(lurker, "otters") == [best_id, weak_id]


def test_the_snippet_highlights_the_words_and_escapes_html_typed_in_posts(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        make_thread(
            river,
            title="Brave <i>steps</i>",
            body='I typed <script>alert("x")</script> and <b>bold</b> before the brave part.',
        )
    page = search(lurker, "brave")
    assert "<mark>brave</mark> part" in page
    assert "<mark>Brave</mark> &lt;i&gt;steps&lt;/i&gt;" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert page.count("<mark>") == 2


def test_a_long_post_shows_the_part_around_the_first_match(app, lurker):
    with app.app_context():
        river = make_member("river_stone")
        filler = " ".join(["quiet"] * 200)
        make_thread(river, title="Long", body=f"{filler} here is the willow. {filler}")
    page = search(lurker, "willow")
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page).group(1)
    assert "<mark>willow</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 400


def test_a_post_with_a_content_warning_keeps_its_snippet_behind_the_warning(app, lurker, login_as):
    with app.app_context():
        river = make_member("river_stone")
        reader = make_member("careful_reader")
        reader.hidden_warnings = ["grief"]
        thread = make_thread(river, title="Remembering", body="Missing my grandmother today.")
        post = db.session.get(Post, thread.first_post_id)
        apply_warning(post, ContentWarning("grief"))
        db.session.commit()
    page = search(lurker, "grandmother")
    assert '<details class="content-warning"><summary>Content warning: Grief and loss' in page
    careful = search(login_as("careful_reader"), "grandmother")
    assert "hidden by your settings" in careful
    assert "<mark>grandmother</mark>" not in careful


# Hostile input


HOSTILE = [
    '"',
    '""',
    '"unbalanced quote',
    "*",
    "harbour*",
    "-harbour",
    "NOT harbour",
    "harbour AND",
    "AND OR NOT",
    "NEAR(harbour fog)",
    "NEAR(",
    "^harbour",
    "title:harbour",
    "body : fog",
    "(harbour",
    "harbour)",
    "((()))",
    "{harbour fog}",
    "harbour\x00fog",
    "\x00",
    "🙂 harbour 🌊",
    "ᚠᛇᚻ᛫ᛒᛦᚦ",
    "' OR 1=1 --",
    "'; DROP TABLE posts; --",
    "%",
    "_",
    "\\",
    "harbour" * 500,
    "harbour " * 500,
    " ".join(f"w{n}" for n in range(300)),
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "\u202e\u200b\ufeff",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_quotes_operators_and_odd_characters_never_cause_an_error(forum, lurker, query):
    page = search(lurker, query)
    assert "Type a word to search" in page or "No results" in page or RESULT_LINK.search(page)
    assert "<script>alert" not in page


def test_operators_are_searched_as_plain_words(forum, lurker):
    assert found_ids(lurker, "NEAR(harbour fog)") == []  # "near" is not in the post
    assert found_ids(lurker, '"harbour fog"') == [forum["reply"]]
    assert found_ids(lurker, "(fog)") == [forum["reply"]]
    assert found_ids(lurker, "-fog") == [forum["reply"]]
    assert found_ids(lurker, "fog*") == [forum["reply"]]


def test_queries_keep_at_most_a_few_words_and_characters():
    assert len(search_terms("word " * 1000)) == 1
    assert len(search_terms(" ".join(f"w{n}" for n in range(100)))) == MAX_TERMS
    assert sum(len(term) for term in search_terms("x" * 10_000)) == MAX_QUERY_CHARS
    assert search_terms('NEAR("a" b)*') == ["near", "a", "b"]


def test_odd_filters_never_cause_an_error(forum, lurker):
    for value in ("\x00", "x" * 5000, "🙂", "'; --", "%", "../etc"):
        assert "No results" in search(lurker, "harbour", board=value)
        assert "No results" in search(lurker, "harbour", author=value)


@pytest.fixture
def searchable(forum, lurker):
    """A lurker's client on a forum with something to find."""
    return lurker


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text())
def test_any_text_typed_into_search_answers_calmly(searchable, query):
    response = searchable.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_the_big_list_of_naughty_strings_never_breaks_search(forum, lurker):
    if not BLNS.is_file():
        pytest.skip(f"the naughty-strings corpus is not at {BLNS}")
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    for naughty in strings:
        for asked in ({"q": naughty}, {"q": "harbour", "board": naughty, "author": naughty}):
            response = lurker.get("/search", query_string=asked)
            assert response.status_code == 200, asked


# The index itself


def test_search_rebuild_restores_a_wiped_index(app, forum, lurker, login_as, runner):
    moderate(login_as, forum["anonymous"], "hide")
    with app.app_context():
        clear_index()
        db.session.commit()
    assert found_ids(lurker, "fog") == []

    result = runner.invoke(args=["search", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "2 post(s) indexed" in result.output
    assert found_ids(lurker, "fog") == [forum["reply"]]
    assert indexed_ids(app) == {forum["opening"], forum["reply"]}


def test_the_index_changes_in_the_same_transaction_as_the_post(app, forum):
    def finds(word):
        return [result.post_id for result in search_posts([word], None).results]

    with app.test_request_context():
        edit_post(db.session.get(Post, forum["reply"]), "Only gulls now.")
        db.session.flush()
        assert finds("gulls") == [forum["reply"]] and finds("fog") == []
        db.session.rollback()
        # The edit was rolled back, and the index with it.
        assert finds("fog") == [forum["reply"]] and finds("gulls") == []


# Pages and privacy


def test_a_page_of_results_costs_the_same_queries_for_two_results_or_twenty(
    app, lurker, count_queries
):
    with app.app_context():
        writers = [make_member(f"writer_{n}") for n in range(6)]
        thread = make_thread(writers[0], title="Pebbles", body="A pebble.")
        make_reply(writers[1], thread, "Pebble two.", anonymous=True)

    with count_queries() as few:
        search(lurker, "pebble")
    with app.app_context():
        writers = db.session.execute(select(Member)).scalars().all()
        for number in range(30):
            author = writers[number % len(writers)]
            other = make_thread(author, title=f"Stones {number}", body="A pebble.", slug="anxiety")
            make_reply(writers[(number + 1) % len(writers)], other, "Pebble.", anonymous=True)
    with count_queries() as many:
        assert len(found_ids(lurker, "pebble")) == 20

    assert many.count == few.count


def test_the_header_has_a_labelled_search_form_that_works_without_javascript(forum, lurker):
    page = lurker.get("/").get_data(as_text=True)
    form = re.search(r'<form[^>]*role="search"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'method="get"' in form and 'action="/search"' in form
    assert '<label for="header-search"' in form and 'id="header-search" name="q"' in form


def test_the_search_page_is_not_cached_and_sends_no_referrer(forum, lurker):
    response = lurker.get("/search?q=fog")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "fog" not in re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)


def test_the_request_log_never_holds_what_was_searched(app, caplog):
    from werkzeug.serving import make_server

    caplog.set_level(logging.DEBUG, logger="werkzeug")
    caplog.set_level(logging.DEBUG, logger=app.logger.name)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, name="search-log", daemon=True)
    serving.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for path in ("/search?q=overdose", "/search?q=overdose&board=depression&page=2"):
            with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
        serving.join(timeout=5)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /search HTTP/1.1" in logged  # the request itself is logged
    assert "overdose" not in logged
    assert "q=" not in logged
