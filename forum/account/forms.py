"""Account forms (password, recovery, deletion): field validation only."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, ValidationError

from forum.auth.services import password_problem
from forum.forms import ForumForm, stripped


class NewPasswordForm(ForumForm):
    """A new password, typed twice."""

    password = PasswordField(
        _l("New password"), validators=[InputRequired(_l("Please choose a new password."))]
    )
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(_l("Please type your new password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )

    def validate_password(self, field):
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Please enter your current password."))],
    )


class RecoverForm(NewPasswordForm):
    handle = StringField(
        _l("Handle"),
        filters=[stripped],
        validators=[InputRequired(_l("Please enter your handle."))],
    )
    recovery_code = StringField(
        _l("Recovery code"),
        filters=[stripped],
        validators=[InputRequired(_l("Please enter your recovery code."))],
    )


class ConfirmPasswordForm(ForumForm):
    """Asks for the password again before something that matters (a new recovery code)."""

    password = PasswordField(
        _l("Your password"), validators=[InputRequired(_l("Please enter your password."))]
    )


POST_CHOICES = [
    SelectChoice("remove", _l("Remove my posts")),
    SelectChoice("keep", _l("Keep my posts, without my name")),
]


class DeleteAccountForm(ConfirmPasswordForm):
    posts = RadioField(
        _l("What should happen to your posts?"),
        choices=POST_CHOICES,
        validators=[InputRequired(_l("Please choose what should happen to your posts."))],
    )
