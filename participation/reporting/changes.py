"""What changed between two snapshots: new, completed, stopped and delayed measures, progress
and indicator movements. The same computation serves a report (against its previous one) and the
comparison of any two published reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from participation.measures.models import COMPLETED, STATUSES, STOPPED
from participation.measures.services import weighted
from participation.reporting.models import InterimReport, ReportMeasure
from participation.reporting.services import rows_of


@dataclass
class Row:
    """A snapshot row with its JSON read once."""

    measure_id: int
    topic: str
    status: str
    progress: int
    weight: float
    planned_end_on: object
    data: dict

    @classmethod
    def of(cls, row: ReportMeasure) -> Row:
        data = json.loads(row.data or "{}")
        key = row.measure_id if row.measure_id is not None else data.get("id")
        return cls(key, row.topic, row.status, row.progress, row.weight, row.planned_end_on, data)

    def title(self, locale: str) -> str:
        return (self.data.get("title_en") if locale == "en" else "") or self.data.get("title_de", "")

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def is_top_level(self) -> bool:
        return self.data.get("parent") is None

    @property
    def delayed(self) -> bool:
        return bool(self.data.get("delayed"))


@dataclass
class Movement:
    row: Row
    before: float | None
    after: float | None
    indicator: dict | None = None  # for an indicator movement


@dataclass
class Changes:
    new: list[Row] = field(default_factory=list)
    completed: list[Row] = field(default_factory=list)
    stopped: list[Row] = field(default_factory=list)
    delayed: list[tuple[Row, bool]] = field(default_factory=list)  # (row, newly delayed)
    progress: list[Movement] = field(default_factory=list)
    indicators: list[Movement] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.completed or self.stopped or self.delayed or self.progress or self.indicators)

    def for_topic(self, topic: str) -> Changes:
        return Changes(
            [r for r in self.new if r.topic == topic],
            [r for r in self.completed if r.topic == topic],
            [r for r in self.stopped if r.topic == topic],
            [(r, n) for r, n in self.delayed if r.topic == topic],
            [m for m in self.progress if m.row.topic == topic],
            [m for m in self.indicators if m.row.topic == topic],
        )


def rows(measures: list[ReportMeasure]) -> list[Row]:
    return [Row.of(row) for row in measures]


def _last_value(indicator: dict | None) -> float | None:
    values = (indicator or {}).get("values") or []
    return values[-1][1] if values else None


def compare(earlier: list[Row], later: list[Row]) -> Changes:
    """What changed from the snapshot `earlier` (empty: nothing before) to `later`."""
    before = {row.measure_id: row for row in earlier}
    changes = Changes()
    for row in later:
        old = before.get(row.measure_id)
        if old is None:
            changes.new.append(row)
        if row.status == COMPLETED and (old is None or old.status != COMPLETED):
            changes.completed.append(row)
        if row.status == STOPPED and (old is None or old.status != STOPPED):
            changes.stopped.append(row)
        if row.delayed:
            changes.delayed.append((row, old is None or not old.delayed))
        if old is not None and old.progress != row.progress:
            changes.progress.append(Movement(row, old.progress, row.progress))
        old_indicators = {ind.get("id"): ind for ind in (old.data.get("indicators", []) if old else [])}
        for indicator in row.data.get("indicators", []):
            now, then = _last_value(indicator), _last_value(old_indicators.get(indicator.get("id")))
            if now is not None and now != then:
                changes.indicators.append(Movement(row, then, now, indicator))
    return changes


def report_changes(report: InterimReport) -> Changes:
    """What changed since the report's previous one (or since nothing)."""
    return compare(rows(rows_of(report.previous)), rows(rows_of(report)))


def progress_by_topic(snapshot: list[Row]) -> dict:
    """The weighted progress of the top-level measures per field of action and over all ("all")."""
    top = [row for row in snapshot if row.is_top_level]
    result = {}
    for topic in dict.fromkeys(row.topic for row in top):
        mine = [row for row in top if row.topic == topic]
        result[topic] = {"progress": weighted((r.progress, r.weight) for r in mine), "measures": len(mine)}
    result["all"] = {"progress": weighted((r.progress, r.weight) for r in top), "measures": len(top)}
    return result
