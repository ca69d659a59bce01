"""Replying to, editing and deleting comments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments import services
from participation.comments.models import DELETED, PUBLISHED, Comment
from participation.core.forms import EmptyForm
from participation.core.permissions import can_delete_comment, can_edit_comment, can_reply, can_view_version
from participation.drafts.forms import CommentForm
from participation.drafts.views import comment_limit, participation_refusal, refuse
from participation.extensions import db, limiter

bp = Blueprint("comments", __name__, url_prefix="/comments")


def get_comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status not in (PUBLISHED, DELETED):
        abort(404)
    if not can_view_version(current_user, comment.chapter.version):
        abort(404)
    return comment


def thread_url(comment: Comment) -> str:
    if comment.paragraph_id:
        return url_for("drafts.paragraph", paragraph_id=comment.paragraph_id) + f"#{comment.anchor}"
    return url_for("drafts.chapter", chapter_id=comment.chapter_id) + f"#{comment.anchor}"


@bp.route("/<int:comment_id>")
def show(comment_id: int):
    return redirect(thread_url(get_comment_or_404(comment_id)))


@bp.route("/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@limiter.limit(comment_limit, methods=["POST"])
def reply(comment_id: int):
    parent = get_comment_or_404(comment_id)
    refusal = participation_refusal("draft_comments", parent.chapter.version)
    if refusal:
        return refusal
    if not can_reply(current_user, parent):
        return refuse(_("This comment cannot be answered (the thread is as deep as it goes, or it was deleted)."))
    form = CommentForm()
    if form.validate_on_submit():
        comment = services.add_comment(current_user, form.body.data, form.kind.data, parent.chapter, parent=parent)
        db.session.commit()
        flash(_("Your reply is published."), "success")
        return redirect(thread_url(comment), code=303)
    return render_template(
        "comments/write.html",
        form=form,
        parent=parent,
        chapter=parent.chapter,
        paragraph=parent.paragraph,
        action=url_for("comments.reply", comment_id=parent.id),
    ), 422 if form.errors else 200


@bp.route("/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = get_comment_or_404(comment_id)
    if not can_edit_comment(current_user, comment):
        return refuse(_("Only the author can change a comment, and only in the first 15 minutes."))
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data, form.kind.data)
        db.session.commit()
        flash(_("Your comment is changed."), "success")
        return redirect(thread_url(comment), code=303)
    return render_template(
        "comments/write.html",
        form=form,
        parent=None,
        chapter=comment.chapter,
        paragraph=comment.paragraph,
        editing=comment,
        action=url_for("comments.edit", comment_id=comment.id),
    ), 422 if form.errors else 200


@bp.route("/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    """GET asks (nothing is deleted by following a link), POST deletes."""
    comment = get_comment_or_404(comment_id)
    if not can_delete_comment(current_user, comment):
        return refuse(_("Only the author can delete a comment."))
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_comment(comment)
        db.session.commit()
        flash(_("Your comment is deleted. Replies to it stay in the thread."), "success")
        return redirect(thread_url(comment), code=303)
    return render_template(
        "confirm_delete.html",
        form=form,
        title=_("Delete your comment?"),
        consequence=_(
            "Your comment is replaced by a note that you deleted it; replies to it stay in the thread. "
            "This cannot be undone."
        ),
        excerpt=comment.body,
        action=url_for("comments.delete", comment_id=comment.id),
        cancel=thread_url(comment),
        confirm_label=_("Yes, delete my comment"),
    )
