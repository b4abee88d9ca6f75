"""Settings, break and private-thread forms: field validation only."""

from flask_babel import lazy_gettext
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import ForumForm, one_line
from forum.threads.forms import BODY_VALIDATORS, SubmissionKey
from forum.warnings import WARNINGS

BREAK_DAYS = (1, 7, 30)


class CheckboxList(SelectMultipleField):
    """A list of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(ForumForm):
    region = SelectField("Your region (for crisis lines)")
    open_content_warnings = BooleanField("Always open content warnings")
    hidden_warnings = CheckboxList(
        "Hide posts with these warnings entirely",
        choices=[SelectChoice(key, label) for key, label in WARNINGS.items()],
    )
    hide_counts = BooleanField(
        lazy_gettext("Hide how many threads, posts and replies there are in board lists")
    )
    quiet_mode = BooleanField("Quiet mode: no notifications except messages from the moderators")
    muted_boards = CheckboxList("Muted boards (their threads leave your lists)")


class BreakForm(ForumForm):
    days = SelectField(
        "Take a break for",
        choices=[
            SelectChoice(str(days), f"{days} day{'s' if days > 1 else ''}") for days in BREAK_DAYS
        ],
    )


class PrivateThreadForm(SubmissionKey, ForumForm):
    title = StringField(
        "What is it about? (optional)",
        filters=[one_line],
        validators=[Optional(), Length(max=150, message="At most 150 characters.")],
    )
    body = TextAreaField("What would you like the moderators to know?", validators=BODY_VALIDATORS)
