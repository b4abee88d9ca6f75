"""Before anything is published: crisis words get a calm response, identifying details a
nudge. Neither ever silences the author, and nothing they typed is lost.

``review`` looks at what a form is about to publish and says what must happen first; the
posting views act on it (see forum.threads.views).
"""

from dataclasses import dataclass, field

from forum.care.privacy_check import Finding, identifying_details
from forum.crisis.phrases import crisis_matches
from forum.extensions import db
from forum.models.moderation import ITEM_REPORTS
from forum.queue import open_item

CRISIS_CHOICES = ("post", "moderators", "draft", "plan", "edit")
PRIVACY_CHOICES = ("post", "edit")


@dataclass
class Review:
    """What the text triggers: crisis phrases found, identifying details found, and what the
    author already chose about each."""

    crisis: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    crisis_choice: str = ""
    privacy_choice: str = ""

    @property
    def needs_crisis_step(self) -> bool:
        return bool(self.crisis) and self.crisis_choice not in CRISIS_CHOICES

    @property
    def needs_privacy_step(self) -> bool:
        return bool(self.findings) and self.privacy_choice not in PRIVACY_CHOICES

    @property
    def wants_edit(self) -> bool:
        return self.crisis_choice == "edit" or self.privacy_choice == "edit"


def review(
    text: str, crisis_choice: str | None, privacy_choice: str | None, *, private: bool = False
) -> Review:
    """Check ``text`` (title and body) before it is published.

    In a ``private`` conversation with the moderators nothing is public: no privacy nudge,
    and "send it to the moderators only" is posting it there (a new private thread, signed,
    would tie the member's handle to the alias they may have in this one).
    """
    choice = crisis_choice or ""
    return Review(
        crisis=crisis_matches(text),
        findings=[] if private else identifying_details(text),
        crisis_choice="post" if private and choice == "moderators" else choice,
        privacy_choice=privacy_choice or "",
    )


def flag_possible_risk(post) -> None:
    """Put a post with crisis words at the top of the moderators' queue, so someone can reach
    out. Other members never see it flagged, and it is never hidden for its words."""
    item = open_item(post, ITEM_REPORTS, priority=True)
    item.automatic = True
    db.session.flush()
