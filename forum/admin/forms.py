"""Forms for the admin area: boards and the moderator role. Field validation only."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from forum.forms import ForumForm, one_line, stripped
from forum.models.boards import MODERATION_MODES

SLUG_MIN, SLUG_MAX = 2, 64
NAME_MAX = 80
DESCRIPTION_MAX = 500


class BoardEditForm(ForumForm):
    """What an admin may change about an existing board (its address stays)."""

    name = StringField(
        _l("Name"),
        filters=[one_line],
        validators=[
            DataRequired(_l("Please give the board a name.")),
            Length(max=NAME_MAX, message=_l("Names are at most %(max)d characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[stripped],
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Descriptions are at most %(max)d characters."),
            )
        ],
    )
    moderation_mode = RadioField(
        _l("When do moderators review posts?"),
        choices=[SelectChoice(value, label) for value, label in MODERATION_MODES.items()],
        default="post",
        validators=[InputRequired(_l("Please choose when posts are reviewed."))],
    )


class BoardForm(BoardEditForm):
    """A new board: everything editable, plus its address."""

    slug = StringField(
        _l("Address"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Please give the board an address.")),
            Regexp(
                rf"^[a-z0-9-]{{{SLUG_MIN},{SLUG_MAX}}}\Z",
                message=_l(
                    "Addresses are %(min)d to %(max)d characters: lowercase letters, "
                    "digits and hyphens only (like sleep-and-rest).",
                    min=SLUG_MIN,
                    max=SLUG_MAX,
                ),
            ),
        ],
    )


class GrantModeratorForm(ForumForm):
    handle = StringField(
        _l("Member's handle"),
        filters=[stripped],
        validators=[DataRequired(_l("Please type the handle of the member."))],
    )
