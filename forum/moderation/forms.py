"""Forms for reports, moderator actions and appeals: field validation only."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forum.forms import ForumForm, days_label, one_line, stripped
from forum.models import REPORT_REASONS
from forum.threads.forms import BODY_VALIDATORS, WarningFields

REASON_MAX = 500


class ReportForm(ForumForm):
    reason = RadioField(
        _l("Why are you reporting this post?"),
        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS.items()],
        validators=[InputRequired(_l("Please choose a reason."))],
    )
    details = TextAreaField(
        _l("Anything a moderator should know? (optional)"),
        validators=[
            Optional(),
            Length(max=1_000, message=_l("Please keep details to 1,000 characters.")),
        ],
    )


def _reason_field(required: bool):
    validators = [Length(max=REASON_MAX, message=_l("Reasons are at most %(max)d characters."))]
    if required:
        validators.insert(0, DataRequired(_l("Please give a reason: the member will see it.")))
    return StringField(_l("Reason"), filters=[stripped], validators=validators)


class ActionForm(ForumForm):
    """approve, restore, lock, pin... : the reason is optional."""

    reason = _reason_field(required=False)


class ReasonRequiredForm(ForumForm):
    """hide, remove, silence, suspend, reveal: the reason is required."""

    reason = _reason_field(required=True)


class SilenceForm(ReasonRequiredForm):
    days = SelectField(
        _l("For"),
        choices=[SelectChoice(str(days), days_label(days)) for days in (1, 3, 7, 30)],
        validators=[InputRequired()],
    )


class SuspendForm(ReasonRequiredForm):
    until = DateField(
        _l("Suspended until"), validators=[InputRequired(_l("Please choose a date."))]
    )

    def validate_until(self, field):
        if field.data and field.data <= date.today():
            raise ValidationError(_("Please choose a date after today."))


class MoveForm(ActionForm):
    board = StringField(
        _l("Move to board"), validators=[DataRequired(_l("Please choose a board."))]
    )


class TrustForm(ActionForm):
    level = SelectField(
        _l("Trust level"),
        choices=[SelectChoice("1", _l("1 — member")), SelectChoice("2", _l("2 — trusted"))],
    )


class AppealForm(ForumForm):
    text = TextAreaField(
        _l("Why should this be looked at again?"),
        validators=[
            DataRequired(_l("Please say why.")),
            Length(max=1_000, message=_l("Appeals are at most 1,000 characters.")),
        ],
    )


class WarningForm(WarningFields, ReasonRequiredForm):
    """A moderator adds, changes or removes a post's content warning (with a reason)."""


class MessageForm(ForumForm):
    """A moderator writes to a member privately: an optional title and the message."""

    title = StringField(
        _l("Title (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=150, message=_l("Titles are at most 150 characters."))],
    )
    body = TextAreaField(_l("Message"), validators=BODY_VALIDATORS)
