"""Settings, break and private-thread forms: field validation only."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import ForumForm, days_label, one_line
from forum.threads.forms import BODY_VALIDATORS, SubmissionKey
from forum.warnings import WARNINGS

BREAK_DAYS = (1, 7, 30)


class CheckboxList(SelectMultipleField):
    """A list of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(ForumForm):
    region = SelectField(_l("Your region (for crisis lines)"))
    open_content_warnings = BooleanField(_l("Always open content warnings"))
    hidden_warnings = CheckboxList(
        _l("Hide posts with these warnings entirely"),
        choices=[SelectChoice(key, label) for key, label in WARNINGS.items()],
    )
    hide_counts = BooleanField(
        _l("Hide how many threads, posts and replies there are in board lists")
    )
    quiet_mode = BooleanField(
        _l("Quiet mode: no notifications except messages from the moderators")
    )
    muted_boards = CheckboxList(_l("Muted boards (their threads leave your lists)"))
    language = SelectField(_l("Language of the forum and of your emails"))


class BreakForm(ForumForm):
    days = SelectField(
        _l("Take a break for"),
        choices=[SelectChoice(str(days), days_label(days)) for days in BREAK_DAYS],
    )


class PrivateThreadForm(SubmissionKey, ForumForm):
    title = StringField(
        _l("What is it about? (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=150, message=_l("At most 150 characters."))],
    )
    body = TextAreaField(
        _l("What would you like the moderators to know?"), validators=BODY_VALIDATORS
    )
