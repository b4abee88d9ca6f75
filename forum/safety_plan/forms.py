"""The safety plan form (one textarea per section, one thing per line) and the reminder
choice. Field validation only."""

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from forum.forms import ForumForm
from forum.safety_plan.content import MAX_ITEM_LENGTH, MAX_ITEMS, SECTIONS
from forum.safety_plan.services import REVIEW_CHOICES

TITLES = {section.key: section.title for section in SECTIONS}


def plan_lines(value):
    """Filter: one thing per line, without spaces around it; empty lines go."""
    if not isinstance(value, str):
        return value
    lines = (line.strip() for line in value.split("\n"))
    return "\n".join(line for line in lines if line)


def within_limits(form, field):
    """At most MAX_ITEMS lines of at most MAX_ITEM_LENGTH characters; the message says which
    line is too long, and by how much, so it is easy to find."""
    items = items_of(field.data)
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            _(
                "Please keep this to %(max)d lines or fewer: there are %(count)d.",
                max=MAX_ITEMS,
                count=len(items),
            )
        )
    for number, item in enumerate(items, start=1):
        if len(item) > MAX_ITEM_LENGTH:
            raise ValidationError(
                _(
                    "Please keep each line to %(max)d characters or fewer: "
                    "line %(line)d has %(count)s.",
                    max=MAX_ITEM_LENGTH,
                    line=number,
                    count=format_number(len(item)),
                )
            )


def items_of(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def section_field(key: str) -> TextAreaField:
    return TextAreaField(TITLES[key], filters=[plan_lines], validators=[within_limits])


class PlanForm(ForumForm):
    """The seven sections of a safety plan, each a textarea of lines."""

    warning_signs = section_field("warning_signs")
    coping = section_field("coping")
    distractions = section_field("distractions")
    helpers = section_field("helpers")
    professionals = section_field("professionals")
    safer_surroundings = section_field("safer_surroundings")
    reasons_for_living = section_field("reasons_for_living")

    def sections(self) -> dict[str, list[str]]:
        """What was written, section by section, as lists of lines."""
        return {section.key: items_of(self[section.key].data) for section in SECTIONS}

    @classmethod
    def filled(cls, sections: dict[str, list[str]], **kwargs) -> "PlanForm":
        """The form showing ``sections`` (a GET: a POST carries its own text)."""
        data = {key: "\n".join(items) for key, items in sections.items()}
        return cls(data=data, **kwargs)


OFF = "off"
REMINDER_CHOICES = [SelectChoice(OFF, _l("No reminders"))] + [
    SelectChoice(str(days), _l("Every %(days)d days", days=days)) for days in REVIEW_CHOICES
]


class ReminderForm(ForumForm):
    """Whether, and how often, to be reminded to look at the plan again."""

    review_every = SelectField(_l("Remind me to look at my plan again"), choices=REMINDER_CHOICES)

    @property
    def days(self) -> int | None:
        value = self.review_every.data
        return None if value in (None, OFF) else int(value)
