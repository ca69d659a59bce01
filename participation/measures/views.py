"""The action concept in public: the list of measures with filters and the weighted roll-up,
a measure's page (progress, milestones, indicators, what led to it, its newest changes) and its
whole timeline."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func

from participation.core import composition
from participation.core.cache import fragments
from participation.core.models import utcnow
from participation.core.pagination import page_number, paginate
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.measures import charts, page
from participation.measures.listing import (
    FACETS,
    PER_PAGE,
    SORTS,
    WHERE,
    MeasureListing,
    listing_is_known,
    organisation_options,
)
from participation.measures.loading import get_measure_or_404
from participation.measures.models import PROGRESS_MODES, STATUSES, Measure
from participation.measures.permissions import can_edit_measure, can_view_measure
from participation.measures.public import public_revision
from participation.proposals.models import DISTRICTS

bp = Blueprint("measures", __name__)

TIMELINE_PER_PAGE = 50
SHARED_PAGES = 100  # pages of the list kept for sharing (2,500 measures)


@bp.route("/massnahmen/")
@bp.route("/massnahmen")
def german_address():
    """The address a German reader would type leads to the list."""
    return redirect(url_for("measures.index"), code=301)


@bp.route("/measures/")
def index():
    """Shared by every reader under the public revision (participation.exports.freshness raises
    it with any change to a public measure): the counts and the roll-up are the costly part."""
    listing = MeasureListing.from_args(request.args)
    locale = str(get_locale())
    requested = request.args.get("page", "")

    def context() -> dict:
        counts = {facet: listing.counts(facet) for facet in FACETS}
        options = {
            "topic": list(TOPICS.items()),
            "organisation": organisation_options(),
            "status": list(STATUSES.items()),
            "district": list(DISTRICTS.items()),
            "where": list(WHERE.items()),
        }
        return {
            "listing": listing,
            "page": paginate(listing.ordered(locale), per_page=PER_PAGE, total=listing.total(counts["status"])),
            "counts": counts,
            "options": options,
            "sorts": SORTS,
            "rollup": listing.rollup(),
            "topics": TOPICS,
            "statuses": STATUSES,
            "locale": locale,
        }

    page_key = requested if requested == "last" else page_number()
    if (page_key == "last" or page_key <= SHARED_PAGES) and listing_is_known(listing):
        key = (tuple(sorted(listing.args().items())), page_key, locale, public_revision())
        body = fragments.shared("measures/_index_body.html", key, context)
    else:  # made-up filters or far pages find nothing new: not kept, so they cannot crowd out the rest
        body = fragments.render_now("measures/_index_body.html", **context())
    return fragments.page("measures/index.html", body, page_number=page_number())


@bp.route("/measures/<int:measure_id>")
def show(measure_id: int):
    """What the measure is and where it stands is shared by every reader under the public
    revision and the day (overdue or not); its editors see drafts of its parts and get it
    rendered for them. The discussion is rendered per request."""
    revision = public_revision()  # read first: the measure read after it is at least as new
    measure = get_measure_or_404(measure_id)
    locale = str(get_locale())
    today = utcnow().date()
    editable = can_edit_measure(current_user, measure)
    editors = fragments.render_now("measures/_show_editors.html", measure=measure) if editable else ""
    if measure.is_public and not editable:
        key = (measure.id, revision, locale, today.isoformat())
        fragment = fragments.shared(
            "measures/_show_body.html", key, lambda: _show_context(measure, locale, today, shared=True)
        )
        body = fragments.fill(fragment)  # a reader who is not an editor: no links to fill in
    else:
        body = fragments.render_now(
            "measures/_show_body.html", holes={0: editors}, **_show_context(measure, locale, today)
        )
    context = {"measure": measure, "locale": locale, "body": body}
    # what other parts of the measures area add (following, the discussion)
    context.update(composition.gathered("measures.show", measure))
    return fragments.page("measures/show.html", **context)


def _show_context(measure: Measure, locale: str, today, shared: bool = False) -> dict:
    """A shared part shows public parents and parts only: the reader who renders it may be an
    editor of one of them (and see its draft)."""

    def shown(other: Measure | None) -> bool:
        return other is not None and other.is_public if shared else _visible(other)

    indicators = page.indicators(measure)
    updates, update_count = page.updates(measure)
    paragraphs, unplaced = page.paragraphs(measure)
    proposals, comments = page.sources(measure)
    changes, change_count = [], 0
    if measure.is_public:
        timeline = page.timeline(measure)
        change_count = db.session.scalar(timeline.with_only_columns(func.count()).order_by(None)) or 0
        changes = page.told(db.session.scalars(timeline.limit(page.CHANGES_SHOWN)), locale)
    return {
        "measure": measure,
        "locale": locale,
        "chapter": page.chapter(measure),
        "parent": measure.parent if shown(measure.parent) else None,
        "children": [child for child in measure.children if shown(child)],
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
        "today": today,
        "topics": TOPICS,
        "districts": DISTRICTS,
        "progress_modes": PROGRESS_MODES,
        "updated_by": page.body_name,
    }


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
