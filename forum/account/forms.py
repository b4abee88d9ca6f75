"""Account forms (password, recovery, deletion): field validation only."""

from wtforms import PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, ValidationError

from forum.auth.services import password_problem
from forum.forms import ForumForm, stripped


class NewPasswordForm(ForumForm):
    """A new password, typed twice."""

    password = PasswordField(
        "New password", validators=[InputRequired("Please choose a new password.")]
    )
    password_confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired("Please type your new password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )

    def validate_password(self, field):
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Please enter your current password.")]
    )


class RecoverForm(NewPasswordForm):
    handle = StringField(
        "Handle", filters=[stripped], validators=[InputRequired("Please enter your handle.")]
    )
    recovery_code = StringField(
        "Recovery code",
        filters=[stripped],
        validators=[InputRequired("Please enter your recovery code.")],
    )


class ConfirmPasswordForm(ForumForm):
    """Asks for the password again before something that matters (a new recovery code)."""

    password = PasswordField(
        "Your password", validators=[InputRequired("Please enter your password.")]
    )


POST_CHOICES = [
    SelectChoice("remove", "Remove my posts"),
    SelectChoice("keep", "Keep my posts, without my name"),
]


class DeleteAccountForm(ConfirmPasswordForm):
    posts = RadioField(
        "What should happen to your posts?",
        choices=POST_CHOICES,
        validators=[InputRequired("Please choose what should happen to your posts.")],
    )
