"""Thin views for the Atom feeds: the site's newest threads, a board's, a thread's replies."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from forum.feeds import queries
from forum.feeds.atom import Feed, make_feed, reply_entry, thread_entry
from forum.lookups import get_board_or_404, get_thread_or_404
from forum.pagecache import lurker_cacheable
from forum.web import site_url_for

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml; charset=utf-8"
# Feeds are what a lurker sees, whoever asks: readers and caches may share them.
LURKER = AnonymousUserMixin()
CACHE_SECONDS = 300


@bp.get("/feed.atom")
@lurker_cacheable
def site():
    name = current_app.config["FORUM_NAME"]
    return atom_response(
        make_feed(
            _("%(site)s: newest threads", site=name),
            site_url_for("feeds.site"),
            site_url_for("boards.index"),
            [thread_entry(thread) for thread in queries.newest_threads()],
        )
    )


@bp.get("/b/<slug>/feed.atom")
@lurker_cacheable
def board(slug):
    board = get_board_or_404(slug)
    name = current_app.config["FORUM_NAME"]
    return atom_response(
        make_feed(
            _("%(board)s · %(site)s: newest threads", board=board.name, site=name),
            site_url_for("feeds.board", slug=board.slug),
            site_url_for("boards.show", slug=board.slug),
            [thread_entry(thread) for thread in queries.newest_board_threads(board)],
        )
    )


@bp.get("/t/<id:thread_id>/feed.atom")
@lurker_cacheable
def thread(thread_id):
    # Private threads and threads waiting for approval are a 404, as for any lurker.
    thread = get_thread_or_404(thread_id, LURKER)
    name = current_app.config["FORUM_NAME"]
    return atom_response(
        make_feed(
            _("Replies to “%(title)s” · %(site)s", title=thread.title, site=name),
            site_url_for("feeds.thread", thread_id=thread.id),
            site_url_for("threads.show", thread_id=thread.id, slug=thread.slug),
            [reply_entry(post, thread) for post in queries.newest_replies(thread)],
            since=thread.created_at,
        )
    )


def atom_response(feed: Feed):
    """The feed as Atom XML, public and cacheable, answering 304 to a reader that has it."""
    response = current_app.response_class(
        render_template("feeds/atom.xml", feed=feed), content_type=ATOM
    )
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag()
    return response.make_conditional(request)
