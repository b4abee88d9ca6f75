"""A cache of the pages lurkers see, keyed by a site-wide content version.

What a reader without an account sees depends only on the data, so the rendered page can be
kept and served again until something public changes. Every commit that changes public
content (posts, threads, boards, aliases, reactions, crisis resources, a member's handle or
account) bumps one version number in the database, in the same transaction; cached pages of
an older version are never served. Pages are only stored and served for requests with no
logged-in member and no flashed message, and only when the response sets no cookie, so a
page made for one person can never reach another. Pages carry an ETag; a matching
If-None-Match gets a 304. A permalink's redirect (``/p/<id>`` to the page of its thread that
holds the post) is kept the same way: where a post sits moves only with a public change.
Pages are kept per language: the key holds the language the request resolves to
(forum.i18n: the language cookie, else Accept-Language), responses say ``Vary:
Accept-Language, Cookie``, and a lurker who switched language (a ``lang`` cookie and nothing
else) is served from the cache like any other.

Storage is each process's memory (a small LRU), or Redis when FORUM_REDIS_URL is set so
every worker and server shares it.

It is declarative: a view says its page may be served to lurkers from the cache with
``@lurker_cacheable`` beside its route; a model says its rows are public by inheriting
``forum.models.base.PublicContent`` (or listing ``public_fields``); ``init_app`` registers the
listeners on the app's session; ``cache_key`` is the one key. Nothing else needs to know.

One site-wide version, on purpose. Index and board pages show the latest post of every board
and thread, profiles show posts across threads, and feeds span boards: with per-thread or
per-board versions, every write would have to know every page its change appears on, and a
forgotten dependency is a stale (or leaking) page. A single number cannot be forgotten. The
price is that any public write re-renders every cached page once; the speed issue measures
whether per-thread versions are worth that risk.

Members' pages have a second, finer layer: shared fragments (``shared_fragment``), today the
post cards of a thread page (forum/threads/cards.py). A fragment is keyed by everything it
shows, as the reader may see it (the post's view for that reader, the ago words, the mount
point and language), not by a version: a changed post is a new key and the old entry simply
ages out of a bounded LRU, so this layer needs no invalidation at all and cannot be stale,
and two readers share an entry only when their views of the post are equal. That is why it
does not use the site-wide version either: a reply elsewhere leaves every other card valid,
which is what keeps members' pages fast while others post. Forms in a fragment hold
``CSRF_PLACEHOLDER``; ``with_csrf_tokens`` puts the reader's own token in.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Request

from forum.extensions import db
from forum.i18n import (
    accept_of,
    choose_language,
    language_cookie_name,
    offered_languages,
    resolve_language,
)
from forum.models import SiteVersion
from forum.models.base import PublicContent
from forum.security import add_protective_headers

LOCAL_ENTRIES = 512
# The lurkers' pages a process keeps in memory, by size: 512 thread pages of 50 posts would
# be ~40 MiB per worker, so the bytes are bounded too (whichever limit comes first).
LOCAL_BYTES = 16 * 1024 * 1024
# Shared fragments (rendered post cards) a process keeps, by size.
FRAGMENT_BYTES = 8 * 1024 * 1024


def lurker_cacheable(view):
    """Mark a view whose page lurkers may be served from the cache: what it shows a reader
    without an account depends on public data only, never on who asks."""
    view.lurker_cacheable = True
    return view


def cacheable_endpoints(app) -> frozenset[str]:
    """The endpoints of the views marked ``@lurker_cacheable``."""
    return frozenset(
        name
        for name, view in app.view_functions.items()
        if getattr(view, "lurker_cacheable", False)
    )


def cache_key(version: int, language: str, full_path: str) -> str:
    """The one key of a cached page: the content version, the page's language
    (forum.i18n.resolve_language) and the path with its query."""
    return f"v{version}:{language}:{full_path}"


class LocalStore:
    """A bounded, thread-safe in-process LRU of (version, key) -> (etag, body, mimetype,
    location); ``location`` is "" for a page, the target of a stored redirect otherwise.

    Bounded by entries and by bytes (``weigh`` says what an entry costs), so a worker's memory
    stays put however large the pages are."""

    def __init__(self, size: int = LOCAL_ENTRIES, budget: int = LOCAL_BYTES, weigh=None):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()
        self.budget, self.used, self.weigh = budget, 0, weigh or _page_weight

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key, value):
        weight = self.weigh(key, value)
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.used -= self.weigh(key, old)
            self.items[key] = value
            self.used += weight
            while self.items and (len(self.items) > self.size or self.used > self.budget):
                old_key, old_value = self.items.popitem(last=False)
                self.used -= self.weigh(old_key, old_value)


def _page_weight(key, value) -> int:
    return len(key) + len(value[1]) + len(value[3]) + 200


class RedisStore:
    """Pages shared by every worker and server (expire after an hour unread)."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client, self.prefix = redis.Redis.from_url(url), prefix

    def get(self, key):
        raw = self.client.hgetall(self.prefix + key)
        if not raw:
            return None
        location = raw.get(b"location", b"").decode()
        return raw[b"etag"].decode(), raw[b"body"], raw[b"mimetype"].decode(), location

    def set(self, key, value):
        etag, body, mimetype, location = value
        name = self.prefix + key
        mapping = {"etag": etag, "body": body, "mimetype": mimetype, "location": location}
        self.client.hset(name, mapping=mapping)
        self.client.expire(name, 3600)


