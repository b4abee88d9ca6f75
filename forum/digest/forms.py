"""The email settings form: field validation only (the password check is the service's)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from forum.digest.addresses import email_problem
from forum.forms import ForumForm, stripped

DIGEST_CHOICES = [
    SelectChoice("off", _l("No email")),
    SelectChoice("daily", _l("At most once a day")),
    SelectChoice("weekly", _l("At most once a week")),
]
NEEDS_ADDRESS = _l("To get a digest, add an email address above (or choose “No email”).")


class EmailSettingsForm(ForumForm):
    email = StringField(_l("Email address (optional)"), filters=[stripped])
    digest = RadioField(
        _l("Email me a digest of unread notifications"),
        choices=DIGEST_CHOICES,
        validators=[InputRequired(_l("Please choose how often, or “No email”."))],
    )
    digest_excerpts = BooleanField(
        _l("Include short excerpts: the first ~120 characters of each post, no more")
    )
    password = PasswordField(_l("Your password"))

    def validate_email(self, field):
        problem = email_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)

    def validate_digest(self, field):
        if field.data != "off" and not self.email.data:
            raise ValidationError(NEEDS_ADDRESS)
