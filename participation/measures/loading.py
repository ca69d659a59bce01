"""The measure of a request, or 404 where the reader may not see it, 403 where they may not
change it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from participation.extensions import db
from participation.measures.models import Measure
from participation.measures.permissions import can_edit_measure, can_view_measure


def get_measure_or_404(measure_id: int) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if not can_view_measure(current_user, measure):
        abort(404)
    return measure


def get_editable_measure_or_404(measure_id: int) -> Measure:
    """404 for a draft the person may not see, 403 for a public measure they may not change."""
    measure = get_measure_or_404(measure_id)
    if not can_edit_measure(current_user, measure):
        abort(403)
    return measure