# Shared fragments -------------------------------------------------------------------------
# A form inside a shared fragment carries this in place of the reader's CSRF token; each page
# puts its own reader's token back (``with_csrf_tokens``). Random per process, so no text
# anyone writes can contain it.
CSRF_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)


def fragment_context() -> tuple:
    """What every fragment's HTML depends on besides its own key: where the app is mounted
    (links) and, once pages are translated, the reader's language."""
    locale = ""
    if "babel" in current_app.extensions:
        from flask_babel import get_locale

        locale = str(get_locale() or "")
    return (request.script_root, locale)


def shared_fragment(key: tuple, render) -> str:
    """The HTML that ``render()`` makes, kept under ``key`` and reused for every reader.

    ``key`` must hold everything the HTML shows (it is content-addressed: a change to any of
    it is a different key, so an entry cannot go stale and needs no invalidation). Forms in
    it get ``CSRF_PLACEHOLDER`` instead of a token: pass the page through
    ``with_csrf_tokens``."""
    if not current_app.config.get("FORUM_FRAGMENT_CACHE"):
        return _render_shared(render)
    store = current_app.extensions["fragment_cache"]
    html = store.get(key)
    if html is None:
        html = _render_shared(render)
        store.set(key, html)
    return html


def _render_shared(render) -> str:
    g.rendering_shared_fragment = True
    try:
        return str(render())
    finally:
        g.rendering_shared_fragment = False


def with_csrf_tokens(html: str) -> Markup:
    """``html`` made of shared fragments, with this reader's CSRF token in its forms (a page
    without forms asks for no token, so a lurker's page still sets no cookie)."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 (rendered by Jinja, already escaped)


def _csrf_token_in_templates(real):
    def csrf_token():
        if g.get("rendering_shared_fragment"):
            return CSRF_PLACEHOLDER
        return real()

    return csrf_token


def _fragment_weight(key, html) -> int:
    # The key holds the content the HTML was made from (about as large as the HTML).
    return 2 * len(html) + 300


VERSION_QUERY = text("SELECT version FROM site_version WHERE id = 1")
VERSION_ENVIRON_KEY = "forum.site_version"


def current_version() -> int | None:
    """The content version, or None when its row is missing (then nothing is cached)."""
    return db.session.execute(VERSION_QUERY).scalar()


def _is_lurker_request() -> bool:
    return (
        request.method == "GET"
        and request.endpoint in current_app.extensions["page_cache_endpoints"]
        and not getattr(current_user, "is_authenticated", False)
        and not session.get("_flashes")
    )


def serve_from_cache():
    """before_request: answer a lurker's page from the cache when it is current."""
    if not current_app.config.get("FORUM_PAGE_CACHE") or not _is_lurker_request():
        return None
    # The fast lane already read the version for this request on a miss: don't ask twice.
    version = request.environ.get(VERSION_ENVIRON_KEY) or current_version()
    if version is None:
        return None
    key = cache_key(version, choose_language(), request.full_path)
    hit = current_app.extensions["page_cache"].get(key)
    if hit is None:
        g.page_cache_key = key  # after_request stores the page it renders
        return None
    return cached_response(current_app, hit, request)


