"""The base form: Flask-WTF (CSRF included) plus the text clean-up every field gets."""

import re

from flask_babel import LazyString, ngettext
from flask_wtf import FlaskForm
from wtforms import PasswordField

# C0 control characters other than tab and newline (NUL breaks PostgreSQL; the rest are noise).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def days_label(days: int) -> LazyString:
    """ "1 day", "7 days": a choice's label, in the reader's language when it is shown."""
    return LazyString(lambda: ngettext("%(num)d day", "%(num)d days", days))


def clean_text(value):
    """Normalise line endings and drop control characters; keep everything else as typed."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def stripped(value):
    """Filter: no spaces around the value (handles, reasons, multi-line fields)."""
    return value.strip() if isinstance(value, str) else value


def one_line(value):
    """Filter: runs of spaces, tabs and newlines become one space (titles, names)."""
    return " ".join(value.split()) if isinstance(value, str) else value


class ForumForm(FlaskForm):
    """Every form's base: each text field (except passwords) is cleaned before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class is not PasswordField:
                filters = list(unbound_field.kwargs.get("filters", ()))
                options["filters"] = [clean_text, *filters]
            return unbound_field.bind(form=form, **options)


class ButtonForm(ForumForm):
    """An empty form for POST-only buttons (delete, log out): it carries the CSRF token."""


def csrf_failed(form) -> bool:
    """Whether the form's CSRF token was refused (never save text sent from another site)."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)
