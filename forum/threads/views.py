"""Thin views for threads and posts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import policy, ratelimits
from forum.boards.queries import all_boards
from forum.care.drafts import (
    keep_failed_submit,
    keep_form_as_draft,
    place_for_edit,
    place_for_new_thread,
    place_for_reply,
    reply_draft,
)
from forum.conversations import conversation_of
from forum.extensions import db
from forum.forms import ButtonForm
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.notify.services import is_watching_thread
from forum.notify.unread import first_unread_post, mark_read
from forum.pagecache import lurker_cacheable
from forum.threads import posting, queries, services
from forum.threads.aliases import existing_alias
from forum.threads.cards import post_cards
from forum.threads.forms import EditForm, ReplyForm, ThreadForm
from forum.threads.responses import (
    form_with_problem,
    post_link,
    post_url,
    respond,
    restored_draft,
    thread_url,
)
from forum.trust import posting_problem
from forum.web import form_checks_csrf, page_number, render_form

bp = Blueprint("threads", __name__)


def save_draft_and_show(form, place: str, template: str, **context):
    """ "Save draft" (no JavaScript needed): keep the text, show the form again."""
    if keep_form_as_draft(current_user, form, place):
        db.session.commit()
        flash(_("Draft saved. It will be here when you come back, on any device."))
    return render_form(template, form, status=200, **context)


def show_again(form, place: str, template: str, **context):
    """The form once more; a failed submit (a field to fix) keeps its text as a draft too."""
    keep_failed_submit(current_user, form, place)
    db.session.commit()
    return render_form(template, form, draft_place=place, **context)


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def new_thread(slug):
    board = get_board_or_404(slug)
    policy.require(policy.can_start_thread(current_user, board))
    place = place_for_new_thread(board)
    form = ThreadForm(data=restored_draft(current_user, place))
    if request.form.get("save_draft"):
        return save_draft_and_show(form, place, "threads/new.html", board=board, draft_place=place)
    if not form.validate_on_submit():
        return show_again(form, place, "threads/new.html", board=board)
    sent = posting.InFlight.from_form(form, place)
    outcome = posting.submit_post(
        current_user,
        sent,
        lambda: (
            services.start_thread(
                current_user, board, sent.title, sent.body, sent.anonymous, sent.warning, sent.key
            ).first_post
        ),
        home_board=board,
        problem=posting_problem(current_user),
    )
    db.session.commit()
    return respond(outcome, form, "threads/new.html", published_url=thread_url, board=board)


@bp.get("/t/<id:thread_id>")
@bp.get("/t/<id:thread_id>/<slug>")
@lurker_cacheable
def show(thread_id, slug=None):
    # The reader once, not through the proxy in every check of every post.
    reader = current_user._get_current_object()
    thread = get_thread_or_404(thread_id, reader)
    if "unread" in request.args and policy.is_member(reader):
        return jump_to_first_unread(thread)
    page = queries.thread_page(thread, page_number(), reader)
    if page is None:
        return render_template(
            "errors/error.html",
            code=404,
            title=_("No such page"),
            message=_("This thread does not have that many pages."),
        ), 404
    my_alias = existing_alias(reader, thread)
    can_reply = policy.can_reply(reader, thread)
    html = render_template(
        "threads/show.html",
        thread=thread,
        conversation=conversation_of(thread, current_user),
        page=page,
        cards=post_cards(page.posts, thread.id, can_reply),
        # Only members get a form: making one creates a CSRF token in the session, and a
        # lurker's page must set no cookie to be cacheable.
        reply_form=ReplyForm(data=reply_draft(current_user, thread), anonymous=my_alias is not None)
        if policy.is_member(current_user)
        else None,
        draft_place=place_for_reply(thread),
        my_alias=my_alias,
        can_reply=can_reply,
        posting_block=policy.posting_block(reader),
        move_boards=all_boards() if policy.is_moderator(reader) else [],
        watching=is_watching_thread(reader, thread),
    )
    mark_read(reader, thread, max((post.id for post in page.posts), default=0))
    return html


def jump_to_first_unread(thread):
    """``/t/<id>?unread``: the page and anchor of the first post the member has not read."""
    post = first_unread_post(current_user, thread)
    if post is None:
        flash(_("You're all caught up in this thread."))
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
        data=restored_draft(current_user, place),
        parent_id=request.args.get("parent_id", ""),
        anonymous=my_alias is not None,
    )
    valid = form.validate_on_submit()
    parent = reply_parent(thread, form)
    context = {
        "thread": thread,
        "parent": queries.single_post_view(parent, current_user) if parent else None,
        "my_alias": my_alias,
        "conversation": conversation_of(thread, current_user),
    }
    if request.form.get("save_draft"):
        return save_draft_and_show(form, place, "threads/reply.html", draft_place=place, **context)
    if not valid or form.parent_id.errors:
        return show_again(form, place, "threads/reply.html", **context)
    sent = posting.InFlight.from_form(form, place)
    outcome = posting.submit_post(
        current_user,
        sent,
        lambda: services.reply_to_thread(
            current_user, thread, sent.body, sent.anonymous, parent, sent.warning, sent.key
        ),
        home_board=thread.board,
        problem=posting.reply_problem(current_user, parent or thread.first_post),
        private=thread.is_private,
    )
    db.session.commit()
    context["draft_place"] = place
    return respond(outcome, form, "threads/reply.html", published_url=post_link, **context)


def reply_parent(thread, form):
    """The post being answered (None: the thread). An unknown one is a 404 on a GET and a
    message beside the form, with the text kept, on a POST."""
    parent = services.find_post_in_thread(thread, form.parent_post_id)
    if parent is not None and not policy.can_see_post(current_user, parent):
        parent = None
    if form.parent_id.data and parent is None:
        if request.method == "GET":
            abort(404)
        form.parent_id.errors = [_("The post you were replying to is not in this thread.")]
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
    form = EditForm(data=restored_draft(current_user, place) or posting.current_text(post))
    context = {"post": post, "draft_place": place}
    if request.form.get("save_draft"):
        return save_draft_and_show(form, place, "threads/edit.html", **context)
    paused = policy.posting_block(current_user)
    if paused and request.method == "GET":
        # The form says why before anything is typed; a sent edit is refused below.
        return form_with_problem("threads/edit.html", form, 200, paused, **context)
    if not form.validate_on_submit():
        return show_again(form, place, "threads/edit.html", post=post)
    sent = posting.InFlight.from_form(form, place)
    outcome = posting.submit_post(
        current_user,
        sent,
        posting.saving_edit(post, sent),
        home_board=post.thread.board,
        problem=posting.edit_problem(current_user),
        private=post.thread.is_private,
        once=False,
    )
    db.session.commit()
    return respond(outcome, form, "threads/edit.html", published_url=post_link, **context)


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
