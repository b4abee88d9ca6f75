"""Thin views for threads and posts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from forum import policy, ratelimits
from forum.boards.queries import all_boards
from forum.care import blocks, prepublish
from forum.care.drafts import (
    clear_draft,
    draft_fields,
    find_draft,
    place_for_edit,
    place_for_new_thread,
    place_for_reply,
    save_draft,
)
from forum.care.private import open_private_thread
from forum.conversations import conversation_of
from forum.crisis.resources import reader_region, resources_for
from forum.extensions import db
from forum.forms import ButtonForm
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.models.posts import HELD
from forum.notify.services import is_watching_thread
from forum.notify.unread import first_unread_post, mark_read
from forum.pagecache import lurker_cacheable
from forum.threads import queries, services
from forum.threads.aliases import existing_alias
from forum.threads.forms import EditForm, ReplyForm, ThreadForm
from forum.trust import PRE_MODERATED_BOARD, hold_reasons, posting_problem
from forum.web import form_checks_csrf, page_number, render_form

bp = Blueprint("threads", __name__)


def post_url(post_id: int) -> str:
    return url_for("threads.permalink", post_id=post_id)


def blocked_form(template: str, form, problem: tuple[int, str], **context):
    """Show the form again with why posting is not possible now, and the text kept."""
    status, message = problem
    form.form_errors.append(message)
    return render_form(template, form, status=status, **context)


def before_publishing(
    form, *, place: str, home_board, template: str, private: bool = False, **context
):
    """The crisis interstitial and the privacy nudge, when the text calls for them (in a
    ``private`` conversation with the moderators, the interstitial only, without its
    "moderators only" choice: see prepublish.review).

    Returns (response, review): a response to send instead of publishing (a step page, the
    form back for editing, a saved draft, a private thread), or None to go ahead.
    """
    title = getattr(form, "title", None)
    text = f"{title.data}\n{form.body.data}" if title is not None else form.body.data
    check = prepublish.review(
        text, form.crisis_choice.data, form.privacy_choice.data, private=private
    )
    if check.wants_edit:
        form.crisis_choice.data = form.privacy_choice.data = ""
        return render_form(template, form, status=200, **context), check
    if check.needs_crisis_step:
        resources = resources_for(reader_region(current_user))
        return render_template(
            "care/crisis_step.html",
            form=form,
            action=request.path,
            resources=resources,
            private=private,
        ), check
    if check.crisis_choice in ("draft", "plan"):
        save_draft(current_user, place, form.data)
        db.session.commit()
        flash("Your words are saved as a draft: they'll be there when you come back to the form.")
        help_page = "safety_plan.show" if check.crisis_choice == "plan" else "pages.crisis"
        return redirect(url_for(help_page)), check
    if check.crisis_choice == "moderators":
        thread = open_private_thread(
            current_user,
            home_board,
            title.data if title else None,
            form.body.data,
            form.warning,
            submission_key=getattr(form, "key", None),
        )
        clear_draft(current_user, place)
        db.session.commit()
        flash("Only you and the moderators can see this. A moderator will answer here.")
        return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug)), check
    if check.needs_privacy_step:
        return render_template(
            "care/privacy_step.html", form=form, action=request.path, findings=check.findings
        ), check
    return None, check


def csrf_failed(form) -> bool:
    """Whether the form's CSRF token was refused (never save text sent from another site)."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


def keep_as_draft(form, place: str, template: str, **context):
    """ "Save draft" (no JavaScript needed): keep the text on the server, show the form again."""
    form.validate()
    if csrf_failed(form):
        return render_form(template, form, **context)
    for field in form:
        field.errors = []
    save_draft(current_user, place, form.data)
    db.session.commit()
    flash("Draft saved. It will be here when you come back, on any device.")
    return render_form(template, form, status=200, **context)


def form_again(template: str, form, place: str, **context):
    """The form once more; a failed submit also keeps its text as a draft."""
    if form.is_submitted() and not csrf_failed(form) and (form.body.data or "").strip():
        save_draft(current_user, place, form.data)
        db.session.commit()
    return render_form(template, form, draft_place=place, **context)


def reply_draft(thread) -> dict | None:
    """A member's saved reply for this thread, back in the reply box under the thread."""
    draft = find_draft(current_user, place_for_reply(thread))
    return draft_fields(draft) if draft is not None else None


def restored_draft(place: str) -> dict | None:
    """A saved draft for this form, on a GET only (a POST carries its own text)."""
    draft = find_draft(current_user, place) if request.method == "GET" else None
    if draft is None:
        return None
    flash("We kept what you were writing: your draft is in the form below.")
    return draft_fields(draft)


