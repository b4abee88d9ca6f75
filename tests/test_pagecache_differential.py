"""The lurkers' page cache is never stale, checked by a differential oracle.

Two forums share one database: one serves lurkers from the page cache, its twin has the cache
off (``FORUM_PAGE_CACHE=off``). Before each public write every lurker page is read from the
cached one (so the cache holds it), then the write is made, then every lurker page must be
the same from both. A write that changes a page without bumping the content version, however
and whenever its change is flushed, shows up as a difference.
"""

import re
from datetime import date

import pytest
from sqlalchemy import select, update

from forum import create_app
from forum.extensions import db
from forum.models import Appeal, Board, CrisisResource, ModerationEvent, Post
from tests.factories import PASSWORD, make_member, make_reply, make_thread


@pytest.fixture
def twins(app, app_config):
    """(cached client maker, uncached lurker client) on the same database."""
    uncached = create_app({**app_config, "FORUM_PAGE_CACHE": False})
    yield uncached
    with uncached.app_context():
        db.session.remove()
        db.engine.dispose()


class Walk:
    def __init__(self, app, uncached):
        self.app, self.uncached = app, uncached
        self.cached_lurker = app.test_client()
        self.fresh_lurker = uncached.test_client()
        self.people = {}
        self.ids = {}
        self.writes = 0
        self.hits = 0  # pages the cached twin answered from its cache

    def as_(self, handle):
        if handle not in self.people:
            client = self.app.test_client()
            response = client.post("/login", data={"handle": handle, "password": PASSWORD})
            assert response.status_code == 302, handle
            self.people[handle] = client
        return self.people[handle]

    def paths(self) -> list[str]:
        with self.app.app_context():
            slugs = list(db.session.execute(select(Board.slug)).scalars())
            posts = list(db.session.execute(select(Post.id)).scalars())
        ids = self.ids
        return [
            "/",
            *(f"/b/{slug}" for slug in slugs),
            *(f"/b/{slug}/feed.atom" for slug in slugs),
            *(f"/t/{thread}" for thread in ids.get("threads", [])),
            *(f"/t/{thread}/feed.atom" for thread in ids.get("threads", [])),
            *(f"/p/{post}" for post in posts),
            "/u/ann",
            "/u/bob",
            "/u/cyd",
            "/feed.atom",
            "/crisis",
            "/guidelines",
        ]

    def warm(self):
        for path in self.paths():
            self.cached_lurker.get(path)

    def compare(self, label: str):
        for path in self.paths():
            cached = self.cached_lurker.get(path)
            fresh = self.fresh_lurker.get(path)
            self.hits += cached.headers.get("X-Page-Cache") == "hit"
            assert (cached.status_code, cached.headers.get("Location")) == (
                fresh.status_code,
                fresh.headers.get("Location"),
            ), f"after {label}: {path}"
            if normalise(cached) != normalise(fresh):
                pytest.fail(f"after {label}: {path} is stale from the cache")

    def write(self, label: str, who: str, path: str, data=None, expect=(302, 200)):
        self.warm()
        response = self.as_(who).post(path, data=data or {})
        assert response.status_code in expect, f"{label}: {response.status_code}"
        self.writes += 1
        self.compare(label)
        return response


def normalise(response) -> str:
    """``ago`` words are frozen in a cached page by design; the times themselves are not."""
    return re.sub(r"(<time [^>]*>)[^<]*(</time>)", r"\1\2", response.get_data(as_text=True))


