"""The action concept in public: the list of measures with filters and the weighted roll-up,
a measure's page (progress, milestones, indicators, what led to it, its newest changes) and its
whole timeline."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func

from participation.core import composition
from participation.core.models import utcnow
from participation.core.pagination import paginate
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.measures import charts, page
from participation.measures.listing import FACETS, PER_PAGE, SORTS, WHERE, MeasureListing, organisation_options
from participation.measures.loading import get_measure_or_404
from participation.measures.models import PROGRESS_MODES, STATUSES, Measure
from participation.measures.permissions import can_view_measure
from participation.proposals.models import DISTRICTS

bp = Blueprint("measures", __name__)

TIMELINE_PER_PAGE = 50


@bp.route("/massnahmen/")
@bp.route("/massnahmen")
def german_address():
    """The address a German reader would type leads to the list."""
    return redirect(url_for("measures.index"), code=301)


@bp.route("/measures/")
def index():
    listing = MeasureListing.from_args(request.args)
    locale = str(get_locale())
    counts = {facet: listing.counts(facet) for facet in FACETS}
    options = {
        "topic": list(TOPICS.items()),
        "organisation": organisation_options(),
        "status": list(STATUSES.items()),
        "district": list(DISTRICTS.items()),
        "where": list(WHERE.items()),
    }
    return render_template(
        "measures/index.html",
        listing=listing,
        page=paginate(listing.ordered(locale), per_page=PER_PAGE, total=listing.total(counts["status"])),
        counts=counts,
        options=options,
        sorts=SORTS,
        rollup=listing.rollup(),
        topics=TOPICS,
        statuses=STATUSES,
        locale=locale,
    )


@bp.route("/measures/<int:measure_id>")
def show(measure_id: int):
    measure = get_measure_or_404(measure_id)
    locale = str(get_locale())
    indicators = page.indicators(measure)
    updates, update_count = page.updates(measure)
    paragraphs, unplaced = page.paragraphs(measure)
    proposals, comments = page.sources(measure)
    changes, change_count = [], 0
    if measure.is_public:
        timeline = page.timeline(measure)
        change_count = db.session.scalar(timeline.with_only_columns(func.count()).order_by(None)) or 0
        changes = page.told(db.session.scalars(timeline.limit(page.CHANGES_SHOWN)), locale)
    context = {
        "measure": measure,
        "locale": locale,
        "chapter": page.chapter(measure),
        "parent": measure.parent if _visible(measure.parent) else None,
        "children": [child for child in measure.children if _visible(child)],
        "indicators": indicators,
        "charts": {indicator.id: _chart(indicator, locale) for indicator in indicators},
        "updates": updates,
        "update_count": update_count,
        "paragraphs": paragraphs,
        "unplaced_paragraphs": unplaced,
        "source_proposals": proposals,
        "source_comments": comments,
        "changes": changes,
        "change_count": change_count,
        "today": utcnow().date(),
        "topics": TOPICS,
        "districts": DISTRICTS,
        "progress_modes": PROGRESS_MODES,
        "updated_by": page.body_name,
    }
    # what other parts of the measures area add (the editors' links, following, the discussion)
    context.update(composition.gathered("measures.show", measure))
    return render_template("measures/show.html", **context)


@bp.route("/measures/<int:measure_id>/timeline")
def timeline(measure_id: int):
    """Every public change of a measure, newest first, page by page."""
    measure = get_measure_or_404(measure_id)
    locale = str(get_locale())
    changes = None
    if measure.is_public:
        changes = paginate(page.timeline(measure), per_page=TIMELINE_PER_PAGE)
        changes.entries = page.told(changes.items, locale)
    return render_template("measures/timeline.html", measure=measure, changes=changes, locale=locale)


def _visible(measure: Measure | None) -> bool:
    return measure is not None and can_view_measure(current_user, measure)


def _chart(indicator, locale: str):
    return charts.line_chart(
        indicator.localized("title", locale),
        [(value.measured_on, value.value) for value in indicator.values],
        unit=indicator.localized("unit", locale),
        baseline=indicator.baseline,
        target=indicator.target,
        target_on=indicator.target_on,
    )