def after_posting(post, place: str, check) -> None:
    """Finish publishing: flag crisis words for the moderators, drop the draft, commit, and
    tell the author when their post waits for a moderator."""
    if check.crisis:
        prepublish.flag_possible_risk(post)
    clear_draft(current_user, place)
    db.session.commit()
    if post.state == HELD:
        flash(held_message(hold_reasons(current_user, post.thread.board)))


def held_message(reasons: list[str]) -> str:
    """What the author of a held post reads: that it waits, and the true reason why."""
    board_rule = "posts on this board are checked by a moderator before they appear"
    if reasons == [PRE_MODERATED_BOARD]:
        why = f": {board_rule}"
    elif PRE_MODERATED_BOARD in reasons:
        why = f", as new members' first posts do (and {board_rule})"
    else:
        why = ", as new members' first posts do"
    return (
        f"Thank you. Your post is waiting for a moderator{why}. "
        "Only you and the moderators can see it until then."
    )


def post_once(form, publish, place: str, check):
    """Publish with the form's submission key, once: a second submit of the same form (a
    double click, a retry after a lost response), even at the same moment in another
    worker, gets the post the first one made. Returns the post."""
    existing = services.post_for_key(current_user, form.key)
    if existing is not None:
        return existing
    try:
        post = publish()
        after_posting(post, place, check)
        return post
    except IntegrityError:
        db.session.rollback()
        existing = services.post_for_key(current_user, form.key)
        if existing is None:
            raise
        return existing


def already_posted(form):
    """The post this form's key already made (a resubmit), or None."""
    return services.post_for_key(current_user, form.key)


def thread_url(post) -> str:
    thread = post.thread
    return url_for("threads.show", thread_id=thread.id, slug=thread.slug)


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def new_thread(slug):
    board = get_board_or_404(slug)
    policy.require(policy.can_start_thread(current_user, board))
    place = place_for_new_thread(board)
    form = ThreadForm(data=restored_draft(place))
    if request.form.get("save_draft"):
        return keep_as_draft(form, place, "threads/new.html", board=board, draft_place=place)
    if not form.validate_on_submit():
        return form_again("threads/new.html", form, place, board=board)
    earlier = already_posted(form)
    if earlier is not None:
        return redirect(thread_url(earlier))
    problem = posting_problem(current_user)
    if problem:
        return blocked_form("threads/new.html", form, problem, board=board)
    step, check = before_publishing(
        form, place=place, home_board=board, template="threads/new.html", board=board
    )
    if step is not None:
        return step
    opening = post_once(
        form,
        lambda: (
            services.start_thread(
                current_user,
                board,
                form.title.data,
                form.body.data,
                form.anonymous.data,
                form.warning,
                submission_key=form.key,
            ).first_post
        ),
        place,
        check,
    )
    return redirect(thread_url(opening))


@bp.get("/t/<id:thread_id>")
@bp.get("/t/<id:thread_id>/<slug>")
@lurker_cacheable
def show(thread_id, slug=None):
    thread = get_thread_or_404(thread_id, current_user)
    if "unread" in request.args and policy.is_member(current_user):
        return jump_to_first_unread(thread)
    page = queries.thread_page(thread, page_number(), current_user)
    if page is None:
        return render_template(
            "errors/error.html",
            code=404,
            title="No such page",
            message="This thread does not have that many pages.",
        ), 404
    my_alias = existing_alias(current_user, thread)
    html = render_template(
        "threads/show.html",
        thread=thread,
        conversation=conversation_of(thread, current_user),
        page=page,
        # Only members get a form: making one creates a CSRF token in the session, and a
        # lurker's page must set no cookie to be cacheable.
        reply_form=ReplyForm(data=reply_draft(thread), anonymous=my_alias is not None)
        if policy.is_member(current_user)
        else None,
        draft_place=place_for_reply(thread),
        my_alias=my_alias,
        can_reply=policy.can_reply(current_user, thread),
        posting_block=policy.posting_block(current_user),
        move_boards=all_boards() if policy.is_moderator(current_user) else [],
        watching=is_watching_thread(current_user, thread),
    )
    mark_read(current_user, thread, max((post.id for post in page.posts), default=0))
    return html


def jump_to_first_unread(thread):
    """``/t/<id>?unread``: the page and anchor of the first post the member has not read."""
    post = first_unread_post(current_user, thread)
    if post is None:
        flash("You're all caught up in this thread.")
        page = queries.count_pages(thread, current_user)
        return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug, page=page))
    return redirect(url_for("threads.permalink", post_id=post.id))


