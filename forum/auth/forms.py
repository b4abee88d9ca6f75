"""Registration and login forms: field validation only."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

from forum.auth.services import handle_problem, password_problem
from forum.forms import ForumForm, stripped


class RegisterForm(ForumForm):
    handle = StringField(
        _l("Handle"), filters=[stripped], validators=[InputRequired(_l("Please choose a handle."))]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Please choose a password."))]
    )
    password_confirm = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(_l("Please type your password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )
    accept_guidelines = BooleanField(
        _l("I have read and accept the community guidelines"),
        validators=[DataRequired(_l("Please read and accept the community guidelines to join."))],
    )

    def validate_handle(self, field):
        problem = handle_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_password(self, field):
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class LoginForm(ForumForm):
    handle = StringField(
        _l("Handle"),
        filters=[stripped],
        validators=[InputRequired(_l("Please enter your handle."))],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Please enter your password."))]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    # What someone was posting when their session ended, carried through the login form so
    # nothing they wrote is lost (see forum.web.send_lurker_to_login).
    carried_title = HiddenField()
    carried_body = HiddenField()
    carried_parent_id = HiddenField()
    carried_anonymous = HiddenField()
    carried_content_warning = HiddenField()
    carried_content_warning_text = HiddenField()

    @property
    def carries_text(self) -> bool:
        return bool(
            (self.carried_body.data or "").strip() or (self.carried_title.data or "").strip()
        )
