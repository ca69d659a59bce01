"""Writing the scale action concept (bench/scale_measures.py) in bulk: the measures and their
parts, indicator values, updates, the timeline of all of it, and the published interim reports
with their frozen rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from participation.extensions import db

BATCH = 5_000
UPDATE_NEWS = ("Vergabe läuft", "Pilot gestartet", "Etappe erreicht", "Verzögerung durch Lieferengpässe")
BUSIEST_SHARE = 0.02  # of all updates and values, on the measure the benchmark shows


def _bulk(table, rows) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def _reset(table: str) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
        )


def _first_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _at(day: date, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=minute)


def as_of(steps: list, day: date, initial):
    """The value a history of (day, value) steps had on `day`."""
    found = initial
    for when, value in steps:
        if when <= day:
            found = value
    return found


def _values_and_updates(run, measures, indicators):
    """Values spread over the indicators and updates over the published measures; the busiest
    measure (the first published one with an indicator) gets a long history of both."""
    from participation.measures.models import IndicatorValue, MeasureUpdate

    rng = run.rng
    wanted_values, wanted_updates = run.sizes.get("indicator_values", 0), run.sizes.get("measure_updates", 0)
    public = [m for m in measures if m["published_at"] is not None]
    by_id = {m["id"]: m for m in measures}
    busiest = next((i["measure_id"] for i in indicators if by_id[i["measure_id"]]["published_at"]), None)
    values, value_id = [], _first_id(IndicatorValue)
    shares = {}
    if indicators:
        extra = int(wanted_values * BUSIEST_SHARE)
        for indicator in indicators:
            shares[indicator["id"]] = (wanted_values - extra) // len(indicators)
        first = next(i for i in indicators if i["measure_id"] == busiest) if busiest else indicators[0]
        shares[first["id"]] += extra + (wanted_values - extra) % len(indicators)
    for indicator in indicators:
        number = shares[indicator["id"]]
        start = indicator["baseline_on"] + timedelta(days=14)
        step = max(1, (date(2026, 11, 15) - start).days // max(number, 1))
        for k in range(number):
            measured = start + timedelta(days=k * step)
            share = (k + 1) / number * rng.uniform(0.5, 0.9)
            values.append(
                {
                    "id": value_id,
                    "indicator_id": indicator["id"],
                    "measured_on": measured,
                    "value": round(indicator["baseline"] + (indicator["target"] - indicator["baseline"]) * share, 1),
                    "source": "Fachamt, Controlling (scale)",
                    "created_at": _at(measured + timedelta(days=7)),
                    "_measure": indicator["measure_id"],
                }
            )
            value_id += 1
    updates, update_id = [], _first_id(MeasureUpdate)
    targets = [busiest] * int(wanted_updates * BUSIEST_SHARE) if busiest else []
    targets += [rng.choice(public)["id"] for _ in range(wanted_updates - len(targets))] if public else []
    for measure_id in targets:
        measure = by_id[measure_id]
        day = measure["_created"] + timedelta(days=rng.randrange(8, 700))
        day = min(day, date(2026, 11, 30))
        updates.append(
            {
                "id": update_id,
                "measure_id": measure_id,
                "author_id": measure["created_by_id"],
                "organisation_id": None,
                "body_de": f"Stand der Umsetzung (scale): {rng.choice(UPDATE_NEWS)}.",
                "body_en": "Progress report (scale).",
                "published_at": _at(day, rng.randrange(600)),
            }
        )
        update_id += 1
    return values, updates, busiest


def _changes(measures, plans, milestones, indicators, values, updates, actor) -> list[dict]:
    rows = []

    def change(measure_id, day_or_moment, field, before=None, after=None, subject="measure", **extra):
        moment = day_or_moment if isinstance(day_or_moment, datetime) else _at(day_or_moment, 30)
        rows.append(
            {
                "measure_id": measure_id,
                "actor_id": actor,
                "organisation_id": None,
                "subject": subject,
                "subject_id": extra.get("subject_id"),
                "subject_title": extra.get("title", ""),
                "field": field,
                "before": before,
                "after": after,
                "reason": extra.get("reason", ""),
                "created_at": moment,
            }
        )

    from bench.scale_measures import REASONS

    for measure, plan in zip(measures, plans, strict=True):
        ident = measure["id"]
        change(ident, measure["created_at"], "created", after=measure["title_de"], title=measure["title_de"])
        if measure["published_at"] is not None:
            change(ident, measure["published_at"], "published", title=measure["title_de"])
        before = "planned"
        for day, status in plan["statuses"]:
            change(ident, day, "status", before, status, title=measure["title_de"], reason=REASONS[status])
            before = status
        before = 0
        for day, value in plan["progress"]:
            change(ident, day, "progress", str(before), str(value), title=measure["title_de"])
            before = value
    for stone in milestones:
        created = stone["_created"]
        change(
            stone["measure_id"],
            created,
            "added",
            after=stone["planned_on"].isoformat(),
            subject="milestone",
            subject_id=stone["id"],
            title=stone["title_de"],
        )
        if stone["achieved_on"]:
            change(
                stone["measure_id"],
                stone["achieved_on"],
                "achieved_on",
                None,
                stone["achieved_on"].isoformat(),
                subject="milestone",
                subject_id=stone["id"],
                title=stone["title_de"],
            )
    for indicator in indicators:
        change(
            indicator["measure_id"],
            indicator["baseline_on"],
            "added",
            after=indicator["title_de"],
            subject="indicator",
            subject_id=indicator["id"],
            title=indicator["title_de"],
        )
    titles = {indicator["id"]: indicator["title_de"] for indicator in indicators}
    for value in values:
        shown = f"{value['value']:g} ({value['measured_on'].isoformat()})"
        change(
            value["_measure"],
            value["created_at"],
            "value",
            after=shown,
            subject="value",
            subject_id=value["id"],
            title=titles[value["indicator_id"]],
        )
    for made in updates:
        change(made["measure_id"], made["published_at"], "added", subject="update", subject_id=made["id"])
    return rows


def _reached(stone: dict, end: date) -> bool:
    return bool(stone["achieved_on"]) and stone["achieved_on"] <= end


def _reports(run, measures, plans, milestones, indicators, values, actor) -> tuple[int, int]:
    from bench.scale_measures import half_years
    from participation.drafts.models import TOPICS
    from participation.organisations.models import Organisation
    from participation.reporting.models import InterimReport, ReportMeasure, ReportSection
    from participation.reporting.snapshot import is_delayed

    periods = half_years(run.sizes.get("interim_reports", 0))
    if not periods:
        return 0, 0
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    stones, shown = {}, {}
    for stone in milestones:
        stones.setdefault(stone["measure_id"], []).append(stone)
    for indicator in indicators:
        shown.setdefault(indicator["measure_id"], []).append(indicator)
    measured = {}
    for value in values:
        measured.setdefault(value["indicator_id"], []).append(value)
    report_id = _first_id(InterimReport)
    reports, rows, sections, previous = [], [], [], None
    for start, end in periods:
        taken = _at(end + timedelta(days=21))
        reports.append(
            {
                "id": report_id,
                "title_de": f"Zwischenbericht {start:%m/%Y}–{end:%m/%Y} (scale)",
                "title_en": f"Interim report {start:%m/%Y}–{end:%m/%Y} (scale)",
                "period_start": start,
                "period_end": end,
                "status": "published",
                "revision": 1,
                "corrects_id": None,
                "correction_note": "",
                "previous_id": previous,
                "participation": "{}",
                "snapshot_taken_at": taken,
                "created_at": taken,
                "created_by_id": actor,
                "published_at": taken + timedelta(days=9),
            }
        )
        cut = _at(end, 23 * 60)
        for measure, plan in zip(measures, plans, strict=True):
            if measure["published_at"] is None or measure["published_at"] > cut:
                continue
            # the keys participation.reporting.snapshot writes, so the pages read scale reports as theirs
            reached_stones = [
                {
                    "title_de": stone["title_de"],
                    "title_en": stone["title_en"],
                    "planned_on": stone["planned_on"].isoformat(),
                    "achieved_on": stone["achieved_on"].isoformat() if _reached(stone, end) else None,
                    "reached": _reached(stone, end),
                    "weight": stone.get("weight", 1.0),
                }
                for stone in stones.get(measure["id"], ())
            ]
            status = as_of(plan["statuses"], end, "planned")
            data = {
                "id": measure["id"],
                "title_de": measure["title_de"],
                "title_en": measure["title_en"],
                "organisation": names.get(measure["organisation_id"], ""),
                "inside_administration": measure["inside_administration"],
                "district": measure["district"],
                "starts_on": measure["starts_on"].isoformat() if measure.get("starts_on") else None,
                "parent": measure["parent_id"],
                "milestones": reached_stones,
                "indicators": [
                    {
                        "id": indicator.get("id"),
                        "title_de": indicator["title_de"],
                        "title_en": indicator["title_en"],
                        "unit_de": indicator["unit_de"],
                        "unit_en": indicator["unit_en"],
                        "baseline": indicator["baseline"],
                        "target": indicator["target"],
                        "target_on": indicator["target_on"].isoformat(),
                        "values": [
                            [value["measured_on"].isoformat(), value["value"]]
                            for value in measured.get(indicator["id"], ())
                            if value["measured_on"] <= end
                        ][-12:],
                    }
                    for indicator in shown.get(measure["id"], ())
                ],
            }
            data["delayed"] = is_delayed(status, measure["planned_end_on"], reached_stones, end)
            rows.append(
                {
                    "report_id": report_id,
                    "measure_id": measure["id"],
                    "topic": measure["topic"],
                    "status": status,
                    "progress": as_of(plan["progress"], end, 0),
                    "weight": measure["weight"],
                    "planned_end_on": measure["planned_end_on"],
                    "data": json.dumps(data, ensure_ascii=False),
                }
            )
        sections.extend(
            {
                "report_id": report_id,
                "topic": topic,
                "text_de": "Die Maßnahmen dieses Handlungsfelds kommen voran (scale).",
                "text_en": "The measures of this field of action are progressing (scale).",
            }
            for topic in TOPICS
        )
        previous = report_id
        report_id += 1
    _bulk(InterimReport.__table__, reports)
    _bulk(ReportMeasure.__table__, rows)
    _bulk(ReportSection.__table__, sections)
    for table in ("interim_report", "interim_report_measure", "interim_report_section"):
        _reset(table)
    return len(reports), len(rows)


def write_measures(run, measures, plans, milestones, indicators, actor, Measure, Milestone, Indicator) -> str:
    from participation.measures.models import IndicatorValue, MeasureChange, MeasureUpdate

    created = {measure["id"]: measure["_created"] for measure in measures}
    stone_id, indicator_id = _first_id(Milestone), _first_id(Indicator)
    for number, stone in enumerate(milestones):
        stone["id"], stone["_created"] = stone_id + number, created[stone["measure_id"]]
    for number, indicator in enumerate(indicators):
        indicator["id"] = indicator_id + number
    values, updates, busiest = _values_and_updates(run, measures, indicators)
    changes = _changes(measures, plans, milestones, indicators, values, updates, actor)

    def plain(rows):
        return [{key: value for key, value in row.items() if not key.startswith("_")} for row in rows]

    _bulk(Measure.__table__, plain(measures))
    _bulk(Milestone.__table__, plain(milestones))
    _bulk(Indicator.__table__, plain(indicators))
    _bulk(IndicatorValue.__table__, plain(values))
    _bulk(MeasureUpdate.__table__, updates)
    _bulk(MeasureChange.__table__, changes)
    for table in (
        "measure",
        "measure_milestone",
        "measure_indicator",
        "measure_indicator_value",
        "measure_update",
        "measure_change",
    ):
        _reset(table)
    reports, rows = _reports(run, measures, plans, milestones, indicators, values, actor)
    parts = sum(1 for measure in measures if measure["parent_id"])
    return (
        f"measures: {len(measures):,} ({parts:,} sub-measures), {len(milestones):,} milestones, "
        f"{len(indicators):,} indicators with {len(values):,} values, {len(updates):,} updates, "
        f"{len(changes):,} timeline entries (measure {busiest} the busiest); {reports} interim reports "
        f"with {rows:,} rows"
    )
