"""Bounded ranking: a search ranks only the newest matches the index hands it, so its cost
stays flat however many posts hold a word, and the page says when older posts were left out.
"""

import json

import pytest
from sqlalchemy import event, text

from forum.extensions import db
from forum.search.queries import search_posts
from tests.conftest import POSTGRES_URL
from tests.factories import make_member, make_reply, make_thread
from tests.test_search import found_ids, search

BOUND = 5
LIMITED = "only the 5 most recent posts with these words are looked at"


@pytest.fixture
def otters(app):
    """An old, excellent match for "otters" (its title and body), then seven newer weak ones."""
    with app.app_context():
        river = make_member("river_stone")
        best = make_thread(river, title="Otters", body="Otters, otters, otters.")
        thread = make_thread(river, title="A long day", body="Nothing to see here.")
        weak = [
            make_reply(river, thread, f"A long walk by the river; I saw an otters sign ({n}).").id
            for n in range(7)
        ]
        return {"best": best.first_post_id, "weak": weak}


def test_with_the_default_bound_the_best_match_comes_first(otters, lurker):
    found = found_ids(lurker, "otters")
    assert found[0] == otters["best"]
    assert len(found) == 8
    assert "most recent posts with these words" not in search(lurker, "otters")


def test_only_the_newest_matches_are_ranked_and_the_page_says_so(app, otters, lurker):
    app.config["FORUM_SEARCH_CANDIDATES"] = BOUND
    found = found_ids(lurker, "otters")
    # The five newest posts holding the word, and not the older, better match.
    assert sorted(found) == sorted(otters["weak"][-BOUND:])
    assert otters["best"] not in found
    page = search(lurker, "otters")
    # Said before the results, where a reader sees it without scrolling past them.
    assert LIMITED in page
    assert page.index(LIMITED) < page.index('class="thread-list search-results"')
    assert 'rel="next"' not in page
    beyond = search(lurker, "otters", page=2)
    assert "There are no more results" in beyond and LIMITED in beyond


def test_a_search_under_the_bound_says_nothing_about_limits(app, otters, lurker):
    app.config["FORUM_SEARCH_CANDIDATES"] = BOUND
    assert found_ids(lurker, "nothing") == [otters["best"] + 1]
    assert "most recent posts" not in search(lurker, "nothing")


def test_a_filter_that_leaves_nothing_among_the_newest_still_says_why(app, otters, lurker):
    app.config["FORUM_SEARCH_CANDIDATES"] = BOUND
    page = search(lurker, "otters", author="nobody_here")
    assert "No results for “otters”" in page
    assert LIMITED in page


def test_hidden_posts_among_the_candidates_are_still_never_shown(app, otters, lurker, login_as):
    make_member_moderator(app)
    app.config["FORUM_SEARCH_CANDIDATES"] = BOUND
    newest = otters["weak"][-1]
    response = login_as("keeper").post(f"/mod/posts/{newest}/hide", data={"reason": "Not here"})
    assert response.status_code in (302, 303)
    found = found_ids(lurker, "otters")
    assert newest not in found
    assert set(found) <= set(otters["weak"])


def make_member_moderator(app):
    with app.app_context():
        make_member("keeper", role="moderator")


# The work itself: counted, not timed.


def many_matches(app, count: int) -> None:
    with app.app_context():
        writer = make_member(f"writer_{count}")
        thread = make_thread(writer, title="Counting", body="Counting otters.")
        for number in range(count):
            make_reply(writer, thread, f"Otters again, number {number}.")


def sqlite_steps(app, terms: list[str]) -> int:
    """Virtual-machine steps SQLite takes for one search: a count of the rows it reads,
    joins, scores and sorts."""
    with app.test_request_context():
        raw = db.session.connection().connection.dbapi_connection
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        raw.set_progress_handler(count, 1)
        try:
            search_posts(terms, None)
        finally:
            raw.set_progress_handler(None, 1)
        return steps[0]


def postgres_rows_ranked(app, terms: list[str]) -> int:
    """Rows that reach the sort by ts_rank, from the plan of the search as it ran."""
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "ts_rank" in statement:
            statements.append((statement, parameters))

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            search_posts(terms, None)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        statement, parameters = statements[0]
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + statement, parameters)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    ranked = [node for node in walk(plan[0]["Plan"]) if "ts_rank" in str(node.get("Sort Key"))]
    assert ranked, "the plan sorts by ts_rank"
    return sum(
        child["Actual Rows"] * child["Actual Loops"]
        for node in ranked
        for child in node.get("Plans", [])
    )


def walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def test_ranking_work_stays_flat_when_ten_times_more_posts_match(app):
    app.config["FORUM_SEARCH_CANDIDATES"] = 10
    many_matches(app, 30)
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        assert postgres_rows_ranked(app, ["otters"]) <= 10
        many_matches(app, 270)
        assert postgres_rows_ranked(app, ["otters"]) <= 10
        # The same count without a bound sees every match: it measures what it claims.
        app.config["FORUM_SEARCH_CANDIDATES"] = 100_000
        assert postgres_rows_ranked(app, ["otters"]) == 302
        return
    few = sqlite_steps(app, ["otters"])
    many_matches(app, 270)
    many = sqlite_steps(app, ["otters"])
    assert many <= few * 1.1, (few, many)
    # Without a bound the same count grows with the matches: it measures what it claims.
    app.config["FORUM_SEARCH_CANDIDATES"] = 100_000
    assert sqlite_steps(app, ["otters"]) > many * 5


@pytest.mark.skipif(not POSTGRES_URL, reason="about PostgreSQL's plan cache")
def test_each_search_is_planned_for_its_own_words(app, otters):
    # A generic plan, kept once psycopg prepares the statement, would take the GIN bitmap
    # over every match of a common word.
    with app.test_request_context():
        search_posts(["otters"], None)
        mode = db.session.execute(text("SHOW plan_cache_mode")).scalar_one()
    assert mode == "force_custom_plan"