def test_every_public_write_reaches_lurkers_at_once(app, twins):
    with app.app_context():
        ann, bob, cyd = (make_member(handle) for handle in ("ann", "bob", "cyd"))
        for handle in ("dot", "eve", "fay"):
            make_member(handle)
        make_member("keeper", role="moderator")
        make_member("warden", role="moderator")
        make_member("alder", role="admin")
        thread = make_thread(ann, title="Evenings", body="How do you get through?")
        make_reply(bob, thread, "Tea helps.")
        db.session.execute(update(Board).filter_by(slug="trauma").values(moderation_mode="pre"))
        db.session.commit()
        walk_ids = {"threads": [thread.id], "opening": thread.first_post_id}
    walk = Walk(app, twins)
    walk.ids.update(walk_ids)
    thread_id, opening = walk_ids["threads"][0], walk_ids["opening"]

    walk.write("a new thread", "cyd", "/b/depression/new", {"title": "Mornings", "body": "Hard."})
    with app.app_context():
        newest = db.session.execute(select(Post).order_by(Post.id.desc())).scalars().first()
        walk.ids["threads"].append(newest.thread_id)
    walk.write("a reply", "bob", f"/t/{thread_id}/reply", {"body": "Me too.", "parent_id": opening})
    walk.write(
        "an anonymous reply", "cyd", f"/t/{thread_id}/reply", {"body": "Quiet", "anonymous": "y"}
    )
    reply_id = latest_post_id(app)
    walk.write("an edit", "cyd", f"/p/{reply_id}/edit", {"body": "Quiet, edited"})
    walk.write("a reaction", "bob", f"/p/{reply_id}/react", {"kind": "support"})
    walk.write("a delete", "cyd", f"/p/{reply_id}/delete")
    target = post_by(app, "Tea helps.")
    for reporter in ("dot", "eve", "fay"):
        walk.write(f"a report by {reporter}", reporter, f"/p/{target}/report", {"reason": "spam"})
    walk.write("approve", "keeper", f"/mod/posts/{target}/approve")
    walk.write("hide", "keeper", f"/mod/posts/{target}/hide", {"reason": "Unkind"})
    with app.app_context():
        event_id = db.session.execute(
            select(ModerationEvent.id).filter_by(post_id=target, action="hide")
        ).scalar_one()
    walk.write("an appeal", "bob", f"/appeal/{event_id}", {"text": "Please look again"})
    with app.app_context():
        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    walk.write("appeal granted", "warden", f"/mod/appeals/{appeal_id}/grant", {"reason": "Fair"})
    walk.write("hide again", "keeper", f"/mod/posts/{target}/hide", {"reason": "Unkind"})
    walk.write("restore", "keeper", f"/mod/posts/{target}/restore")
    walk.write("remove", "keeper", f"/mod/posts/{target}/remove", {"reason": "Spam"})
    warning = {"content_warning": "self-harm", "reason": "Care"}
    walk.write("a warning", "keeper", f"/mod/posts/{opening}/warning", warning)
    for action in ("lock", "unlock", "pin", "unpin"):
        walk.write(action, "keeper", f"/mod/threads/{thread_id}/{action}")
    walk.write("move", "keeper", f"/mod/threads/{thread_id}/move", {"board": "anxiety"})
    # A held post on a pre-moderated board, approved.
    walk.write("a held thread", "bob", "/b/trauma/new", {"title": "Held", "body": "Waiting."})
    held = latest_post_id(app)
    with app.app_context():
        walk.ids["threads"].append(db.session.get(Post, held).thread_id)
    walk.write("held approved", "keeper", f"/mod/posts/{held}/approve")
    # Boards and crisis resources.
    board = {"slug": "sleep", "name": "Sleep", "description": "Nights", "moderation_mode": "post"}
    walk.write("a board added", "alder", "/admin/boards", board)
    walk.write("a board edited", "alder", "/admin/boards/sleep/edit", {**board, "name": "Rest"})
    walk.write("a board moved", "alder", "/admin/boards/sleep/move", {"direction": "up"})
    walk.write("a board archived", "alder", "/admin/boards/sleep/archive")
    walk.write("a board unarchived", "alder", "/admin/boards/sleep/unarchive")
    resource = {
        "name": "Night line",
        "how": "Call 0800 000 0000",
        "hours": "24 hours",
        "region": "GB",
        "url": "",
        "last_verified": date.today().isoformat(),
    }
    walk.write("a crisis resource added", "alder", "/admin/crisis", resource)
    with app.app_context():
        resource_id = db.session.execute(
            select(CrisisResource.id).filter_by(name="Night line")
        ).scalar_one()
    walk.write(
        "a crisis resource edited",
        "alder",
        f"/admin/crisis/{resource_id}/edit",
        {**resource, "name": "Evening line"},
    )
    walk.write("a crisis resource deleted", "alder", f"/admin/crisis/{resource_id}/delete")
    # Accounts deleted both ways.
    walk.write(
        "an account deleted, posts kept",
        "bob",
        "/settings/delete",
        {"password": PASSWORD, "posts": "keep"},
    )
    walk.write(
        "an account deleted, posts removed",
        "ann",
        "/settings/delete",
        {"password": PASSWORD, "posts": "remove"},
    )
    assert walk.writes >= 30
    assert walk.hits > 50, "the cached twin must really serve from its cache"


