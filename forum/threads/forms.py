"""Forms for starting threads, replying and editing: field validation only."""

import re
import secrets

from flask_babel import LazyString, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.forms import ForumForm, one_line
from forum.warnings import CUSTOM, CUSTOM_MAX, WARNINGS, warning_from

TITLE_MIN, TITLE_MAX = 3, 150
BODY_MAX = 20_000


def not_blank(form, field):
    """A body of only spaces and newlines is empty."""
    if not (field.data or "").strip():
        raise ValidationError(_("Please write something before posting."))


BODY_VALIDATORS = [
    not_blank,
    Length(
        max=BODY_MAX,
        # The number in the reader's own way of writing numbers (20,000 or 20.000).
        message=LazyString(
            lambda: _(
                "Posts can be at most %(max)s characters. Your text is kept below: "
                "please shorten it.",
                max=format_number(BODY_MAX),
            )
        ),
    ),
]


WARNING_CHOICES = (
    [SelectChoice("", _l("No content warning"))]
    + [SelectChoice(key, label) for key, label in WARNINGS.items()]
    + [SelectChoice(CUSTOM, _l("Something else (write it below)"))]
)


class WarningFields:
    """The content-warning fields shared by the thread, reply and edit forms."""

    content_warning = SelectField(
        _l("Content warning (optional)"), choices=WARNING_CHOICES, validators=[Optional()]
    )
    content_warning_text = StringField(
        _l("Your own warning"),
        filters=[one_line],
        validators=[Length(max=CUSTOM_MAX, message=_l("Warnings are at most %(max)d characters."))],
    )

    def validate_content_warning_text(self, field):
        if self.content_warning.data == CUSTOM and not field.data:
            raise ValidationError(_("Please write the warning, or choose one from the list."))

    @property
    def warning(self):
        return warning_from(self.content_warning.data, self.content_warning_text.data)


class PublishChoices:
    """What the author chose at the crisis interstitial or the privacy nudge (see
    forum.care.prepublish): sent back with the form, empty on the first submit."""

    crisis_choice = HiddenField()
    privacy_choice = HiddenField()


KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_key() -> str:
    return secrets.token_urlsafe(18)


class SubmissionKey:
    """A random key made when the form is first shown and sent back with every submit of
    it (and every re-show after an error or a care step): posting twice with the same key,
    a double click or a retry after a lost response, gives the one post already made."""

    submission_key = HiddenField(default=new_submission_key)

    @property
    def key(self) -> str | None:
        """The key sent, or None when it is missing or not one this site makes."""
        value = self.submission_key.data or ""
        return value if KEY_PATTERN.fullmatch(value) else None


class ThreadForm(SubmissionKey, PublishChoices, WarningFields, ForumForm):
    title = StringField(
        _l("Title"),
        filters=[one_line],
        validators=[
            DataRequired(_l("Please give your thread a title.")),
            Length(TITLE_MIN, TITLE_MAX, _l("Titles are %(min)d to %(max)d characters long.")),
        ],
    )
    body = TextAreaField(_l("Your post"), validators=BODY_VALIDATORS)
    anonymous = BooleanField(_l("Post anonymously"))


class ReplyForm(SubmissionKey, PublishChoices, WarningFields, ForumForm):
    body = TextAreaField(_l("Your reply"), validators=BODY_VALIDATORS)
    parent_id = HiddenField()
    anonymous = BooleanField(_l("Post anonymously"))

    @property
    def parent_post_id(self) -> int | None:
        """The id of the post replied to, or None (no parent, or not a usable id)."""
        value = (self.parent_id.data or "").strip()
        if value.isascii() and value.isdigit() and 0 < len(value) <= 18:
            return int(value)
        return None


class EditForm(SubmissionKey, PublishChoices, WarningFields, ForumForm):
    body = TextAreaField(_l("Your post"), validators=BODY_VALIDATORS)
