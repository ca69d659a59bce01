"""The action concept at ten times its realistic size, for `flask seed scale` (bench/scale.py runs
it as a step): 2,000 measures of all organisations (programmes with sub-measures, progress set
directly or from milestones), milestones, indicators with their values, dated updates, the
public timeline of all of it, and ten published interim reports with their frozen rows, one per
half-year back from the first half of 2026. Set-based inserts, seeded random numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from participation.accounts.models import User, UserRole
from participation.extensions import db

PROGRAMME_EVERY = 25  # every 25th measure is a programme whose next four measures are its parts
PARTS = 4
STATUS_PATHS = [  # where a measure's status goes, in order, and how often
    (("planned",), 8),
    (("planned", "preparing"), 12),
    (("planned", "preparing", "implementing"), 45),
    (("planned", "implementing", "completed"), 18),
    (("planned", "preparing", "implementing", "paused"), 7),
    (("planned", "implementing", "stopped"), 5),
    (("planned", "preparing", "implementing", "paused", "implementing"), 5),
]
REASONS = {
    "preparing": "Vergabe vorbereitet (scale).",
    "implementing": "Auftrag erteilt, Umsetzung läuft (scale).",
    "completed": "Abgeschlossen und abgenommen (scale).",
    "paused": "Fördermittel noch nicht bewilligt (scale).",
    "stopped": "Priorität gesenkt, Mittel umgeschichtet (scale).",
}
THINGS = [
    ("Glasfaser für Schulen", "Fibre for schools"),
    ("Online-Antrag", "Online application"),
    ("Sensoren im Stadtgebiet", "Sensors across the city"),
    ("Ladepunkte", "Charging points"),
    ("Offene Daten", "Open data"),
    ("Digitallotsen", "Digital guides"),
    ("E-Akte", "Electronic files"),
    ("WLAN an Plätzen", "Wi-Fi in squares"),
    ("Start-up-Förderung", "Start-up support"),
    ("Füllstandsmessung", "Fill-level metering"),
    ("Messeplattform", "Trade-fair platform"),
    ("Barrierefreie Formulare", "Accessible forms"),
]
UNITS = [("%", "%"), ("Anzahl", "number"), ("Leistungen", "services"), ("Gateways", "gateways")]
FIRST_DAY, LAST_DAY = date(2021, 1, 4), date(2026, 6, 30)
SCALE_ORGANISATIONS = [(f"Scale Amt {n} (scale)", "city_office") for n in range(1, 9)] + [
    (f"Scale Gesellschaft {n} (scale)", "municipal_company") for n in range(1, 5)
]


def _moment(day: date, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=minute)


def half_years(count: int) -> list[tuple[date, date]]:
    """`count` reporting periods, oldest first, ending with the first half of 2026."""
    periods, year, first_half = [], 2026, True
    for _ in range(count):
        periods.append((date(year, 1, 1), date(year, 6, 30)) if first_half else (date(year, 7, 1), date(year, 12, 31)))
        year, first_half = (year - 1, False) if first_half else (year, True)
    return list(reversed(periods))


def _organisations(run) -> list[int]:
    from participation.organisations.models import Organisation

    names = set(db.session.scalars(select(Organisation.name)))
    rows = [
        {"name": name, "kind": kind, "description": "", "created_at": run.now} for name, kind in SCALE_ORGANISATIONS
    ]
    rows = [row for row in rows if row["name"] not in names]
    if rows:
        db.session.execute(insert(Organisation.__table__), rows)
    return list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))


def _history(rng, created: date, path: tuple) -> list[tuple[date, str]]:
    """The days the measure reached each status of its path after the first."""
    day, steps = created, []
    for status in path[1:]:
        day = min(day + timedelta(days=rng.randrange(20, 300)), LAST_DAY + timedelta(days=150))
        steps.append((day, status))
    return steps


def _progress_steps(rng, created: date, statuses: list, final_status: str) -> list[tuple[date, int]]:
    """Progress set directly, rising over time; 100 once completed."""
    if final_status == "planned":
        return []
    start = statuses[0][0] if statuses else created
    end = statuses[-1][0] if final_status in ("completed", "stopped") else LAST_DAY + timedelta(days=150)
    span = max((end - start).days, 1)
    value, steps = 0, []
    for n in range(rng.randrange(2, 8)):
        value = min(value + rng.randrange(3, 25), 95)
        steps.append((start + timedelta(days=span * (n + 1) // 9), value))
    if final_status == "completed":
        steps.append((end, 100))
    return steps


def scale_measures(run) -> str:
    """See the module's docstring; left as it is when scale measures exist."""
    from participation.drafts.models import TOPICS
    from participation.measures.models import Indicator, Measure, Milestone
    from participation.proposals.models import DISTRICTS

    count = run.sizes.get("measures", 0)
    if not count:
        return "measures: none asked for"
    if db.session.scalar(select(Measure.id).where(Measure.external_id.like("scale-%")).limit(1)):
        return "measures: scale measures exist already, left as they are"
    rng = run.rng
    run.now = datetime.now(UTC)
    organisations = _organisations(run)
    planner = db.session.scalar(
        select(User.id).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == "planner").limit(1)
    )
    paths, weights = zip(*STATUS_PATHS, strict=True)
    topics, districts = list(TOPICS), list(DISTRICTS)
    first_id = (db.session.scalar(select(func.max(Measure.id))) or 0) + 1
    measures, plans = [], []
    for n in range(count):
        ident = first_id + n
        programme_of = ident - n % PROGRAMME_EVERY if 0 < n % PROGRAMME_EVERY <= PARTS else None
        # nearly all exist by the last report; a few are newer than it
        late = rng.random() < 0.03
        created = (
            LAST_DAY + timedelta(days=rng.randrange(1, 100))
            if late
            else FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        )
        if programme_of is not None:
            created = max(created, measures[n - n % PROGRAMME_EVERY]["_created"])
        path = rng.choices(paths, weights)[0]
        statuses = _history(rng, created, path)
        mode = "submeasures" if n % PROGRAMME_EVERY == 0 and n + 1 < count else "milestones" if n % 7 == 3 else "direct"
        thing = rng.choice(THINGS)
        place = rng.choice(districts)
        measures.append(
            {
                "id": ident,
                "external_id": f"scale-{n}",
                "title_de": f"{thing[0]} {n} (scale)",
                "title_en": f"{thing[1]} {n} (scale)",
                "description_de": f"Maßnahme {n}: {thing[0]} in {DISTRICTS[place]}. Umsetzung in Etappen.",
                "description_en": f"Measure {n}: {thing[1]}, {place}. Delivered in stages.",
                "topic": rng.choice(topics),
                "chapter_lineage": None,
                "organisation_id": rng.choice(organisations),
                "inside_administration": rng.random() < 0.6,
                "status": statuses[-1][1] if statuses else path[0],
                "starts_on": created + timedelta(days=rng.randrange(10, 120)),
                "planned_end_on": created + timedelta(days=rng.randrange(300, 1500)),
                "budget_eur": float(rng.randrange(50, 50_000) * 1000) if rng.random() < 0.7 else None,
                "district": place,
                "progress_mode": mode,
                "progress_set": 0,
                "progress": 0,
                "weight": float(rng.choice((1, 1, 1, 2, 3))),
                "parent_id": programme_of,
                "published_at": _moment(created + timedelta(days=7)) if rng.random() < 0.99 else None,
                "created_at": _moment(created),
                "updated_at": _moment(created),
                "created_by_id": planner,
                "_created": created,
            }
        )
        plans.append({"statuses": statuses, "progress": []})
    milestones, indicators = [], []
    for measure, plan in zip(measures, plans, strict=True):
        created, final = measure["_created"], measure["status"]
        if measure["progress_mode"] == "direct":
            plan["progress"] = _progress_steps(rng, created, plan["statuses"], final)
            measure["progress_set"] = measure["progress"] = plan["progress"][-1][1] if plan["progress"] else 0
        elif measure["progress_mode"] == "milestones":
            stones, reached = rng.randrange(2, 6), []
            for k in range(stones):
                planned = created + timedelta(days=120 * (k + 1))
                done = final == "completed" or (final != "planned" and rng.random() < 0.5 and planned < LAST_DAY)
                achieved = planned + timedelta(days=rng.randrange(-20, 60)) if done else None
                milestones.append(
                    {
                        "measure_id": measure["id"],
                        "title_de": f"Etappe {k + 1}",
                        "title_en": f"Stage {k + 1}",
                        "planned_on": planned,
                        "achieved_on": achieved,
                        "weight": 1.0,
                        "_n": k,
                    }
                )
                if achieved:
                    reached.append(achieved)
            for value, day in enumerate(sorted(reached), start=1):
                plan["progress"].append((day, round(100 * value / stones)))
            measure["progress"] = plan["progress"][-1][1] if plan["progress"] else 0
        if rng.random() < 0.7:
            unit = rng.choice(UNITS)
            target = 100.0 if unit[0] == "%" else float(rng.randrange(50, 5000))
            indicators.append(
                {
                    "measure_id": measure["id"],
                    "position": 0,
                    "title_de": f"Kennzahl zu {measure['title_de']}"[:200],
                    "title_en": f"Indicator of {measure['title_en']}"[:200],
                    "unit_de": unit[0],
                    "unit_en": unit[1],
                    "baseline": round(target * rng.random() * 0.3),
                    "baseline_on": created,
                    "target": target,
                    "target_on": measure["planned_end_on"],
                }
            )
    # a programme's progress: its parts' weighted progress, at each day one of them moved
    by_id = {measure["id"]: (measure, plan) for measure, plan in zip(measures, plans, strict=True)}
    for measure, plan in zip(measures, plans, strict=True):
        if measure["progress_mode"] != "submeasures":
            continue
        parts = [by_id[i] for i in range(measure["id"] + 1, measure["id"] + 1 + PARTS) if i in by_id]
        days = sorted({day for _part, part_plan in parts for day, _value in part_plan["progress"]})
        for day in days:
            pairs = []
            for part, part_plan in parts:
                upto = [value for when, value in part_plan["progress"] if when <= day]
                pairs.append((upto[-1] if upto else 0, part["weight"]))
            total = sum(weight for _value, weight in pairs)
            plan["progress"].append((day, round(sum(v * w for v, w in pairs) / total)))
        measure["progress"] = plan["progress"][-1][1] if plan["progress"] else 0
    from bench.scale_measures_rows import write_measures

    return write_measures(run, measures, plans, milestones, indicators, planner, Measure, Milestone, Indicator)
