"""Thin views for threads and posts."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum import policy
from forum.extensions import db
from forum.forms import ButtonForm
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.threads import bp, queries, services
from forum.threads.aliases import existing_alias
from forum.threads.forms import EditForm, ReplyForm, ThreadForm
from forum.web import form_checks_csrf, page_number, render_form


def post_url(post_id: int) -> str:
    return url_for("threads.permalink", post_id=post_id)


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def new_thread(slug):
    board = get_board_or_404(slug)
    policy.require(policy.can_start_thread(current_user))
    form = ThreadForm()
    if not form.validate_on_submit():
        return render_form("threads/new.html", form, board=board)
    thread = services.start_thread(
        current_user, board, form.title.data, form.body.data, form.anonymous.data
    )
    db.session.commit()
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.get("/t/<id:thread_id>")
@bp.get("/t/<id:thread_id>/<slug>")
def show(thread_id, slug=None):
    thread = get_thread_or_404(thread_id)
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
    )


@bp.route("/t/<id:thread_id>/reply", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def reply(thread_id):
    thread = get_thread_or_404(thread_id)
    policy.require(policy.can_reply(current_user, thread))
    my_alias = existing_alias(current_user, thread)
    form = ReplyForm(parent_id=request.args.get("parent_id", ""), anonymous=my_alias is not None)
    valid = form.validate_on_submit()
    parent = services.find_post_in_thread(thread, form.parent_post_id)
    if form.parent_id.data and parent is None:
        if request.method == "GET":
            abort(404)
        form.parent_id.errors = ["The post you were replying to is not in this thread."]
        valid = False
    if not valid:
        parent_view = queries.single_post_view(parent, current_user) if parent else None
        return render_form(
            "threads/reply.html", form, thread=thread, parent=parent_view, my_alias=my_alias
        )
    post = services.reply_to_thread(
        current_user, thread, form.body.data, form.anonymous.data, parent=parent
    )
    db.session.commit()
    return redirect(post_url(post.id))


@bp.get("/p/<id:post_id>")
def permalink(post_id):
    post = get_post_or_404(post_id)
    thread = post.thread
    return redirect(
        url_for(
            "threads.show",
            thread_id=thread.id,
            slug=thread.slug,
            page=queries.page_of_post(post),
            _anchor=f"p{post.id}",
        )
    )


@bp.route("/p/<id:post_id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit(post_id):
    post = get_post_or_404(post_id)
    policy.require(policy.can_edit_post(current_user, post))
    form = EditForm(body=post.body_source)
    if not form.validate_on_submit():
        return render_form("threads/edit.html", form, post=post)
    services.edit_post(post, form.body.data)
    db.session.commit()
    return redirect(post_url(post.id))


@bp.route("/p/<id:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id):
    post = get_post_or_404(post_id)
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
