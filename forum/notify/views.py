"""Thin views: notifications, marking them read, watching threads and boards."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update

from forum import policy
from forum.database import write_transaction
from forum.extensions import db
from forum.lookups import get_board_or_404, get_thread_or_404
from forum.models import Notice, utcnow
from forum.notify import queries, services
from forum.redirects import safe_next_url

bp = Blueprint("notify", __name__)


@bp.app_context_processor
def notification_count():
    """The layout's unread count (asked only when shown; 0 for lurkers)."""
    return {
        "unread_notices": lambda: (
            queries.unread_count(current_user) if policy.is_member(current_user) else 0
        )
    }


@bp.get("/notifications")
@login_required
def notifications():
    return notifications_page()


def notifications_page():
    """The member's notifications, newest first; those shown are marked read afterwards
    (they keep their "New" tag on this page)."""
    before = request.args.get("before", "")
    before_id = int(before) if before.isdigit() and len(before) < 19 else None
    page = queries.notification_page(current_user, before_id)
    html = render_template("notify/notifications.html", page=page)
    unread = [item.id for item in page.items if item.unread]
    if unread:
        db.session.commit()
        with write_transaction():
            db.session.execute(update(Notice).where(Notice.id.in_(unread)).values(read_at=utcnow()))
            db.session.commit()
    return html


@bp.get("/notifications/<id:notice_id>")
@login_required
def open_notification(notice_id):
    """Opening a notification marks it read and goes to what it is about."""
    notice = db.session.execute(
        select(Notice).filter_by(id=notice_id, member_id=current_user.id)
    ).scalar_one_or_none() or abort(404)
    link = notice.link or (f"/p/{notice.post_id}" if notice.post_id else "/notifications")
    db.session.commit()
    with write_transaction():
        db.session.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.read_at.is_(None))
            .values(read_at=utcnow())
        )
        db.session.commit()
    return redirect(safe_next_url(link, url_for("notify.notifications")))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    db.session.execute(
        update(Notice)
        .where(Notice.member_id == current_user.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All caught up."))
    return redirect(url_for("notify.notifications"))


@bp.post("/t/<id:thread_id>/<any(watch, unwatch):action>")
@login_required
def watch_thread(thread_id, action):
    thread = get_thread_or_404(thread_id, current_user)
    (services.watch_thread if action == "watch" else services.unwatch_thread)(current_user, thread)
    db.session.commit()
    flash(
        _("You'll be told about new replies here.")
        if action == "watch"
        else _("You won't be told about new replies here.")
    )
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.post("/b/<slug>/<any(watch, unwatch):action>")
@login_required
def watch_board(slug, action):
    board = get_board_or_404(slug)
    (services.watch_board if action == "watch" else services.unwatch_board)(current_user, board)
    db.session.commit()
    flash(
        _("You'll be told about new threads in %(board)s.", board=board.name)
        if action == "watch"
        else _("You won't be told about new threads in %(board)s.", board=board.name)
    )
    return redirect(url_for("boards.show", slug=board.slug))
