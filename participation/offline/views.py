"""Offline input: staff keep the list of sources (workshops, events, letters, phone calls) and
record proposals and comments on a source's behalf (participation.offline.services)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from participation.core.access import permission_required, refuse
from participation.events.models import OfflineSource
from participation.events.services import past, upcoming
from participation.extensions import db
from participation.offline import services
from participation.offline.forms import RecordCommentForm, RecordProposalForm, SourceForm
from participation.offline.permissions import can_record_offline
from participation.proposals.models import PUBLIC_STATUSES, Proposal

bp = Blueprint("offline", __name__)


def get_source_or_404(source_id: int) -> OfflineSource:
    source = db.session.get(OfflineSource, source_id)
    if source is None:
        abort(404)
    return source


@bp.route("/planning/offline", methods=["GET", "POST"])
@permission_required(can_record_offline)
def sources():
    form = SourceForm()
    form.set_events(past() + upcoming())
    if form.validate_on_submit():
        source = services.create_source(current_user, form.values())
        flash(_("The source “%(name)s” is created.", name=source.name), "success")
        return redirect(url_for("offline.source", offline_source_id=source.id), code=303)
    return render_template("offline/sources.html", sources=services.sources(), form=form), 422 if form.errors else 200


def _source_page(source, proposal_form=None, comment_form=None, status=200):
    return render_template(
        "offline/source.html",
        source=source,
        proposal_form=proposal_form or RecordProposalForm(prefix="proposal"),
        comment_form=comment_form or RecordCommentForm(prefix="comment"),
        proposals_open=services.recording_open("proposals"),
        proposals=db.session.scalars(
            db.select(Proposal).where(Proposal.offline_source_id == source.id).order_by(Proposal.id)
        ).all(),
    ), status


@bp.route("/planning/offline/<int:offline_source_id>")
@permission_required(can_record_offline)
def source(offline_source_id: int):
    return _source_page(get_source_or_404(offline_source_id))


@bp.route("/planning/offline/<int:offline_source_id>/proposal", methods=["POST"])
@permission_required(can_record_offline)
def record_proposal(offline_source_id: int):
    source = get_source_or_404(offline_source_id)
    if not services.recording_open("proposals"):
        return refuse(_("No phase for proposals has started yet, so no proposals can be recorded."))
    form = RecordProposalForm(prefix="proposal")
    if not form.validate_on_submit():
        return _source_page(source, proposal_form=form, status=422)
    services.record_proposal(current_user, source, form.title.data, form.body.data, form.topic.data, form.district.data)
    flash(_("The proposal is recorded; it waits for the moderation's approval."), "success")
    return redirect(url_for("offline.source", offline_source_id=source.id), code=303)


@bp.route("/planning/offline/<int:offline_source_id>/comment", methods=["POST"])
@permission_required(can_record_offline)
def record_comment(offline_source_id: int):
    source = get_source_or_404(offline_source_id)
    form = RecordCommentForm(prefix="comment")
    if not form.validate_on_submit():
        return _source_page(source, comment_form=form, status=422)
    if not services.recording_open("proposals") and not services.recording_open("supports"):
        return refuse(_("Proposals are not open for discussion, so no comments can be recorded."))
    proposal = db.session.get(Proposal, form.proposal_id.data)
    if proposal is None or proposal.status not in PUBLIC_STATUSES:
        form.proposal_id.errors.append(_("There is no public proposal with this number."))
        return _source_page(source, comment_form=form, status=422)
    services.record_comment(current_user, source, proposal, form.body.data)
    flash(_("The comment is recorded; it waits for the moderation's approval."), "success")
    return redirect(url_for("offline.source", offline_source_id=source.id), code=303)
