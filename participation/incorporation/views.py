"""The public page of what happened to a proposal or a comment."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from participation.comments.models import DELETED, PUBLISHED, Comment
from participation.core import composition
from participation.core.permissions import can_moderate, can_plan
from participation.drafts.permissions import can_view_version
from participation.extensions import db
from participation.incorporation.path import path_of
from participation.proposals.loading import get_proposal_or_404
from participation.proposals.permissions import can_view_proposal

bp = Blueprint("contribution_paths", __name__)


def _staff_or_author(contribution) -> bool:
    own = current_user.is_authenticated and contribution.author_id == current_user.id
    return own or can_moderate(current_user) or can_plan(current_user)


@bp.route("/proposals/<int:proposal_id>/path")
def proposal(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id)
    return render_template(
        "contribution_paths/path.html",
        path=path_of(proposal),
        kind="proposal",
        private=_staff_or_author(proposal),
        # what grew out of it after the plan (the measures, lent by a higher layer)
        **composition.gathered("contribution_paths.path", proposal),
    )


@bp.route("/comments/<int:comment_id>/path")
def comment(comment_id: int):
    """Public for published comments where they can be read; otherwise for the author and staff."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.measure_id is not None:  # comments on measures go nowhere in the plan
        abort(404)
    where = (
        can_view_proposal(current_user, comment.proposal)
        if comment.proposal_id
        else can_view_version(current_user, comment.chapter.version)
    )
    if not where or (comment.status not in (PUBLISHED, DELETED) and not _staff_or_author(comment)):
        abort(404)
    return render_template(
        "contribution_paths/path.html",
        path=path_of(comment),
        kind="comment",
        private=_staff_or_author(comment),
        **composition.gathered("contribution_paths.path", comment),
    )
