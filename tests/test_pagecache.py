"""The lurkers' page cache: fast repeat views, never stale, never personal."""

from sqlalchemy import select

from forum.extensions import db
from forum.models import Thread
from tests.factories import make_member, make_reply, make_thread


def seed(app):
    with app.app_context():
        writer = make_member("writer_one")
        thread = make_thread(writer, title="Cached thread", body="First words")
        return thread.id


def test_a_repeat_view_is_served_from_the_cache_in_one_query(app, lurker, count_queries):
    thread_id = seed(app)
    first = lurker.get(f"/t/{thread_id}")
    assert first.headers["X-Page-Cache"] == "miss"
    assert "Set-Cookie" not in first.headers
    with count_queries() as counter:
        second = lurker.get(f"/t/{thread_id}")
    assert second.headers["X-Page-Cache"] == "hit"
    assert counter.count == 1  # the version check
    assert second.get_data() == first.get_data()


def test_any_public_change_shows_at_once(app, lurker, login_as):
    thread_id = seed(app)
    lurker.get(f"/t/{thread_id}")
    login_as("writer_one").post(f"/t/{thread_id}/reply", data={"body": "A fresh reply"})
    assert "A fresh reply" in lurker.get(f"/t/{thread_id}").get_data(as_text=True)
    with app.app_context():
        make_member("supporter")
    lurker.get(f"/t/{thread_id}")
    with app.app_context():
        opening = db.session.get(Thread, thread_id).first_post_id
    login_as("supporter").post(f"/p/{opening}/react", data={"kind": "support"})
    assert "Sending support · 1" in lurker.get(f"/t/{thread_id}").get_data(as_text=True)


def test_a_moderators_hide_shows_at_once(app, lurker, login_as):
    thread_id = seed(app)
    with app.app_context():
        make_member("keeper", role="moderator")
        post = make_reply(make_member("harsh"), db.session.get(Thread, thread_id), "Cruel words")
        post_id = post.id
    assert "Cruel words" in lurker.get(f"/t/{thread_id}").get_data(as_text=True)
    login_as("keeper").post(f"/mod/posts/{post_id}/hide", data={"reason": "Unkind"})
    assert "Cruel words" not in lurker.get(f"/t/{thread_id}").get_data(as_text=True)


def test_member_pages_are_never_cached_or_served_to_lurkers(app, lurker, login_as):
    thread_id = seed(app)
    member = login_as("writer_one")
    page = member.get(f"/t/{thread_id}")
    assert "X-Page-Cache" not in page.headers
    assert "Log out" in page.get_data(as_text=True)
    lurker_page = lurker.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "Log out" not in lurker_page and "writer_one</a></li>" not in lurker_page
    assert "X-Page-Cache" not in member.get(f"/t/{thread_id}").headers


def test_flash_messages_are_never_cached(app, lurker):
    seed(app)
    lurker.get("/b/depression")  # cached
    redirected = lurker.get("/b/depression/new", follow_redirects=True)  # flashes "log in"
    assert "Please log in" in redirected.get_data(as_text=True)
    again = lurker.get("/b/depression").get_data(as_text=True)
    assert "Please log in" not in again


def test_etags_give_304s(app, lurker):
    thread_id = seed(app)
    etag = lurker.get(f"/t/{thread_id}").headers["ETag"]
    repeat = lurker.get(f"/t/{thread_id}", headers={"If-None-Match": etag})
    assert repeat.status_code == 304 and repeat.get_data() == b""


def test_the_version_moves_only_for_public_changes(app, login_as):
    thread_id = seed(app)
    from forum.pagecache import current_version

    with app.app_context():
        before = current_version()
    member = login_as("writer_one")
    member.get(f"/t/{thread_id}")  # read marks and a login: private, no bump
    member.post("/notifications/read-all")
    with app.app_context():
        assert current_version() == before
    member.post(f"/t/{thread_id}/reply", data={"body": "public"})
    with app.app_context():
        assert current_version() > before
        assert db.session.execute(select(Thread.reply_count)).scalar() == 1


