"""The public list of measures (the action concept): filters and sort orders read from the query
string (allow-lists only), the page of results, how many results each filter value gives, and
the weighted roll-up of what the filters leave."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import joinedload

from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.measures import services
from participation.measures.models import STATUSES, Measure
from participation.organisations.models import Organisation
from participation.proposals.models import DISTRICTS

PER_PAGE = 25
INSIDE, OUTSIDE = "inside", "outside"
WHERE = {INSIDE: _l("Inside the administration"), OUTSIDE: _l("Outside the administration")}
BY_TOPIC, BY_TITLE, BY_PROGRESS, BY_END = "topic", "title", "progress", "end"
SORTS = {
    BY_TOPIC: _l("By field of action"),
    BY_TITLE: _l("By title"),
    BY_PROGRESS: _l("Most progress first"),
    BY_END: _l("Planned end, soonest first"),
}
# the filters, in the order the form shows them
FACETS = ("topic", "organisation", "status", "district", "where")
_COLUMNS = {
    "topic": Measure.topic,
    "organisation": Measure.organisation_id,
    "status": Measure.status,
    "district": Measure.district,
    "where": Measure.inside_administration,
}


def _allowed(value, options) -> str:
    return value if isinstance(value, str) and value in options else ""


@dataclass(frozen=True)
class MeasureListing:
    topic: str = ""
    organisation: int | None = None
    status: str = ""
    district: str = ""
    where: str = ""
    sort: str = BY_TOPIC

    @classmethod
    def from_args(cls, args) -> MeasureListing:
        """Unknown values are dropped, never passed on to a query; an organisation is any id
        (a made-up one simply finds nothing)."""
        organisation = args.get("organisation", type=int)
        if organisation is not None and not 0 < organisation < 2**31:
            organisation = None
        return cls(
            topic=_allowed(args.get("topic"), TOPICS),
            organisation=organisation,
            status=_allowed(args.get("status"), STATUSES),
            district=_allowed(args.get("district"), DISTRICTS),
            where=_allowed(args.get("where"), WHERE),
            sort=_allowed(args.get("sort"), SORTS) or BY_TOPIC,
        )

    def value(self, facet: str):
        return getattr(self, facet)

    @property
    def is_filtered(self) -> bool:
        return any(self.value(facet) for facet in FACETS)

    def args(self, **changes) -> dict:
        """The state as query arguments for url_for, without empty or default ones."""
        state = replace(self, **changes)
        values = {f.name: getattr(state, f.name) for f in fields(state)}
        if values["sort"] == BY_TOPIC:
            values["sort"] = None
        return {name: value for name, value in values.items() if value not in (None, "")}

    def _condition(self, facet: str):
        if facet == "where":
            return Measure.inside_administration.is_(self.where == INSIDE)
        return _COLUMNS[facet] == self.value(facet)

    def condition(self, without: str | None = None):
        """Every filter set, except `without`, as one SQL condition (true when none is set)."""
        parts = [self._condition(facet) for facet in FACETS if facet != without and self.value(facet)]
        return and_(*parts) if parts else true()

    def statement(self, without: str | None = None):
        return select(Measure).where(Measure.published_at.is_not(None), self.condition(without))

    def ordered(self, locale: str):
        title = Measure.title_en if locale == "en" else Measure.title_de
        title = func.coalesce(func.nullif(title, ""), Measure.title_de)
        if self.sort == BY_TITLE:
            order = [func.lower(title)]
        elif self.sort == BY_PROGRESS:
            order = [Measure.progress.desc(), func.lower(title)]
        elif self.sort == BY_END:
            # measures without a planned end last, on both databases
            order = [Measure.planned_end_on.is_(None), Measure.planned_end_on, func.lower(title)]
        else:
            order = [Measure.topic, func.lower(title)]
        # the responsible body is joined by the model; the parent's title for sub-measures
        return self.statement().options(joinedload(Measure.parent)).order_by(*order, Measure.id)

    def counts(self, facet: str) -> dict:
        """How many published measures each value of `facet` gives together with the other filters."""
        column = _COLUMNS[facet]
        subquery = self.statement(without=facet).with_only_columns(column.label("value")).subquery()
        rows = db.session.execute(select(subquery.c.value, func.count()).group_by(subquery.c.value))
        found = {value: count for value, count in rows if value is not None}
        if facet == "where":
            return {INSIDE: found.get(True, 0) + found.get(1, 0), OUTSIDE: found.get(False, 0) + found.get(0, 0)}
        return found

    def total(self, status_counts: dict) -> int:
        """The number of results, from the counts per status (which leave out only the status filter)."""
        return status_counts.get(self.status, 0) if self.status else sum(status_counts.values())

    def rollup(self) -> dict:
        """The weighted progress per field of action and overall, of what the filters leave."""
        return services.rollup(self.condition() if self.is_filtered else None)


def organisation_options() -> list[tuple[int, str]]:
    """The responsible bodies that have published measures, by name (one query)."""
    with_measures = select(Measure.organisation_id).where(Measure.published_at.is_not(None))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(with_measures))
        .order_by(Organisation.name, Organisation.id)
    )
    return [(ident, name) for ident, name in rows]


def listing_is_known(listing: MeasureListing) -> bool:
    """Whether the list's organisation (any id is accepted) has published measures: a made-up
    one finds nothing and is not worth keeping (one indexed query, only when one is chosen)."""
    if listing.organisation is None:
        return True
    found = select(Measure.id).where(Measure.organisation_id == listing.organisation, Measure.published_at.is_not(None))
    return db.session.scalar(found.limit(1)) is not None
