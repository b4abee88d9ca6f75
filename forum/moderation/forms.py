"""Forms for reports, moderator actions and appeals: field validation only."""

from datetime import date

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forum.forms import ForumForm, one_line, stripped
from forum.models import REPORT_REASONS
from forum.threads.forms import BODY_VALIDATORS, WarningFields

REASON_MAX = 500


class ReportForm(ForumForm):
    reason = RadioField(
        "Why are you reporting this post?",
        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS.items()],
        validators=[InputRequired("Please choose a reason.")],
    )
    details = TextAreaField(
        "Anything a moderator should know? (optional)",
        validators=[
            Optional(),
            Length(max=1_000, message=("Please keep details to 1,000 characters.")),
        ],
    )


def _reason_field(required: bool):
    validators = [Length(max=REASON_MAX, message=f"Reasons are at most {REASON_MAX} characters.")]
    if required:
        validators.insert(0, DataRequired("Please give a reason: the member will see it."))
    return StringField("Reason", filters=[stripped], validators=validators)


class ActionForm(ForumForm):
    """approve, restore, lock, pin... : the reason is optional."""

    reason = _reason_field(required=False)


class ReasonRequiredForm(ForumForm):
    """hide, remove, silence, suspend, reveal: the reason is required."""

    reason = _reason_field(required=True)


class SilenceForm(ReasonRequiredForm):
    days = SelectField(
        "For",
        choices=[
            SelectChoice(str(days), f"{days} day{'s' if days > 1 else ''}")
            for days in (1, 3, 7, 30)
        ],
        validators=[InputRequired()],
    )


class SuspendForm(ReasonRequiredForm):
    until = DateField("Suspended until", validators=[InputRequired("Please choose a date.")])

    def validate_until(self, field):
        if field.data and field.data <= date.today():
            raise ValidationError("Please choose a date after today.")


class MoveForm(ActionForm):
    board = StringField("Move to board", validators=[DataRequired("Please choose a board.")])


class TrustForm(ActionForm):
    level = SelectField(
        "Trust level", choices=[SelectChoice("1", "1 — member"), SelectChoice("2", "2 — trusted")]
    )


class AppealForm(ForumForm):
    text = TextAreaField(
        "Why should this be looked at again?",
        validators=[
            DataRequired("Please say why."),
            Length(max=1_000, message="Appeals are at most 1,000 characters."),
        ],
    )


class WarningForm(WarningFields, ReasonRequiredForm):
    """A moderator adds, changes or removes a post's content warning (with a reason)."""


class MessageForm(ForumForm):
    """A moderator writes to a member privately: an optional title and the message."""

    title = StringField(
        "Title (optional)",
        filters=[one_line],
        validators=[Optional(), Length(max=150, message="Titles are at most 150 characters.")],
    )
    body = TextAreaField("Message", validators=BODY_VALIDATORS)
