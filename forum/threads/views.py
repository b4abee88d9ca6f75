"""Thin views for threads and posts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum import policy, ratelimits
from forum.boards.queries import all_boards
from forum.extensions import db
from forum.forms import ButtonForm
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.models.posts import HELD
from forum.threads import bp, queries, services
from forum.threads.aliases import existing_alias
from forum.threads.forms import EditForm, ReplyForm, ThreadForm
from forum.trust import posting_problem
from forum.web import form_checks_csrf, page_number, render_form


def post_url(post_id: int) -> str:
    return url_for("threads.permalink", post_id=post_id)


def blocked_form(template: str, form, problem: tuple[int, str], **context):
    """Show the form again with why posting is not possible now, and the text kept."""
    status, message = problem
    form.form_errors.append(message)
    return render_form(template, form, status=status, **context)


def after_posting(post) -> None:
    """Tell the author when their post waits for a moderator."""
    if post.state == HELD:
        flash(
            "Thank you. Your post is waiting for a moderator, as new members' first posts "
            "do. Only you can see it until then."
        )


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def new_thread(slug):
    board = get_board_or_404(slug)
    policy.require(policy.can_start_thread(current_user, board))
    form = ThreadForm()
    if not form.validate_on_submit():
        return render_form("threads/new.html", form, board=board)
    problem = posting_problem(current_user)
    if problem:
        return blocked_form("threads/new.html", form, problem, board=board)
    thread = services.start_thread(
        current_user, board, form.title.data, form.body.data, form.anonymous.data, form.warning
    )
    db.session.commit()
    after_posting(thread.first_post)
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.get("/t/<id:thread_id>")
@bp.get("/t/<id:thread_id>/<slug>")
def show(thread_id, slug=None):
    thread = get_thread_or_404(thread_id, current_user)
    page = queries.thread_page(thread, page_number(), current_user)
    if page is None:
        return render_template(
            "errors/error.html",
            code=404,
            title="No such page",
            message="This thread does not have that many pages.",
        ), 404
    my_alias = existing_alias(current_user, thread)
    return render_template(
        "threads/show.html",
        thread=thread,
        page=page,
        reply_form=ReplyForm(anonymous=my_alias is not None),
        my_alias=my_alias,
        can_reply=policy.can_reply(current_user, thread),
        posting_block=policy.posting_block(current_user),
        move_boards=all_boards() if policy.is_moderator(current_user) else [],
    )


@bp.route("/t/<id:thread_id>/reply", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def reply(thread_id):
    thread = get_thread_or_404(thread_id, current_user)
    policy.require(policy.can_reply(current_user, thread))
    my_alias = existing_alias(current_user, thread)
    form = ReplyForm(parent_id=request.args.get("parent_id", ""), anonymous=my_alias is not None)
    valid = form.validate_on_submit()
    parent = services.find_post_in_thread(thread, form.parent_post_id)
    if parent is not None and not policy.can_see_post(current_user, parent):
        parent = None
    if form.parent_id.data and parent is None:
        if request.method == "GET":
            abort(404)
        form.parent_id.errors = ["The post you were replying to is not in this thread."]
        valid = False
    parent_view = queries.single_post_view(parent, current_user) if parent else None
    context = {"thread": thread, "parent": parent_view, "my_alias": my_alias}
    if not valid:
        return render_form("threads/reply.html", form, **context)
    problem = posting_problem(current_user)
    if problem is None and not policy.can_answer(current_user, parent or thread.first_post):
        problem = (403, "You can't reply to this post. Your text is kept below.")
    if problem:
        return blocked_form("threads/reply.html", form, problem, **context)
    post = services.reply_to_thread(
        current_user,
        thread,
        form.body.data,
        form.anonymous.data,
        parent=parent,
        warning=form.warning,
    )
    db.session.commit()
    after_posting(post)
    return redirect(post_url(post.id))


@bp.get("/p/<id:post_id>")
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
    form = EditForm(
        body=post.body_source,
        content_warning=post.content_warning or "",
        content_warning_text=post.content_warning_text or "",
    )
    if not form.validate_on_submit():
        return render_form("threads/edit.html", form, post=post)
    services.edit_post(post, form.body.data, form.warning)
    db.session.commit()
    return redirect(post_url(post.id))


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