def latest_post_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).order_by(Post.id.desc())).scalars().first()


def post_by(app, body: str) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).filter_by(body_source=body)).scalar_one()


def member_page(client, path: str) -> str:
    """A member's page with its per-request parts (CSRF tokens, the reply form's one-time
    submission key, ``ago`` words) blanked."""
    text = normalise(client.get(path))
    return re.sub(r'(name="(?:csrf_token|submission_key)"[^>]*value=")[^"]*(")', r"\1\2", text)


def test_shared_post_cards_show_each_member_exactly_their_own_page(app, twins, app_config):
    """Thread pages with post cards shared between readers (the fragment cache) against a
    twin that renders every card afresh: after each write that changes a card, every member
    (author, reactor, blocker, moderator) and a lurker get the same page from both."""
    fresh_app = create_app({**app_config, "FORUM_PAGE_CACHE": False, "FORUM_FRAGMENT_CACHE": False})
    with app.app_context():
        ann, bob = make_member("ann"), make_member("bob")
        make_member("cyd")
        make_member("keeper", role="moderator")
        thread = make_thread(ann, title="Evenings", body="How do you get through?")
        reply = make_reply(bob, thread, "Tea helps.")
        anonymous = make_reply(ann, thread, "Quietly here.", anonymous=True)
        db.session.commit()
        thread_id, reply_id, anonymous_id = thread.id, reply.id, anonymous.id
    people = ("ann", "bob", "cyd", "keeper")
    shared = {handle: Walk(app, twins).as_(handle) for handle in people}
    fresh = {handle: Walk(fresh_app, twins).as_(handle) for handle in people}
    shared[None], fresh[None] = app.test_client(), fresh_app.test_client()
    paths = [f"/t/{thread_id}", f"/t/{thread_id}/evenings"]

    def check(label: str):
        for handle in (*people, None):
            for path in paths:
                cards_shared = member_page(shared[handle], path)
                assert cards_shared == member_page(fresh[handle], path), f"{label}: {handle}"

    writes = [
        ("a reaction", "cyd", f"/p/{reply_id}/react", {"kind": "support"}),
        ("another reaction", "ann", f"/p/{reply_id}/react", {"kind": "support"}),
        ("a reaction taken back", "cyd", f"/p/{reply_id}/react", {"kind": "support"}),
        ("an edit", "bob", f"/p/{reply_id}/edit", {"body": "Tea helps, and a walk."}),
        ("a block of an alias", "cyd", f"/p/{anonymous_id}/block", {}),
        ("a block of a member", "ann", f"/p/{reply_id}/block", {}),
        (
            "a warning",
            "keeper",
            f"/mod/posts/{reply_id}/warning",
            {"content_warning": "self-harm", "reason": "Care"},
        ),
        ("settings", "cyd", "/settings", {"open_content_warnings": "y"}),
        ("hide", "keeper", f"/mod/posts/{reply_id}/hide", {"reason": "Unkind"}),
        ("restore", "keeper", f"/mod/posts/{reply_id}/restore", {}),
        ("a delete", "bob", f"/p/{reply_id}/delete", {}),
    ]
    check("at first")
    for label, who, path, data in writes:
        check(f"before {label}")  # the shared twin holds every card now
        response = shared[who].post(path, data=data)
        assert response.status_code in (200, 302), f"{label}: {response.status_code}"
        shared[who].get("/guidelines")  # shows (and so clears) the write's flashed message
        check(f"after {label}")
    assert app.extensions["fragment_cache"].items, "the shared twin must really share cards"
    with fresh_app.app_context():
        db.session.remove()
        db.engine.dispose()
