"""The admin form for a crisis resource. Field validation only."""

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from forum.crisis.resources import region_choices, region_label
from forum.forms import ForumForm, one_line, stripped

NAME_MAX = 120
HOW_MAX = 1000
HOURS_MAX = 120
URL_MAX = 255


class CrisisResourceForm(ForumForm):
    """A way to reach help: who, how, when, where, and when someone last checked it."""

    name = StringField(
        "Name",
        filters=[one_line],
        validators=[
            DataRequired("Please give the service's name."),
            Length(max=NAME_MAX, message=f"Names are at most {NAME_MAX} characters."),
        ],
    )
    how = TextAreaField(
        "How to reach it",
        filters=[stripped],
        validators=[
            DataRequired("Please say how to reach the service (a number to call or text)."),
            Length(max=HOW_MAX, message=f"This is at most {HOW_MAX} characters."),
        ],
    )
    hours = StringField(
        "Hours (optional)",
        filters=[one_line],
        validators=[Length(max=HOURS_MAX, message=f"At most {HOURS_MAX} characters.")],
    )
    region = SelectField(
        "Region", validators=[InputRequired("Please choose where the service answers.")]
    )
    url = StringField(
        "Web address (optional)",
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=URL_MAX, message=f"Web addresses are at most {URL_MAX} characters."),
            Regexp(
                r"^https?://[^\s/$.?#][^\s]*\Z",
                message="Please give a full web address starting with https:// or http://.",
            ),
        ],
    )
    position = IntegerField(
        "Position (optional)",
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000, message="Please give a number from 0 to 10,000."),
        ],
    )
    is_emergency = BooleanField(
        "Emergency services: always shown first, before every helpline of the region"
    )
    always_open = BooleanField("Answers 24 hours a day, every day")
    last_verified = DateField(
        "Last checked",
        validators=[InputRequired("Please give the date someone last checked it (YYYY-MM-DD).")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_choices()
        # An entry may use a region outside the usual list: keep it choosable when editing.
        stored = getattr(kwargs.get("obj"), "region", None)
        if stored and stored not in dict(choices):
            choices.append((stored, region_label(stored)))
        self.region.choices = choices
