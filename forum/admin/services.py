"""Admin verbs: create, edit, reorder and archive boards; grant and take back the moderator role.

Each writes its audit-log row in the same transaction as the change. They flush, never commit.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.services import end_all_sessions
from forum.extensions import db
from forum.models import Board, Member
from forum.models.accounts import TRUSTED
from forum.models.boards import MODERATION_MODES
from forum.moderation.log import notify, record

DIRECTIONS = {"up": -1, "down": 1}


class AdminRefused(Exception):
    """The action does not apply to this board or member as it is now."""


class SlugTaken(AdminRefused):
    """Another board already has that address."""


def boards_in_order() -> list[Board]:
    """Every board, archived ones included, in the order of the board index."""
    return list(db.session.execute(select(Board).order_by(Board.position, Board.id)).scalars())


def staff_members() -> list[Member]:
    """The admins, then the moderators, each by handle."""
    return list(
        db.session.execute(
            select(Member)
            .where(Member.role.in_(("admin", "moderator")))
            .order_by(Member.role, Member.handle_key)
        ).scalars()
    )


def _number_in_order(boards: list[Board]) -> None:
    """Give ``boards`` the positions 1, 2, 3... in list order: unique and without gaps."""
    for position, board in enumerate(boards, start=1):
        if board.position != position:
            board.position = position


def _check_mode(moderation_mode: str) -> None:
    if moderation_mode not in MODERATION_MODES:
        raise AdminRefused(_("Posts are reviewed either after or before they appear."))


def create_board(
    admin, slug: str, name: str, description: str = "", moderation_mode: str = "post"
) -> Board:
    """Add a board at the end of the index; raise ``SlugTaken`` when the address is in use."""
    _check_mode(moderation_mode)
    if db.session.execute(select(Board.id).filter_by(slug=slug)).first() is not None:
        raise SlugTaken(f"There is already a board at /b/{slug}. Please choose another address.")
    board = Board(slug=slug, name=name, description=description, moderation_mode=moderation_mode)
    ordered = boards_in_order()
    db.session.add(board)
    _number_in_order([*ordered, board])
    db.session.flush()
    record(admin, "board_create", slug=slug, name=name, moderation_mode=moderation_mode)
    return board


def update_board(admin, board: Board, name: str, description: str, moderation_mode: str) -> bool:
    """Change a board's name, description and moderation mode; False when nothing changed."""
    _check_mode(moderation_mode)
    wanted = {"name": name, "description": description, "moderation_mode": moderation_mode}
    changes = {
        field: [getattr(board, field), value]
        for field, value in wanted.items()
        if getattr(board, field) != value
    }
    if not changes:
        return False
    for field, (_before, value) in changes.items():
        setattr(board, field, value)
    db.session.flush()
    record(admin, "board_edit", slug=board.slug, changes=changes)
    return True


def move_board(admin, board: Board, direction: str) -> Board:
    """Swap ``board`` with its neighbour above or below; returns that neighbour."""
    if direction not in DIRECTIONS:
        raise AdminRefused(_("Boards move up or down."))
    ordered = boards_in_order()
    index = ordered.index(board)
    other = index + DIRECTIONS[direction]
    if not 0 <= other < len(ordered):
        if other < 0:
            raise AdminRefused(_("%(name)s is already first.", name=board.name))
        raise AdminRefused(_("%(name)s is already last.", name=board.name))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _number_in_order(ordered)
    db.session.flush()
    neighbour = ordered[index]
    record(
        admin,
        "board_move",
        slug=board.slug,
        direction=direction,
        position=board.position,
        swapped_with=neighbour.slug,
    )
    return neighbour


def set_board_archived(admin, board: Board, archived: bool) -> bool:
    """Archive a board (gone from the index, closed to new threads) or bring it back.

    Its threads stay readable either way. Returns False when it already was so.
    """
    if board.archived == archived:
        return False
    board.archived = archived
    db.session.flush()
    record(admin, "board_archive" if archived else "board_unarchive", slug=board.slug)
    return True


def grant_moderator(admin, member: Member) -> bool:
    """Make a member a moderator (trusted, too); False when they already are one."""
    if member.role == "admin":
        raise AdminRefused(
            _("%(handle)s is an admin: admins already moderate.", handle=member.handle)
        )
    if member.role == "moderator":
        return False
    previous_trust = member.trust_level
    member.role = "moderator"
    end_all_sessions(member)  # a new role starts on a new session
    member.trust_level = TRUSTED
    db.session.flush()
    record(admin, "grant_moderator", subject_id=member.id, previous_trust=previous_trust)
    notify(
        member.id,
        _l(
            "An admin has made you a moderator. Thank you for looking after the community: "
            "the moderation queue is under Moderation at the top of each page."
        ),
    )
    return True


def revoke_moderator(admin, member: Member) -> None:
    """Turn a moderator back into a member. Admins are not demoted here, nor is oneself."""
    if member.id == admin.id:
        raise AdminRefused(_("You cannot take back your own role."))
    if member.role == "admin":
        raise AdminRefused(
            _(
                "%(handle)s is an admin: the admin role is not changed here.",
                handle=member.handle,
            )
        )
    if member.role != "moderator":
        raise AdminRefused(_("%(handle)s is not a moderator.", handle=member.handle))
    member.role = "member"
    end_all_sessions(member)  # a session that had staff powers ends with them
    db.session.flush()
    record(admin, "revoke_moderator", subject_id=member.id)
    notify(
        member.id,
        _l(
            "An admin has taken back your moderator role. Thank you for the care you gave "
            "the community."
        ),
    )
