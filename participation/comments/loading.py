"""The comment of a request, or 404 where the reader may not see it, and where its thread is read."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from participation.comments.models import DELETED, PUBLISHED, Comment
from participation.core import composition
from participation.core.permissions import can_view_contribution
from participation.drafts.permissions import can_view_version
from participation.extensions import db


def get_comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status not in (PUBLISHED, DELETED):
        abort(404)
    if comment.measure_id is not None:
        # measures sit above comments: they lend who may see one
        visible = composition.the("measures.visible")(comment.measure)
    elif comment.proposal_id is not None:
        visible = can_view_contribution(current_user, comment.proposal)  # seen with its proposal
    else:
        visible = can_view_version(current_user, comment.chapter.version)
    if not visible:
        abort(404)
    return comment


def thread_url(comment: Comment) -> str:
    """The page that shows `comment` in its thread, at the comment."""
    if comment.measure_id:
        return url_for("measures.show", measure_id=comment.measure_id) + f"#{comment.anchor}"
    if comment.proposal_id:
        return url_for("proposals.show", proposal_id=comment.proposal_id) + f"#{comment.anchor}"
    if comment.paragraph_id:
        return url_for("drafts.paragraph", paragraph_id=comment.paragraph_id) + f"#{comment.anchor}"
    return url_for("drafts.chapter", chapter_id=comment.chapter_id) + f"#{comment.anchor}"
