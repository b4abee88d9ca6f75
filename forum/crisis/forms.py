"""The admin form for a crisis resource. Field validation only."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from forum.crisis.resources import (
    language_choices,
    language_label,
    region_choices,
    region_label,
)
from forum.forms import ForumForm, one_line, stripped

NAME_MAX = 120
HOW_MAX = 1000
HOURS_MAX = 120
URL_MAX = 255


class CrisisResourceForm(ForumForm):
    """A way to reach help: who, how, when, where, and when someone last checked it."""

    name = StringField(
        _l("Name"),
        filters=[one_line],
        validators=[
            DataRequired(_l("Please give the service's name.")),
            Length(max=NAME_MAX, message=_l("Names are at most %(max)d characters.")),
        ],
    )
    how = TextAreaField(
        _l("How to reach it"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Please say how to reach the service (a number to call or text).")),
            Length(max=HOW_MAX, message=_l("This is at most %(max)d characters.")),
        ],
    )
    hours = StringField(
        _l("Hours (optional)"),
        filters=[one_line],
        validators=[Length(max=HOURS_MAX, message=_l("At most %(max)d characters."))],
    )
    region = SelectField(
        _l("Region"), validators=[InputRequired(_l("Please choose where the service answers."))]
    )
    # Optional in a post (English when absent), so older scripts and forms keep working.
    language = SelectField(_l("Language"), default="en")
    url = StringField(
        _l("Web address (optional)"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=URL_MAX, message=_l("Web addresses are at most %(max)d characters.")),
            Regexp(
                r"^https?://[^\s/$.?#][^\s]*\Z",
                message=_l("Please give a full web address starting with https:// or http://."),
            ),
        ],
    )
    position = IntegerField(
        _l("Position (optional)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000, message=_l("Please give a number from 0 to 10,000.")),
        ],
    )
    is_emergency = BooleanField(
        _l("Emergency services: always shown first, before every helpline of the region")
    )
    always_open = BooleanField(_l("Answers 24 hours a day, every day"))
    last_verified = DateField(
        _l("Last checked"),
        validators=[
            InputRequired(_l("Please give the date someone last checked it (YYYY-MM-DD)."))
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_choices()
        # An entry may use a region outside the usual list: keep it choosable when editing.
        stored = getattr(kwargs.get("obj"), "region", None)
        if stored and stored not in dict(choices):
            choices.append((stored, region_label(stored)))
        self.region.choices = choices
        languages = language_choices()
        written = getattr(kwargs.get("obj"), "language", None)
        if written and written not in dict(languages):
            languages.append((written, language_label(written)))
        self.language.choices = languages
