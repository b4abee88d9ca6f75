"""Content warnings: a fixed set of kinds, or a short text of the author's own."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from forum.i18n import english

WARNINGS = {
    "self-harm": _l("Self-harm"),
    "suicide": _l("Suicide"),
    "eating": _l("Eating disorders"),
    "abuse": _l("Abuse"),
    "substances": _l("Substance use"),
    "grief": _l("Grief and loss"),
}
CUSTOM = "custom"
CUSTOM_MAX = 60


@dataclass(frozen=True)
class ContentWarning:
    """A post's content warning: ``key`` from WARNINGS, or CUSTOM with ``text``."""

    key: str
    text: str = ""

    @property
    def label(self) -> str:
        """What the reader sees, in their language (a custom warning as its author wrote it)."""
        return self.text if self.key == CUSTOM else str(WARNINGS.get(self.key, self.text))

    @property
    def logged_label(self) -> str:
        """The label as the audit log keeps it: in English, whoever's language the page is in."""
        return self.text if self.key == CUSTOM else english(WARNINGS.get(self.key, self.text))


def warning_from(key: str | None, text: str | None) -> ContentWarning | None:
    """The warning chosen in a form, or None for no warning."""
    if not key:
        return None
    if key == CUSTOM:
        text = (text or "").strip()
        return ContentWarning(CUSTOM, text) if text else None
    return ContentWarning(key) if key in WARNINGS else None


def warning_of(post) -> ContentWarning | None:
    """The warning stored on ``post``."""
    return warning_from(post.content_warning, post.content_warning_text)


def apply_warning(post, warning: ContentWarning | None) -> None:
    """Store ``warning`` on ``post`` (None removes it)."""
    post.content_warning = warning.key if warning else None
    post.content_warning_text = warning.text if warning and warning.key == CUSTOM else None


def hidden_for(member, warning: ContentWarning | None) -> bool:
    """Whether ``member`` chose not to see posts with this warning at all."""
    if warning is None or warning.key == CUSTOM:
        return False
    chosen = getattr(member, "hidden_warnings", None) or []
    return warning.key in chosen
