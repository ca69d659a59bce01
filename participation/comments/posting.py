"""Writing a comment from a sent form, wherever it is written (a chapter or paragraph of the
draft, a proposal, a reply), and how often one may."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from participation.comments.forms import CommentForm
from participation.comments.models import PENDING, Comment
from participation.organisations.services import speaking_for


def comment_limit() -> str:
    """Comments per person, on every route that writes one."""
    return "10 per minute; 100 per day"


def tell_outcome(comment: Comment, published: str) -> None:
    """The flash after writing: published, or waiting for the moderation."""
    if comment.status == PENDING:
        flash(_("Thank you! Your comment is waiting for review and will be published after it."), "success")
    else:
        flash(published, "success")


def write_from_form(form, published: str, **where) -> Comment:
    """The comment the reader sent in `form` about `where` (chapter and paragraph, proposal, or
    parent): written, held for review where pre-moderation applies, and the reader told; the
    request commits it (participation.core.transaction)."""
    from participation.comments.notices import tell_about
    from participation.comments.services import add_comment
    from participation.core.premoderation import premoderation_reasons

    comment = add_comment(
        current_user,
        form.body.data,
        form.kind.data,
        organisation_id=form.organisation_id,
        held_because=premoderation_reasons(current_user),
        **where,
    )
    tell_about(comment)  # published at once: the mails go with it
    tell_outcome(comment, published)
    return comment


def post_from_request(action: str, thread_of: Callable[[Comment], str], **where):
    """The comment form sent to `action` about `where` (chapter and paragraph, or proposal),
    after the caller has checked that the reader may write there: written and redirected to
    `thread_of(comment)`, or the form again with what is wrong (422)."""
    form = CommentForm()
    form.set_organisations(speaking_for(current_user), current_user.display_name)
    if form.validate_on_submit():
        comment = write_from_form(form, _("Your comment is published."), **where)
        return redirect(thread_of(comment), code=303)
    return render_template("comments/write.html", form=form, parent=None, action=action, **where), 422
