"""Flagging a proposal or a comment: reporting it to the moderation (the blueprint "flags")."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments.loading import get_comment_or_404, thread_url
from participation.core.access import contributor_refusal, refuse
from participation.extensions import limiter
from participation.moderation import services
from participation.moderation.forms import FlagForm
from participation.moderation.permissions import can_report
from participation.proposals.loading import get_proposal_or_404

bp = Blueprint("flags", __name__)


def flag_limit() -> str:
    return "20 per hour"


def _flag(target, kind: str, back: str, action: str):
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not can_report(current_user, target):
        if target.author_id == current_user.id:
            return refuse(_("You cannot report your own contribution."))
        return refuse(_("This contribution is not public, so it cannot be reported."))
    earlier = services.flag_by(current_user, target)
    form = FlagForm()
    if earlier is None and form.validate_on_submit():
        services.flag(current_user, target, form.reason.data, form.note.data or "")
        flash(_("Thank you. The moderation will look at it."), "success")
        return redirect(back, code=303)
    return render_template(
        "moderation/flag.html", form=form, target=target, kind=kind, back=back, action=action, earlier=earlier
    ), 422 if form.errors else 200


@bp.route("/proposals/<int:proposal_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(flag_limit, methods=["POST"])
def proposal(proposal_id: int):
    target = get_proposal_or_404(proposal_id)
    back = url_for("proposals.show", proposal_id=target.id)
    return _flag(target, "proposal", back, url_for("flags.proposal", proposal_id=target.id))


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(flag_limit, methods=["POST"])
def comment(comment_id: int):
    target = get_comment_or_404(comment_id)
    return _flag(target, "comment", thread_url(target), url_for("flags.comment", comment_id=target.id))