def cached_response(app, hit, page_request):
    """The response for a stored entry: the page (with its ETag, or a 304), or the redirect."""
    etag, body, mimetype, location = hit
    if location:
        response = app.response_class(body, status=302, mimetype=mimetype)
        response.headers["Location"] = location
        response.headers["X-Page-Cache"] = "hit"
        return response
    response = app.response_class(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["X-Page-Cache"] = "hit"
    return response.make_conditional(page_request)


def store_in_cache(response):
    """after_request: keep a lurker's page (a 200, or a permalink's 302; no cookie set), and
    answer 304s."""
    key = g.pop("page_cache_key", None)
    if key is None or response.direct_passthrough:
        return response
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if response.status_code != 200 and not location:
        return response
    if "Set-Cookie" in response.headers or session.modified or session.get("_flashes"):
        return response
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    current_app.extensions["page_cache"].set(key, (etag, body, response.mimetype, location))
    response.headers["X-Page-Cache"] = "miss"
    if location:
        return response
    response.set_etag(etag)
    return response.make_conditional(request)


def _changes_public_content(session_) -> bool:
    for instance in (*session_.new, *session_.dirty, *session_.deleted):
        if isinstance(instance, PublicContent):
            return True
        fields = getattr(type(instance), "public_fields", ())
        if fields and instance in session_.dirty:
            state = inspect(instance)
            if any(state.attrs[field].history.has_changes() for field in fields):
                return True
        elif fields:
            return True
    return False


def _is_public_model(cls) -> bool:
    return issubclass(cls, PublicContent) or bool(getattr(cls, "public_fields", ()))


def _note_public_changes(session_, flush_context, instances):
    """before_flush: remember that this transaction changes something lurkers see."""
    if _changes_public_content(session_):
        session_.info["public_content_changed"] = True


def _note_bulk_changes(state):
    """do_orm_execute: bulk UPDATE/DELETE statements on public tables (account deletion,
    counters) bypass the flush."""
    if (
        (state.is_update or state.is_delete)
        and state.bind_mapper is not None
        and _is_public_model(state.bind_mapper.class_)
    ):
        state.session.info["public_content_changed"] = True


def _bump_version(session_):
    """before_commit: bump the content version in the committing transaction when it changed
    anything public.

    The commit's own final flush runs *after* this hook: flush first, so changes still
    pending (often the last ones a request made) pass through ``before_flush`` and count.
    """
    session_.flush()
    if session_.info.pop("public_content_changed", False):
        bumped = session_.execute(
            update(SiteVersion).where(SiteVersion.id == 1).values(version=SiteVersion.version + 1)
        )
        if bumped.rowcount == 0:  # the row went missing: start counting again
            session_.execute(insert(SiteVersion).values(id=1, version=1))


LISTENERS = (
    ("before_flush", _note_public_changes),
    ("do_orm_execute", _note_bulk_changes),
    ("before_commit", _bump_version),
)


class LurkerFastLane:
    """WSGI middleware: answer a GET of a cached page without cookies (but the language
    one) before Flask sees it.

    A request without any cookie but the language one cannot belong to a logged-in member (no
    session, no remember cookie) and cannot carry a flashed message, so the stored page (in the
    language that cookie or Accept-Language resolves to) is exactly what Flask would answer;
    skipping the request context, Flask-Login and the ORM session makes a hit cost one small
    query (the content version). Anything else (a cookie, a miss, another method, an
    unknown URL) goes on to Flask unchanged, where ``serve_from_cache`` and ``store_in_cache``
    do the same job with the full request machinery.
    """

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app, self.engine = app, wsgi_app, None

    def __call__(self, environ, start_response):
        response = self.cached_response(environ)
        if response is None:
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)

    def cached_response(self, environ):
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        language = self.language(environ)
        if (
            language is None
            or not self.app.config.get("FORUM_PAGE_CACHE")
            or self.endpoint(environ) not in self.app.extensions["page_cache_endpoints"]
        ):
            return None
        try:
            version = self.version()
        except (OperationalError, InterfaceError):
            # The database is down: Flask answers, with its page for that (forum.faults).
            return None
        if version is None:
            return None
        page = Request(environ)
        hit = self.app.extensions["page_cache"].get(cache_key(version, language, page.full_path))
        if hit is None:
            # Flask renders the page; it stores it under this version without asking again.
            # Rendering reads data at least this new, so the stored page is never stale.
            environ[VERSION_ENVIRON_KEY] = version
            return None
        response = cached_response(self.app, hit, page)
        response.vary.update(("Accept-Language", "Cookie"))
        add_protective_headers(response.headers, self.app.config)
        return response

    def language(self, environ) -> str | None:
        """The page's language when the request carries no cookie but the language one (so it
        is no member's and holds no message), as forum.i18n would choose it; else None."""
        config = self.app.config
        cookies = parse_cookie(environ)
        language_cookie = language_cookie_name(config)
        if any(name != language_cookie for name in cookies):
            return None
        accept = accept_of(environ.get("HTTP_ACCEPT_LANGUAGE"))
        return resolve_language(
            offered_languages(config), None, cookies.get(language_cookie), accept
        )

    def endpoint(self, environ) -> str | None:
        try:
            adapter = self.app.url_map.bind_to_environ(
                environ, server_name=self.app.config.get("SERVER_NAME")
            )
            return adapter.match()[0]
        except HTTPException:  # not found, redirect, wrong method: Flask answers those
            return None

    def version(self) -> int | None:
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
        with self.engine.connect() as connection:
            return connection.execute(VERSION_QUERY).scalar()


def init_app(app) -> None:
    """Set up the cache for ``app``: after its blueprints, so the marked views are known."""
    app.config.setdefault("FORUM_PAGE_CACHE", True)
    app.extensions["page_cache_endpoints"] = cacheable_endpoints(app)
    for name, listener in LISTENERS:
        # One session registry serves every app made in this process (tests make many).
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    redis_url = app.config.get("FORUM_REDIS_URL")
    prefix = app.config.get("RATELIMIT_KEY_PREFIX", "forum") + ":page:"
    app.extensions["page_cache"] = RedisStore(redis_url, prefix) if redis_url else LocalStore()
    app.config.setdefault("FORUM_FRAGMENT_CACHE", True)
    app.extensions["fragment_cache"] = LocalStore(
        size=1_000_000, budget=FRAGMENT_BYTES, weigh=_fragment_weight
    )
    real_csrf_token = app.jinja_env.globals.get("csrf_token", generate_csrf)
    app.jinja_env.globals["csrf_token"] = _csrf_token_in_templates(real_csrf_token)
    app.before_request(serve_from_cache)
    app.after_request(store_in_cache)
    app.wsgi_app = LurkerFastLane(app, app.wsgi_app)
