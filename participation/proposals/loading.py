"""The proposal of a request, or 404 where the reader may not see it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from participation.extensions import db
from participation.proposals.models import Proposal
from participation.proposals.permissions import can_view_proposal


def get_proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if not can_view_proposal(current_user, proposal):
        abort(404)
    return proposal