@bp.route("/t/<id:thread_id>/reply", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def reply(thread_id):
    thread = get_thread_or_404(thread_id, current_user)
    policy.require(policy.can_reply(current_user, thread))
    my_alias = existing_alias(current_user, thread)
    place = place_for_reply(thread)
    form = ReplyForm(
        data=restored_draft(place),
        parent_id=request.args.get("parent_id", ""),
        anonymous=my_alias is not None,
    )
    valid = form.validate_on_submit()
    parent = reply_parent(thread, form)
    parent_view = queries.single_post_view(parent, current_user) if parent else None
    context = {"thread": thread, "parent": parent_view, "my_alias": my_alias}
    context["conversation"] = conversation_of(thread, current_user)
    context["draft_place"] = place
    if request.form.get("save_draft"):
        return keep_as_draft(form, place, "threads/reply.html", **context)
    if not valid or form.parent_id.errors:
        context.pop("draft_place")
        return form_again("threads/reply.html", form, place, **context)
    earlier = already_posted(form)
    if earlier is not None:
        return redirect(post_url(earlier.id))
    problem = posting_problem(current_user)
    answered = parent or thread.first_post
    refused = answered is not None and blocks.refused_by_author(current_user, answered)
    if problem is None and not policy.can_answer(current_user, refused):
        problem = (403, "You can't reply to this post. Your text is kept below.")
    if problem:
        return blocked_form("threads/reply.html", form, problem, **context)
    step, check = before_publishing(
        form,
        place=place,
        home_board=thread.board,
        template="threads/reply.html",
        private=thread.is_private,
        **context,
    )
    if step is not None:
        return step
    post = post_once(
        form,
        lambda: services.reply_to_thread(
            current_user,
            thread,
            form.body.data,
            form.anonymous.data,
            parent=parent,
            warning=form.warning,
            submission_key=form.key,
        ),
        place,
        check,
    )
    return redirect(post_url(post.id))


def reply_parent(thread, form):
    """The post being answered (None: the thread). An unknown one is a 404 on a GET and a
    message beside the form, with the text kept, on a POST."""
    parent = services.find_post_in_thread(thread, form.parent_post_id)
    if parent is not None and not policy.can_see_post(current_user, parent):
        parent = None
    if form.parent_id.data and parent is None:
        if request.method == "GET":
            abort(404)
        form.parent_id.errors = ["The post you were replying to is not in this thread."]
    return parent


@bp.get("/p/<id:post_id>")
@lurker_cacheable
def permalink(post_id):
    post = get_post_or_404(post_id, current_user)
    thread = get_thread_or_404(post.thread_id, current_user)
    return redirect(
        url_for(
            "threads.show",
            thread_id=thread.id,
            slug=thread.slug,
            page=queries.page_of_post(post, current_user),
            _anchor=f"p{post.id}",
        )
    )


@bp.route("/p/<id:post_id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit(post_id):
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_edit_post(current_user, post))
    place = place_for_edit(post)
    current = {
        "body": post.body_source,
        "content_warning": post.content_warning or "",
        "content_warning_text": post.content_warning_text or "",
    }
    form = EditForm(data=restored_draft(place) or current)
    if request.form.get("save_draft"):
        return keep_as_draft(form, place, "threads/edit.html", post=post, draft_place=place)
    paused = policy.posting_block(current_user)
    if paused and request.method == "GET":
        return paused_edit(form, post, paused)
    if not form.validate_on_submit():
        return form_again("threads/edit.html", form, place, post=post)
    if paused:
        return paused_edit(form, post, paused)
    step, check = before_publishing(
        form,
        place=place,
        home_board=post.thread.board,
        template="threads/edit.html",
        private=post.thread.is_private,
        post=post,
    )
    if step is not None:
        return step
    services.edit_post(post, form.body.data, form.warning)
    after_posting(post, place, check)
    return redirect(post_url(post.id))


def paused_edit(form, post, block: str):
    """A member whose posting a moderator paused may not change what others read either
    (an edit could bring back what the pause was for). The form says why; a sent edit (its
    CSRF token checked first) comes back unsaved with its text. Deleting stays open."""
    problem = (200, block)
    if request.method == "POST":
        problem = (403, f"{block} Your edit is not saved; its text is kept below to copy.")
    context = {"post": post, "draft_place": place_for_edit(post)}
    return blocked_form("threads/edit.html", form, problem, **context)


@bp.route("/p/<id:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id):
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_delete_post(current_user, post))
    form = ButtonForm()
    if request.method == "GET":
        return render_template(
            "threads/delete.html",
            post=post,
            form=form,
            preview=queries.single_post_view(post, current_user),
        )
    services.delete_post(post)
    db.session.commit()
    return redirect(post_url(post.id))
