"""What the comment views of every area share: the personal bits of threads on pages that are
rendered with slots, and writing a comment from a sent form."""

from __future__ import annotations

from flask import flash, get_template_attribute
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from participation.comments.models import PENDING, Comment
from participation.core.premoderation import premoderation_reasons
from participation.extensions import db


def own_comment_actions(comment_ids: list[int]) -> dict[int, str]:
    """Edit and delete under the reader's own comments among `comment_ids`."""
    macro = get_template_attribute("_macros/drafts.html", "own_comment_actions")
    own = db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids), Comment.author_id == current_user.id))
    return {comment.id: macro(comment, current_user) for comment in own}


def tell_outcome(comment: Comment, published: str) -> None:
    """The flash after writing: published, or waiting for the moderation."""
    if comment.status == PENDING:
        flash(_("Thank you! Your comment is waiting for review and will be published after it."), "success")
    else:
        flash(published, "success")


def write_from_form(form, published: str, **where) -> Comment:
    """The comment the reader sent in `form` about `where` (chapter and paragraph, proposal, or
    parent): written, held for review where pre-moderation applies, committed, and the reader told."""
    from participation.comments.services import add_comment

    comment = add_comment(
        current_user,
        form.body.data,
        form.kind.data,
        organisation_id=form.organisation_id,
        held_because=premoderation_reasons(current_user),
        **where,
    )
    db.session.commit()
    tell_outcome(comment, published)
    return comment
