"""Reading and saving a member's care settings, muted boards and breaks."""

from datetime import timedelta

from sqlalchemy import delete, select

from forum.auth.services import end_all_sessions
from forum.extensions import db
from forum.models import Board, BoardMute, Member, utcnow


def muted_board_ids(member) -> set[int]:
    """The boards this member muted (empty for lurkers)."""
    if not getattr(member, "is_authenticated", False):
        return set()
    return set(
        db.session.execute(select(BoardMute.board_id).filter_by(member_id=member.id)).scalars()
    )


def save_settings(
    member: Member,
    *,
    region: str | None,
    open_content_warnings: bool,
    hidden_warnings: list[str],
    hide_counts: bool,
    muted_boards: list[int],
    quiet_mode: bool = False,
    language: str | None = None,
) -> None:
    """Store the member's care settings, muted boards and language (empty: the browser's)."""
    member.region = region or None
    member.open_content_warnings = open_content_warnings
    member.hidden_warnings = sorted(set(hidden_warnings))
    member.hide_counts = hide_counts
    member.quiet_mode = quiet_mode
    member.language = language or None
    wanted = set(muted_boards)
    current = muted_board_ids(member)
    if current - wanted:
        db.session.execute(
            delete(BoardMute).where(
                BoardMute.member_id == member.id, BoardMute.board_id.in_(current - wanted)
            )
        )
    existing = set(db.session.execute(select(Board.id).where(Board.id.in_(wanted))).scalars())
    for board_id in sorted((wanted - current) & existing):
        db.session.add(BoardMute(member_id=member.id, board_id=board_id))


def set_board_muted(member: Member, board: Board, muted: bool) -> None:
    if muted and board.id not in muted_board_ids(member):
        db.session.add(BoardMute(member_id=member.id, board_id=board.id))
    elif not muted:
        db.session.execute(
            delete(BoardMute).where(
                BoardMute.member_id == member.id, BoardMute.board_id == board.id
            )
        )


def start_break(member: Member, days: int) -> None:
    """Pause: logged out everywhere until the break ends (or they end it early)."""
    member.break_until = utcnow() + timedelta(days=days)
    end_all_sessions(member)


def end_break(member: Member) -> None:
    member.break_until = None