def test_with_redis_every_worker_shares_the_cache(app, app_config):
    """Two app instances (two workers) on one Redis: a page one rendered, the other serves."""
    import uuid

    from forum import create_app
    from tests.test_ratelimits import redis_is_up

    if not redis_is_up():
        import pytest

        pytest.skip("no Redis on 127.0.0.1:6379")
    thread_id = seed(app)
    shared = {
        **app_config,
        "FORUM_REDIS_URL": "redis://127.0.0.1:6379/11",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    first, second = create_app(shared), create_app(shared)
    assert first.test_client().get(f"/t/{thread_id}").headers["X-Page-Cache"] == "miss"
    assert second.test_client().get(f"/t/{thread_id}").headers["X-Page-Cache"] == "hit"
    for instance in (first, second):
        with instance.app_context():
            db.engine.dispose()


def test_with_csrf_on_lurker_pages_set_no_cookie_and_are_cached(app):
    """Production has CSRF on: a lurker's page must not create a session (and so a cookie)."""
    thread_id = seed(app)
    app.config["WTF_CSRF_ENABLED"] = True
    lurker = app.test_client()
    for url in ("/", "/b/depression", f"/t/{thread_id}", "/u/writer_one", "/feed.atom"):
        first = lurker.get(url)
        assert "Set-Cookie" not in first.headers, url
        assert lurker.get(url).headers["X-Page-Cache"] == "hit", url


def test_a_cookieless_hit_is_answered_before_flask_with_every_header(app, lurker):
    """The fast lane (``LurkerFastLane``) serves the same page and headers without running the
    app's request hooks; a request carrying any cookie goes through Flask as before."""
    from flask import request_started

    hooks_run = []
    request_started.connect(lambda sender, **extra: hooks_run.append(1), app, weak=False)
    thread_id = seed(app)
    first = lurker.get(f"/t/{thread_id}")
    assert first.headers["X-Page-Cache"] == "miss" and len(hooks_run) == 1
    second = lurker.get(f"/t/{thread_id}")
    assert second.headers["X-Page-Cache"] == "hit" and len(hooks_run) == 1
    assert second.get_data() == first.get_data()
    assert "First words" in second.get_data(as_text=True)
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "ETag",
        "Content-Type",
    ):
        assert second.headers[header] == first.headers[header], header
    assert "Cookie" in second.headers["Vary"]
    conditional = lurker.get(f"/t/{thread_id}", headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304 and len(hooks_run) == 1

    with_cookie = app.test_client()
    with_cookie.set_cookie("unrelated", "1")
    through_flask = with_cookie.get(f"/t/{thread_id}")
    assert through_flask.headers["X-Page-Cache"] == "hit" and len(hooks_run) == 2
    assert through_flask.get_data() == first.get_data()


def test_a_permalinks_redirect_is_cached_and_moves_when_a_reply_lands_before_it(
    app, lurker, login_as, monkeypatch
):
    """/p/<id> goes to the page of the thread holding the post. Lurkers get it from the
    cache; a reply placed above the post (an answer to an earlier one) moves the post to the
    next page, and the very next redirect says so."""
    monkeypatch.setattr("forum.threads.queries.POSTS_PER_PAGE", 3)
    thread_id = seed(app)
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        early = make_reply(make_member("early_bird"), thread, "An early reply")
        late = make_reply(make_member("late_owl"), thread, "A late reply")
        early_id, late_id = early.id, late.id
    first = lurker.get(f"/p/{late_id}")
    assert first.status_code == 302 and first.headers["X-Page-Cache"] == "miss"
    assert first.headers["Location"] == f"/t/{thread_id}/cached-thread?page=1#p{late_id}"
    second = lurker.get(f"/p/{late_id}")
    assert second.status_code == 302 and second.headers["X-Page-Cache"] == "hit"
    assert second.headers["Location"] == first.headers["Location"]
    assert "Content-Security-Policy" in second.headers
    member = login_as("writer_one")
    assert "X-Page-Cache" not in member.get(f"/p/{late_id}").headers  # never for members
    member.post(
        f"/t/{thread_id}/reply", data={"body": "Answering the early one", "parent_id": early_id}
    )
    moved = lurker.get(f"/p/{late_id}")
    assert moved.headers["X-Page-Cache"] == "miss"
    assert moved.headers["Location"] == f"/t/{thread_id}/cached-thread?page=2#p{late_id}"
    page = lurker.get(moved.headers["Location"]).get_data(as_text=True)
    assert "A late reply" in page


def test_the_models_marked_public_are_the_ones_lurkers_read():
    """A model's changes bump the cache only when it says it is public: a new model shown on
    a lurker's page must inherit PublicContent (and the differential test would catch it)."""
    from forum.models import Member
    from forum.models.base import PublicContent

    public = {cls.__name__ for cls in PublicContent.__subclasses__()}
    assert public == {"Board", "Thread", "ThreadAlias", "Post", "Reaction", "CrisisResource"}
    assert Member.public_fields == ("handle", "deleted_at")


def test_only_the_views_marked_cacheable_are_cached(app):
    cached = app.extensions["page_cache_endpoints"]
    assert "threads.show" in cached and "feeds.site" in cached
    assert not {"notify.notifications", "care.settings", "search.search"} & cached


def test_the_in_process_page_store_is_bounded_by_bytes_as_well_as_entries():
    """Large pages cannot grow a worker without bound: the oldest go first, the newest stay."""
    from forum.pagecache import LocalStore

    store = LocalStore(size=100, budget=10_000)
    for number in range(20):
        store.set(f"v1:/t/{number}", ("etag", b"x" * 1_000, "text/html", ""))
    assert store.used <= 10_000
    assert store.get("v1:/t/0") is None
    assert store.get("v1:/t/19") is not None
    store.set("v1:/t/19", ("etag", b"y" * 500, "text/html", ""))  # replaced, not counted twice
    assert store.used == sum(1_000 + len(key) + 200 for key in store.items) - 500
