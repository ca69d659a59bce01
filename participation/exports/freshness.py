"""When the open data go out of date: whenever something public is taken back. A proposal or
comment that is hidden, withdrawn, deleted or leaves the public statuses, a public text that is
edited (its old wording is no longer public), an incorporation changed or removed: the flush that
writes it raises the open data's revision in the same transaction, so no ZIP made before is
served again (participation.exports.open_data). New contributions do not: they join the file
with the next one made (nightly, by `flask export open-data`).

The action concept is different: a measure's figures are what the open data are read for, and an
outdated progress or status misleads as much as a hidden text. So any change to a public measure
or its parts (milestones, indicators, values, updates, linked paragraphs and contributions), a
measure published, and an interim report published (participation.reporting.open_data.changes)
raise the revision too; a draft's changes do not. The flush is watched by the one revision
listener (participation.core.cache.revisions), which raises OPEN_DATA when `changes` names it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.cache import revisions
from participation.core.models import utcnow
from participation.drafts.models import MasterplanVersion
from participation.exports.models import STATE_ID, OpenDataState
from participation.incorporation.models import Incorporation
from participation.measures.models import (
    Indicator,
    IndicatorValue,
    Measure,
    MeasureChange,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
    Milestone,
)
from participation.proposals.models import PUBLIC_STATUSES, Proposal

# what of each the open data hold besides the status
TEXTS = {Proposal: ("title", "body", "answer"), Comment: ("body", "answer")}


def _public(obj, status) -> bool:
    return status in PUBLIC_STATUSES if isinstance(obj, Proposal) else status == PUBLISHED_COMMENT


def _taken_back(session: Session, obj) -> bool:
    """Whether a change to a proposal or comment removes or rewrites something public."""
    state = inspect(obj)
    status = state.attrs.status.history
    was = status.deleted[0] if status.deleted else obj.status
    if not _public(obj, was):
        return False
    if not _public(obj, obj.status):
        return True
    for name in TEXTS[type(obj)]:
        history = state.attrs[name].history
        if history.deleted and history.deleted[0] not in (None, "") and history.added != history.deleted:
            return True
    return False


# a part changed with plain SQL (a paragraph unlinked) still leaves its entry on the timeline
MEASURE_PARTS = (
    Measure,
    Milestone,
    Indicator,
    IndicatorValue,
    MeasureUpdate,
    MeasureParagraph,
    MeasureSource,
    MeasureChange,
)


def _measure_of(session: Session, obj) -> Measure | None:
    if isinstance(obj, Measure):
        return obj
    if isinstance(obj, IndicatorValue):
        obj = obj.indicator
        if obj is None:
            return None
    if isinstance(obj, Milestone | Indicator | MeasureUpdate) and obj.measure is not None:
        return obj.measure
    return session.get(Measure, obj.measure_id) if obj.measure_id is not None else None


def _public_measure_changed(session: Session, obj) -> bool:
    """Whether a change to a measure or one of its parts shows in the open data: the measure is
    public, or was until this flush."""
    if obj in session.dirty and not session.is_modified(obj):
        return False
    measure = _measure_of(session, obj)
    if measure is None:
        return False
    if measure.published_at is not None:
        return True
    published = inspect(measure).attrs.published_at.history
    return bool(published.deleted and published.deleted[0] is not None)


def out_of_date(session: Session) -> bool:
    for obj in session.deleted:
        if isinstance(obj, Proposal | Comment | Incorporation | MasterplanVersion):
            return True
    for obj in session.dirty:
        if isinstance(obj, Incorporation) and session.is_modified(obj):
            return True
        if isinstance(obj, Proposal | Comment) and session.is_modified(obj) and _taken_back(session, obj):
            return True
    for group in (session.new, session.dirty, session.deleted):
        for obj in group:
            if isinstance(obj, MEASURE_PARTS) and _public_measure_changed(session, obj):
                return True
    return False


def mark_out_of_date(connection) -> None:
    """Raise the revision (the row is made when missing, as on a database made by create_all)."""
    table = OpenDataState.__table__
    changed = connection.execute(
        update(table).where(table.c.id == STATE_ID).values(revision=table.c.revision + 1, changed_at=utcnow())
    )
    if changed.rowcount == 0:
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        connection.execute(
            insert(table)
            .values(id=STATE_ID, revision=1, changed_at=utcnow())
            .on_conflict_do_update(index_elements=["id"], set_={"revision": table.c.revision + 1})
        )


def revision(session: Session) -> int:
    return session.scalar(select(revision_query())) or 0


def revision_query():
    """The revision as a scalar subquery, for pages that read it together with other figures."""
    return select(OpenDataState.revision).where(OpenDataState.id == STATE_ID).scalar_subquery()


# also what the public pages of the action concept are kept under (participation.measures.views)
OPEN_DATA = revisions.Revision("open data", lambda connection, ids: mark_out_of_date(connection), revision)


def changes(session: Session) -> Iterator[revisions.Change]:
    if out_of_date(session):
        yield OPEN_DATA.name, STATE_ID
