"""The action concept in public: the list of measures with filters and the weighted roll-up,
and a measure's page (timeline, milestones, indicators, what led to it)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import select

from participation.core import composition
from participation.extensions import db
from participation.measures.loading import get_measure_or_404
from participation.measures.models import Measure

bp = Blueprint("measures", __name__)


@bp.route("/massnahmen/")
@bp.route("/massnahmen")
def german_address():
    """The address a German reader would type leads to the list."""
    return redirect(url_for("measures.index"), code=301)


@bp.route("/measures/")
def index():
    measures = db.session.scalars(
        select(Measure).where(Measure.published_at.is_not(None)).order_by(Measure.topic, Measure.id)
    )
    return render_template("measures/index.html", measures=list(measures))


@bp.route("/measures/<int:measure_id>")
def show(measure_id: int):
    measure = get_measure_or_404(measure_id)
    # the parts of higher areas and of other pages: the discussion (participation.measures.discussion)
    return render_template("measures/show.html", measure=measure, **composition.gathered("measures.show", measure))
