"""Writing comments on the draft, replying to, editing and deleting comments. Comments on a
proposal or a measure are written on its page (participation.proposals.views,
participation.measures.talk), which sit above; their rules for discussing are lent."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments import services
from participation.comments.forms import CommentForm
from participation.comments.loading import get_comment_or_404, thread_url
from participation.comments.permissions import (
    author_may_delete_comment,
    author_may_edit_comment,
    can_delete_comment,
    can_edit_comment,
    can_reply,
)
from participation.comments.posting import comment_limit, post_from_request, tell_outcome, write_from_form
from participation.core import composition
from participation.core.access import contributor_refusal, refuse
from participation.core.forms import EmptyForm
from participation.core.premoderation import premoderation_reasons
from participation.drafts.access import closed_sentence, participation_refusal
from participation.drafts.loading import get_chapter_or_404, get_paragraph_or_404
from participation.drafts.models import Chapter, Paragraph
from participation.drafts.services import action_open
from participation.extensions import limiter
from participation.organisations.services import speaking_for
from participation.phases.situation import refusal_text

# no prefix: comments on the draft are written under the draft's addresses
bp = Blueprint("comments", __name__)


def _post_on_draft(chapter: Chapter, paragraph: Paragraph | None, action: str):
    refusal = participation_refusal("draft_comments", chapter.version)
    if refusal:
        return refusal
    if paragraph:
        target = url_for("drafts.paragraph", paragraph_id=paragraph.id)
    else:
        target = url_for("drafts.chapter", chapter_id=chapter.id)
    return post_from_request(
        action, lambda comment: f"{target}?page=last#{comment.anchor}", chapter=chapter, paragraph=paragraph
    )


@bp.route("/masterplan/paragraphs/<int:paragraph_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def on_paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    action = url_for("comments.on_paragraph", paragraph_id=paragraph.id)
    return _post_on_draft(paragraph.chapter, paragraph, action)


@bp.route("/masterplan/chapters/<int:chapter_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def on_chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    return _post_on_draft(chapter, None, url_for("comments.on_chapter", chapter_id=chapter.id))


@bp.route("/comments/<int:comment_id>")
def show(comment_id: int):
    return redirect(thread_url(get_comment_or_404(comment_id)))


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@limiter.limit(comment_limit, methods=["POST"])
def reply(comment_id: int):
    parent = get_comment_or_404(comment_id)
    if parent.measure_id is not None:
        refusal = contributor_refusal() or _measure_closed(parent)
    elif parent.proposal_id is not None:
        refusal = contributor_refusal()
        if refusal is None and not composition.the("proposals.comments_open")(parent.proposal):
            refusal = refuse(refusal_text(_("This proposal cannot be discussed at the moment.")))
    else:
        refusal = participation_refusal("draft_comments", parent.chapter.version)
    if refusal:
        return refusal
    if not can_reply(current_user, parent):
        return refuse(_("This comment cannot be answered (the thread is as deep as it goes, or it was deleted)."))
    form = CommentForm()
    form.set_organisations(speaking_for(current_user), current_user.display_name)
    if form.validate_on_submit():
        comment = write_from_form(form, _("Your reply is published."), parent=parent)
        return redirect(thread_url(comment), code=303)
    return render_template(
        "comments/write.html",
        form=form,
        parent=parent,
        chapter=parent.chapter,
        paragraph=parent.paragraph,
        proposal=parent.proposal,
        measure=parent.measure,
        action=url_for("comments.reply", comment_id=parent.id),
    ), 422 if form.errors else 200


def _measure_closed(comment):
    """The refusal when no running phase opens comments on measures (or the measure takes none)."""
    if composition.the("measures.comments_open")(comment.measure):
        return None
    return refuse(refusal_text(_("Comments on measures are not open at the moment.")))


def _closed_for_changes(comment):
    """A comment is changed only while its place takes comments: its version is open and a phase
    opens comments on it, its proposal can be discussed, or a phase opens comments on measures.
    Deleting stays possible."""
    if comment.measure_id is not None:
        return _measure_closed(comment)
    if comment.chapter_id is not None:
        version = comment.chapter.version
        if not action_open("draft_comments", version):
            return refuse(refusal_text(closed_sentence("draft_comments", version)))
    elif comment.proposal_id is not None and not composition.the("proposals.comments_open")(comment.proposal):
        return refuse(refusal_text(_("This proposal cannot be discussed at the moment.")))
    return None


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = get_comment_or_404(comment_id)
    if not author_may_edit_comment(current_user, comment):
        return refuse(_("Only the author can change a comment, and only in the first 15 minutes."))
    if not can_edit_comment(current_user, comment):  # the author no longer speaks for its organisation
        return refuse(_("This comment is a statement of an organisation: only its verified members can change it."))
    refusal = _closed_for_changes(comment)
    if refusal:
        return refusal
    form = CommentForm(obj=comment)
    # who the comment speaks for stays as it was
    form.set_organisations([comment.organisation] if comment.organisation else [], current_user.display_name)
    form.organisation.data = str(comment.organisation_id or "")
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data, form.kind.data, premoderation_reasons(current_user))
        tell_outcome(comment, _("Your comment is changed."))
        return redirect(thread_url(comment), code=303)
    return render_template(
        "comments/write.html",
        form=form,
        parent=None,
        chapter=comment.chapter,
        paragraph=comment.paragraph,
        proposal=comment.proposal,
        measure=comment.measure,
        editing=comment,
        action=url_for("comments.edit", comment_id=comment.id),
    ), 422 if form.errors else 200


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    """GET asks (nothing is deleted by following a link), POST deletes."""
    comment = get_comment_or_404(comment_id)
    if not author_may_delete_comment(current_user, comment):
        return refuse(_("Only the author can delete a comment."))
    if not can_delete_comment(current_user, comment):  # the author no longer speaks for its organisation
        return refuse(_("This comment is a statement of an organisation: only its verified members can change it."))
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_comment(comment)
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
