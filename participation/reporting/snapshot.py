"""A measure as it stood on a reporting date, read from its public timeline (MeasureChange), and
the snapshot of all of them for a report: a few set-based queries, one bulk insert."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import delete, insert, select

from participation.core.i18n import CITY_TIME
from participation.extensions import db
from participation.measures.models import (
    FINISHED,
    STATUSES,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureChange,
    Milestone,
)
from participation.organisations.models import Organisation
from participation.reporting.models import InterimReport, ReportMeasure

TRACKED = ("status", "progress", "created", "published")
# what a snapshot reads of each measure: columns, not objects (2,000 of them in a few queries)
_COLUMNS = (
    "id",
    "title_de",
    "title_en",
    "topic",
    "inside_administration",
    "district",
    "starts_on",
    "planned_end_on",
    "status",
    "progress",
    "weight",
    "parent_id",
    "created_at",
    "published_at",
)


def day_end(day: date) -> datetime:
    """The first moment after the reporting day in Cologne, in UTC: what happened before it counts."""
    return datetime.combine(day + timedelta(days=1), time(0), CITY_TIME).astimezone(UTC)


def value_as_of(changes, moment: datetime, current):
    """The value at `moment` from a field's changes [(created_at, before, after)] in order: the
    last change before it gives its `after`; with none, the first later change its `before`; with
    no change at all, the current value."""
    last = None
    for created_at, before, after in changes:
        if created_at < moment:
            last = after
            continue
        return last if last is not None else before
    return last if last is not None else current


def first_moment(changes, fallback: datetime | None) -> datetime | None:
    """When something first happened (its first timeline entry), else the column that says so."""
    return changes[0][0] if changes else fallback


def _status(value, current: str) -> str:
    return value if value in STATUSES else current


def _progress(value, current: int) -> int:
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return current
    return min(max(number, 0), 100)


def is_delayed(status: str, planned_end_on: date | None, milestones: list[dict], on: date) -> bool:
    """Planned end or a milestone's planned date passed on `on` without the measure being finished
    or the milestone reached."""
    if status in FINISHED:
        return False
    if planned_end_on is not None and planned_end_on < on:
        return True
    return any(not stone["reached"] and date.fromisoformat(stone["planned_on"]) < on for stone in milestones)


def _timelines(moment_ids) -> dict:
    """{measure_id: {field: [(created_at, before, after), ...]}} for the tracked fields."""
    found: dict = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(
        select(
            MeasureChange.measure_id,
            MeasureChange.field,
            MeasureChange.created_at,
            MeasureChange.before,
            MeasureChange.after,
        )
        .where(
            MeasureChange.subject == "measure",
            MeasureChange.field.in_(TRACKED),
            MeasureChange.measure_id.in_(moment_ids),
        )
        .order_by(MeasureChange.measure_id, MeasureChange.created_at, MeasureChange.id)
    )
    for measure_id, field, created_at, before, after in rows:
        found[measure_id][field].append((created_at, before, after))
    return found


def _milestones(measure_ids, on: date) -> dict:
    found = defaultdict(list)
    rows = db.session.scalars(
        select(Milestone).where(Milestone.measure_id.in_(measure_ids)).order_by(Milestone.planned_on, Milestone.id)
    )
    for stone in rows:
        reached = stone.achieved_on is not None and stone.achieved_on <= on
        found[stone.measure_id].append(
            {
                "title_de": stone.title_de,
                "title_en": stone.title_en,
                "planned_on": stone.planned_on.isoformat(),
                "achieved_on": stone.achieved_on.isoformat() if reached else None,
                "reached": reached,
                "weight": stone.weight,
            }
        )
    return found


def _indicators(measure_ids, on: date) -> dict:
    values = defaultdict(list)
    for indicator_id, measured_on, value in db.session.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.measured_on, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.measure_id.in_(measure_ids), IndicatorValue.measured_on <= on)
        .order_by(IndicatorValue.indicator_id, IndicatorValue.measured_on)
    ):
        values[indicator_id].append([measured_on.isoformat(), value])
    found = defaultdict(list)
    for indicator in db.session.scalars(
        select(Indicator).where(Indicator.measure_id.in_(measure_ids)).order_by(Indicator.position, Indicator.id)
    ):
        found[indicator.measure_id].append(
            {
                "id": indicator.id,
                "title_de": indicator.title_de,
                "title_en": indicator.title_en,
                "unit_de": indicator.unit_de,
                "unit_en": indicator.unit_en,
                "baseline": indicator.baseline,
                "target": indicator.target,
                "target_on": indicator.target_on.isoformat() if indicator.target_on else None,
                "values": values.get(indicator.id, []),
            }
        )
    return found


def snapshot_rows(on: date) -> list[dict]:
    """One row (as for ReportMeasure) per measure that existed and was published on `on`, as it
    stood then."""
    moment = day_end(on)
    published = select(Measure.id).where(Measure.published_at.is_not(None))
    measures = db.session.execute(
        select(*(getattr(Measure, name) for name in _COLUMNS), Organisation.name)
        .join(Organisation, Organisation.id == Measure.organisation_id)
        .where(Measure.published_at.is_not(None))
        .order_by(Measure.topic, Measure.id)
    ).all()
    timelines = _timelines(published)
    present = []
    for *values, organisation_name in measures:
        measure = SimpleNamespace(**dict(zip(_COLUMNS, values, strict=True)))
        timeline = timelines.get(measure.id, {})
        created = first_moment(timeline.get("created", []), measure.created_at)
        published_at = first_moment(timeline.get("published", []), measure.published_at)
        if created < moment and published_at < moment:
            present.append((measure, organisation_name, timeline))
    ids = [measure.id for measure, _name, _timeline in present]
    milestones, indicators = _milestones(published, on), _indicators(published, on)
    rows = []
    for measure, organisation_name, timeline in present:
        status = _status(value_as_of(timeline.get("status", []), moment, measure.status), measure.status)
        progress = _progress(value_as_of(timeline.get("progress", []), moment, measure.progress), measure.progress)
        data = {
            "id": measure.id,
            "title_de": measure.title_de,
            "title_en": measure.title_en,
            "organisation": organisation_name,
            "inside_administration": measure.inside_administration,
            "district": measure.district,
            "starts_on": measure.starts_on.isoformat() if measure.starts_on else None,
            "parent": measure.parent_id if measure.parent_id in ids else None,
            "milestones": milestones.get(measure.id, []),
            "indicators": indicators.get(measure.id, []),
        }
        data["delayed"] = is_delayed(status, measure.planned_end_on, data["milestones"], on)
        rows.append(
            {
                "measure_id": measure.id,
                "topic": measure.topic,
                "status": status,
                "progress": progress,
                "weight": measure.weight,
                "planned_end_on": measure.planned_end_on,
                "data": json.dumps(data, ensure_ascii=False),
            }
        )
    return rows


def take_snapshot(report: InterimReport) -> int:
    """Replace the rows of a draft report with a snapshot at its reporting date."""
    if report.is_published:
        raise RuntimeError("the rows of a published interim report never change")
    db.session.execute(delete(ReportMeasure).where(ReportMeasure.report_id == report.id))
    rows = snapshot_rows(report.period_end)
    if rows:
        db.session.execute(insert(ReportMeasure), [dict(row, report_id=report.id) for row in rows])
    return len(rows)
