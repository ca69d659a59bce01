"""Taking part on measures: following a measure, and comments on it during a phase that opens them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments.posting import comment_limit, post_from_request
from participation.core.access import contributor_refusal, refuse
from participation.core.forms import EmptyForm
from participation.extensions import limiter
from participation.measures import discussion
from participation.measures.loading import get_measure_or_404

bp = Blueprint("measure_talk", __name__)


def _public_measure_or_404(measure_id: int):
    """Only published measures are followed and discussed: a draft is its editors' alone."""
    measure = get_measure_or_404(measure_id)
    if not measure.is_public:
        abort(404)
    return measure


def _back(measure, message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for("measures.show", measure_id=measure.id) + f"#{anchor}", code=303)


@bp.route("/measures/<int:measure_id>/follow", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def follow(measure_id: int):
    measure = _public_measure_or_404(measure_id)
    refusal = contributor_refusal()
    if refusal:  # following sends mail: confirmed addresses only
        return refusal
    if not EmptyForm().validate_on_submit():
        abort(400)
    discussion.follow(current_user, measure)
    return _back(measure, _("You follow this measure: you will hear of its updates."), "follow")


@bp.route("/measures/<int:measure_id>/unfollow", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def unfollow(measure_id: int):
    """Stopping is always possible, even for a blocked account."""
    measure = _public_measure_or_404(measure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    discussion.unfollow(current_user, measure)
    return _back(measure, _("You no longer follow this measure."), "follow")


@bp.route("/measures/<int:measure_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def comment(measure_id: int):
    measure = _public_measure_or_404(measure_id)
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not discussion.comments_open(measure):
        return refuse(discussion.closed_sentence())
    return post_from_request(
        url_for("measure_talk.comment", measure_id=measure.id),
        lambda comment: url_for("measures.show", measure_id=measure.id, page="last") + f"#{comment.anchor}",
        measure=measure,
    )
