"""Writing a comment from a sent form, wherever it is written (a chapter or paragraph of the
draft, a proposal, a reply), and how often one may."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from participation.comments.models import PENDING, Comment


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
    from participation.comments.services import add_comment
    from participation.moderation.services import premoderation_reasons

    comment = add_comment(
        current_user,
        form.body.data,
        form.kind.data,
        organisation_id=form.organisation_id,
        held_because=premoderation_reasons(current_user),
        **where,
    )
    tell_outcome(comment, published)
    return comment
