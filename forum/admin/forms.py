"""Forms for the admin area: boards and the moderator role. Field validation only."""

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
        "Name",
        filters=[one_line],
        validators=[
            DataRequired("Please give the board a name."),
            Length(max=NAME_MAX, message=f"Names are at most {NAME_MAX} characters."),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        filters=[stripped],
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=f"Descriptions are at most {DESCRIPTION_MAX} characters.",
            )
        ],
    )
    moderation_mode = RadioField(
        "When do moderators review posts?",
        choices=[SelectChoice(value, label) for value, label in MODERATION_MODES.items()],
        default="post",
        validators=[InputRequired("Please choose when posts are reviewed.")],
    )


class BoardForm(BoardEditForm):
    """A new board: everything editable, plus its address."""

    slug = StringField(
        "Address",
        filters=[stripped],
        validators=[
            DataRequired("Please give the board an address."),
            Regexp(
                rf"^[a-z0-9-]{{{SLUG_MIN},{SLUG_MAX}}}\Z",
                message=(
                    f"Addresses are {SLUG_MIN} to {SLUG_MAX} characters: lowercase letters, "
                    "digits and hyphens only (like sleep-and-rest)."
                ),
            ),
        ],
    )


class GrantModeratorForm(ForumForm):
    handle = StringField(
        "Member's handle",
        filters=[stripped],
        validators=[DataRequired("Please type the handle of the member.")],
    )
