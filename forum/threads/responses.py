"""What a member sees after sending a post form: each outcome of the posting workflow
(``forum.threads.posting``) as a response, and the form shown again with its text.

Nothing here writes: the view has committed before it asks for a response.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.care.drafts import draft_fields, find_draft
from forum.threads import posting
from forum.trust import PRE_MODERATED_BOARD
from forum.web import render_form


def post_url(post_id: int) -> str:
    return url_for("threads.permalink", post_id=post_id)


def post_link(post) -> str:
    return post_url(post.id)


def thread_url(post) -> str:
    thread = post.thread
    return url_for("threads.show", thread_id=thread.id, slug=thread.slug)


def respond(outcome, form, template: str, *, published_url, **context):
    """The response for ``outcome``; ``published_url(post)`` is where a post is shown."""
    match outcome:
        case posting.Published(post=post, held_because=held):
            if held:
                flash(held_message(list(held)))
            return redirect(published_url(post))
        case posting.Refused(status=status, message=message):
            return form_with_problem(template, form, status, message, **context)
        case posting.EditAgain():
            form.crisis_choice.data = form.privacy_choice.data = ""
            return render_form(template, form, status=200, **context)
        case posting.CrisisStep(resources=resources, private=private):
            return render_template(
                "care/crisis_step.html",
                form=form,
                action=request.path,
                resources=resources,
                private=private,
            )
        case posting.PrivacyStep(findings=findings):
            return render_template(
                "care/privacy_step.html", form=form, action=request.path, findings=findings
            )
        case posting.KeptAsDraft(then=endpoint):
            flash(
                _(
                    "Your words are saved as a draft: they'll be there when you come back to "
                    "the form."
                )
            )
            return redirect(url_for(endpoint))
        case posting.SentToModerators(thread=thread):
            flash(_("Only you and the moderators can see this. A moderator will answer here."))
            return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))
    raise ValueError(f"unknown outcome {outcome!r}")


def form_with_problem(template: str, form, status: int, message: str, **context):
    """The form again with why posting is not possible now, and the text kept."""
    form.form_errors.append(message)
    return render_form(template, form, status=status, **context)


def held_message(reasons: list[str]) -> str:
    """What the author of a held post reads: that it waits, and the true reason why."""
    if reasons == [PRE_MODERATED_BOARD]:
        return _(
            "Thank you. Your post is waiting for a moderator: posts on this board are checked "
            "by a moderator before they appear. Only you and the moderators can see it until then."
        )
    if PRE_MODERATED_BOARD in reasons:
        return _(
            "Thank you. Your post is waiting for a moderator, as new members' first posts do "
            "(and posts on this board are checked by a moderator before they appear). "
            "Only you and the moderators can see it until then."
        )
    return _(
        "Thank you. Your post is waiting for a moderator, as new members' first posts do. "
        "Only you and the moderators can see it until then."
    )


def restored_draft(member, place: str) -> dict | None:
    """A saved draft for this form, on a GET only (a POST carries its own text)."""
    draft = find_draft(member, place) if request.method == "GET" else None
    if draft is None:
        return None
    flash(_("We kept what you were writing: your draft is in the form below."))
    return draft_fields(draft)
