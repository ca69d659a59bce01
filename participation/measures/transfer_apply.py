"""Applying an import plan through the services, so that the public timeline and the audit log
keep every change as if it had been typed in; one "measure_imported" decision sums it up.
Only a plan without problems is applied, and the caller's transaction makes it all or nothing."""

from __future__ import annotations

from types import SimpleNamespace

from participation.core.audit import record_decision
from participation.measures import services
from participation.measures.models import Indicator, Measure
from participation.measures.transfer import INDICATORS, MEASURES, MILESTONES, VALUES
from participation.measures.transfer_plan import CREATE, UPDATE, Plan, Row


class PlanHasProblems(RuntimeError):
    pass


def _creation_order(rows: list[Row]) -> list[Row]:
    """New measures with their parents first, when the parent is new too (the plan refused cycles)."""
    ordered, placed = [], set()

    def place(row: Row, depth: int = 0) -> None:
        if id(row) in placed or depth > len(rows):
            return
        parent = row.values.get("parent_id")
        if isinstance(parent, Row) and parent.action == CREATE:
            place(parent, depth + 1)
        placed.add(id(row))
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def _resolved(values: dict, made: dict[int, object]) -> dict:
    parent = values.get("parent_id")
    if isinstance(parent, Row):
        return values | {"parent_id": made[id(parent)].id}
    return values


def _owner(row: Row, made: dict[int, object]):
    return made[id(row.owner)] if isinstance(row.owner, Row) else row.owner


def apply_plan(plan: Plan, actor, import_id: int = 0) -> dict:
    """Write what the plan says; returns its counts. Flushes, never commits."""
    if not plan.ok:
        raise PlanHasProblems(f"{len(plan.problems)} problems")
    made: dict[int, object] = {}  # id(row) -> the record made for it
    measures = plan.rows[MEASURES]
    for row in _creation_order([row for row in measures if row.action == CREATE]):
        measure = services.create_measure(actor, _resolved(row.values, made))
        made[id(row)] = measure
        if row.publish:
            services.publish_measure(actor, measure)
    for row in measures:
        if row.action != UPDATE:
            continue
        measure: Measure = row.record
        if row.values:
            services.change_measure(actor, measure, _resolved(row.values, made), row.reason)
        if row.publish:
            services.publish_measure(actor, measure)
    for row in plan.rows[MILESTONES]:
        if row.action == CREATE:
            made[id(row)] = services.add_milestone(actor, _owner(row, made), row.values)
        elif row.action == UPDATE:
            services.change_milestone(actor, row.record, row.values)
    for row in plan.rows[INDICATORS]:
        if row.action == CREATE:
            made[id(row)] = services.add_indicator(actor, _owner(row, made), row.values)
        elif row.action == UPDATE:
            services.change_indicator(actor, row.record, row.values)
    for row in plan.rows[VALUES]:
        if row.action in (CREATE, UPDATE):
            indicator: Indicator = _owner(row, made)
            values = row.values
            services.record_value(actor, indicator, values["measured_on"], values["value"], values["source"])
    counts = plan.counts()
    record_decision(
        actor,
        "measure_imported",
        SimpleNamespace(__tablename__="measure_import", id=import_id),
        note=plan.filename[:255],
        after=counts,
    )
    return counts
