"""Posting as one workflow: what a member sent goes in, an outcome comes out.

A new thread, a reply and an edit pass the same steps, in the same order:

1. the same form sent again (its submission key) gets the post it already made;
2. a member who may not post now (paused, over a new member's daily limit, blocked by the
   author they answer) is refused, with the reason;
3. crisis words bring the calm crisis step (unless the member already chose), whose choices
   may keep the words as a draft or open a private conversation with the moderators;
4. identifying details bring the privacy step (unless the member already chose);
5. the post is published (or held for a moderator) once, even when two submits race; crisis
   words flag it for the moderators, and the form's draft is dropped.

``submit_post`` decides and writes (it flushes, never commits); the view commits once and
turns the outcome into a response (``forum.threads.responses``). Nothing the member typed is
ever lost on the way: every outcome that is not a publish carries the form back, or a draft.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from forum import policy
from forum.blocking import refused_by_author
from forum.care import prepublish
from forum.care.drafts import clear_draft, save_draft
from forum.care.private import open_private_thread
from forum.crisis.resources import reader_region, resources_for
from forum.extensions import db
from forum.models import Board, Member, Post
from forum.models.posts import HELD
from forum.threads import services
from forum.trust import hold_reasons, posting_problem


@dataclass(frozen=True)
class InFlight:
    """A post on its way, as the member sent it: the form's fields, its draft place and the
    choices already made at the crisis and privacy steps."""

    place: str
    body: str
    title: str | None = None
    anonymous: bool = False
    warning: object = None
    key: str | None = None
    crisis_choice: str = ""
    privacy_choice: str = ""
    fields: dict | None = None

    @classmethod
    def from_form(cls, form, place: str) -> "InFlight":
        title = getattr(form, "title", None)
        anonymous = getattr(form, "anonymous", None)
        return cls(
            place=place,
            body=form.body.data or "",
            title=title.data if title is not None else None,
            anonymous=bool(anonymous.data) if anonymous is not None else False,
            warning=form.warning,
            key=getattr(form, "key", None),
            crisis_choice=form.crisis_choice.data or "",
            privacy_choice=form.privacy_choice.data or "",
            fields=dict(form.data),
        )

    @property
    def text(self) -> str:
        """What the crisis and privacy checks read: the title and the body."""
        return self.body if self.title is None else f"{self.title}\n{self.body}"


# The outcomes: what happened, for the view to answer.
@dataclass(frozen=True)
class Published:
    post: Post
    # Why it waits for a moderator (empty when it is public at once).
    held_because: tuple[str, ...] = ()
    # It was made by an earlier submit of the same form.
    again: bool = False


@dataclass(frozen=True)
class Refused:
    status: int
    message: str


@dataclass(frozen=True)
class CrisisStep:
    resources: list
    private: bool


@dataclass(frozen=True)
class PrivacyStep:
    findings: list


@dataclass(frozen=True)
class EditAgain:
    """The member chose to go back and change what they wrote."""


@dataclass(frozen=True)
class KeptAsDraft:
    """The words wait as a draft while the member looks at help (``then``: an endpoint)."""

    then: str


@dataclass(frozen=True)
class SentToModerators:
    thread: object


Outcome = (
    Published | Refused | CrisisStep | PrivacyStep | EditAgain | KeptAsDraft | SentToModerators
)
HELP_AFTER_DRAFT = {"draft": "pages.crisis", "plan": "safety_plan.show"}


def submit_post(
    member: Member,
    sent: InFlight,
    publish: Callable[[], Post],
    *,
    home_board: Board,
    problem: tuple[int, str] | None = None,
    private: bool = False,
    once: bool = True,
) -> Outcome:
    """Take ``sent`` through the steps (module docstring); ``publish`` makes the post.

    ``problem`` is why this member may not post here now (see ``reply_problem`` and
    ``edit_problem``); ``private``: inside a private conversation with the moderators;
    ``once``: a resubmit of the form gets the post it made (new threads and replies).
    """
    earlier = services.post_for_key(member, sent.key) if once else None
    if earlier is not None:
        return Published(earlier, again=True)
    if problem is not None:
        return Refused(*problem)
    check = prepublish.review(sent.text, sent.crisis_choice, sent.privacy_choice, private=private)
    if check.wants_edit:
        return EditAgain()
    if check.needs_crisis_step:
        return CrisisStep(resources_for(reader_region(member)), private)
    if check.crisis_choice in HELP_AFTER_DRAFT:
        save_draft(member, sent.place, sent.fields or {})
        return KeptAsDraft(HELP_AFTER_DRAFT[check.crisis_choice])
    if check.crisis_choice == "moderators":
        return SentToModerators(_to_moderators(member, sent, home_board))
    if check.needs_privacy_step:
        return PrivacyStep(check.findings)
    post = _publish_once(member, sent, publish) if once else publish()
    if check.crisis:
        prepublish.flag_possible_risk(post)
    clear_draft(member, sent.place)
    held = tuple(hold_reasons(member, post.thread.board)) if post.state == HELD else ()
    return Published(post, held_because=held)


def _publish_once(member: Member, sent: InFlight, publish: Callable[[], Post]) -> Post:
    """Publish in a savepoint: when another submit of the same form won the race (the unique
    key on author and submission key), its post is the answer."""
    try:
        with db.session.begin_nested():
            return publish()
    except IntegrityError:
        earlier = services.post_for_key(member, sent.key)
        if earlier is None:
            raise
        return earlier


def _to_moderators(member: Member, sent: InFlight, board: Board):
    thread = open_private_thread(
        member, board, sent.title, sent.body, sent.warning, submission_key=sent.key
    )
    clear_draft(member, sent.place)
    return thread


def current_text(post: Post) -> dict:
    """The edit form's starting point: the post as it is now."""
    return {
        "body": post.body_source,
        "content_warning": post.content_warning or "",
        "content_warning_text": post.content_warning_text or "",
    }


def saving_edit(post: Post, sent: InFlight) -> Callable[[], Post]:
    """The publishing step of an edit: the post with its new text and warning."""

    def save() -> Post:
        services.edit_post(post, sent.body, sent.warning)
        return post

    return save


def reply_problem(member: Member, answered: Post | None) -> tuple[int, str] | None:
    """Why ``member`` may not reply to ``answered`` now, or None."""
    problem = posting_problem(member)
    refused = answered is not None and refused_by_author(member, answered)
    if problem is None and not policy.can_answer(member, refused):
        problem = (403, _("You can't reply to this post. Your text is kept below."))
    return problem


def edit_problem(member: Member) -> tuple[int, str] | None:
    """A member whose posting a moderator paused may not change what others read either (an
    edit could bring back what the pause was for). Deleting stays open."""
    block = policy.posting_block(member)
    if block:
        return 403, f"{block} Your edit is not saved; its text is kept below to copy."
    return None
