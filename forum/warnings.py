"""Content warnings: a fixed set of kinds, or a short text of the author's own."""

from dataclasses import dataclass

WARNINGS = {
    "self-harm": "Self-harm",
    "suicide": "Suicide",
    "eating": "Eating disorders",
    "abuse": "Abuse",
    "substances": "Substance use",
    "grief": "Grief and loss",
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
        return self.text if self.key == CUSTOM else WARNINGS.get(self.key, self.text)


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
