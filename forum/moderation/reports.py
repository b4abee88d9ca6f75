"""Members report posts; enough weight of reports hides a post until a moderator looks.

A report counts 1. A trusted member's report counts as much as the whole threshold, so it
hides the post at once. The reports of a member whose reports were repeatedly dismissed
count half.
"""

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Member, Post, Report, utcnow
from forum.models.accounts import TRUSTED
from forum.models.moderation import ITEM_REPORTS, RISK
from forum.models.posts import PENDING_REVIEW, PUBLISHED
from forum.queue import open_item
from forum.trust import current_trust

DISMISSED_BEFORE_DISCOUNT = 3


def report_weight(reporter: Member) -> float:
    """How much ``reporter``'s report counts towards hiding a post at once."""
    if current_trust(reporter) >= TRUSTED:
        return float(current_app.config["FORUM_AUTO_HIDE_REPORTS"])
    if (
        reporter.reports_dismissed >= DISMISSED_BEFORE_DISCOUNT
        and reporter.reports_dismissed > 2 * reporter.reports_upheld
    ):
        return 0.5
    return 1.0


def report_post(reporter: Member, post: Post, reason: str, details: str) -> Report:
    """File or update ``reporter``'s report of ``post``, queue it, and hide the post when the
    open reports weigh enough. Risk reports go to the top of the queue."""
    now = utcnow()
    report = db.session.execute(
        select(Report).filter_by(post_id=post.id, reporter_id=reporter.id)
    ).scalar_one_or_none()
    if report is None:
        report = Report(post_id=post.id, reporter_id=reporter.id, created_at=now)
        db.session.add(report)
    report.reason, report.details, report.is_open = reason, details, True
    report.weight, report.updated_at = report_weight(reporter), now
    db.session.flush()
    open_item(post, ITEM_REPORTS, priority=reason == RISK)
    if (
        post.state == PUBLISHED
        and open_weight(post) >= current_app.config["FORUM_AUTO_HIDE_REPORTS"]
    ):
        post.state = PENDING_REVIEW
    return report


def open_weight(post: Post) -> float:
    """The summed weight of the open reports about ``post``."""
    return db.session.execute(
        select(func.coalesce(func.sum(Report.weight), 0)).where(
            Report.post_id == post.id, Report.is_open.is_(True)
        )
    ).scalar_one()


def close_reports(post: Post, upheld: bool) -> list[int]:
    """Close the open reports about ``post``; count them for their reporters' standing.

    Returns the reporters' ids, so they can be told their report was reviewed.
    """
    reports = (
        db.session.execute(select(Report).filter_by(post_id=post.id, is_open=True)).scalars().all()
    )
    for report in reports:
        report.is_open = False
        column = Member.reports_upheld if upheld else Member.reports_dismissed
        db.session.execute(
            Member.__table__.update()
            .where(Member.id == report.reporter_id)
            .values({column.key: column + 1})
        )
    return [report.reporter_id for report in reports]
