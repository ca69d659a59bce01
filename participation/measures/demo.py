"""Demo measures for `flask seed demo`: about 25 measures of the city offices and the municipal
companies, written through the services as the editors would have written them over 2025 and
2026, then dated back: each timeline entry, update and value carries the day it happened, so
interim reports of past periods find the measures as they stood then. Only when there are no
demo measures yet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update

from participation.accounts.models import find_user_by_email
from participation.extensions import db
from participation.measures import services
from participation.measures.demo_data import M as OFFICE_MEASURES
from participation.measures.demo_data_city import FROM_PROPOSAL
from participation.measures.demo_data_city import M as CITY_MEASURES
from participation.measures.models import Measure, MeasureChange
from participation.organisations.models import Organisation

DEMO_MEASURES = OFFICE_MEASURES + CITY_MEASURES
PREFIX = "demo-"
VALUE_DELAY = timedelta(days=9)  # a value is entered some days after it was measured


def when(day: str, minute: int = 0) -> datetime:
    """A working morning in Cologne (09:00 CET is 08:00 UTC), `minute` minutes later."""
    return datetime.fromisoformat(day).replace(hour=8, tzinfo=UTC) + timedelta(minutes=minute)


def dated(moment: datetime, call, *args, **kwargs):
    """Run a service call and date the timeline entries it wrote to `moment`."""
    last = db.session.scalar(select(func.max(MeasureChange.id))) or 0
    result = call(*args, **kwargs)
    db.session.flush()
    db.session.execute(
        update(MeasureChange).where(MeasureChange.id > last).values(created_at=moment),
        execution_options={"synchronize_session": False},
    )
    return result


def _paragraphs_by_topic() -> dict[str, tuple[str, list[str]]]:
    """Version 1's chapters by field of action: the chapter's lineage and its paragraphs' lineages."""
    from participation.drafts.models import Chapter, MasterplanVersion

    first = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == 1))
    if first is None:
        return {}
    chapters = db.session.scalars(select(Chapter).where(Chapter.version_id == first.id).order_by(Chapter.position))
    return {
        chapter.topic: (chapter.lineage_key, [paragraph.lineage_key for paragraph in chapter.paragraphs])
        for chapter in chapters
        if chapter.topic
    }


def _timeline(spec: dict) -> list[tuple[datetime, str, tuple]]:
    """Everything that happened to a measure after it was created and published, in order."""
    steps = []
    for number, (day, field, value, reason) in enumerate(spec.get("events", ())):
        steps.append((when(day, 30 + number), field, (value, reason)))
    for number, stone in enumerate(spec.get("milestones", ())):
        if stone[3]:
            steps.append((when(stone[3], 20 + number), "milestone", (number,)))
    for position, indicator in enumerate(spec.get("indicators", ())):
        for number, (day, value) in enumerate(indicator[9]):
            moment = datetime.combine(date.fromisoformat(day) + VALUE_DELAY, datetime.min.time(), UTC)
            steps.append((moment + timedelta(hours=9, minutes=position * 5 + number), "value", (position, day, value)))
    for number, (day, body_de, body_en) in enumerate(spec.get("updates", ())):
        steps.append((when(day, 120 + number), "update", (body_de, body_en)))
    return sorted(steps, key=lambda step: step[0])


def _create(spec: dict, planner, organisations: dict, parents: dict, chapters: dict, created: datetime) -> Measure:
    lineage, paragraphs = chapters.get(spec["topic"], (None, []))
    values = {
        "external_id": PREFIX + spec["key"],
        "title_de": spec["title"][0],
        "title_en": spec["title"][1],
        "description_de": spec["text"][0],
        "description_en": spec["text"][1],
        "topic": spec["topic"],
        "chapter_lineage": lineage,
        "organisation_id": organisations[spec["org"]].id,
        "inside_administration": spec.get("inside", True),
        "starts_on": date.fromisoformat(spec["start"]),
        "planned_end_on": date.fromisoformat(spec["end"]),
        "budget_eur": spec.get("budget"),
        "district": spec.get("district", "citywide"),
        "progress_mode": spec.get("mode", "direct"),
        "weight": float(spec.get("weight", 1)),
        "parent_id": parents[spec["parent"]].id if spec.get("parent") else None,
    }
    measure = dated(created, services.create_measure, planner, values)
    measure.created_at = created
    for title_de, title_en, planned, _reached, weight in spec.get("milestones", ()):
        stone = {"title_de": title_de, "title_en": title_en, "planned_on": date.fromisoformat(planned)}
        dated(created, services.add_milestone, planner, measure, {**stone, "weight": float(weight)})
    for position, indicator in enumerate(spec.get("indicators", ())):
        title_de, title_en, unit_de, unit_en, baseline, baseline_on, target, target_on = indicator[:8]
        values = {
            "position": position,
            "title_de": title_de,
            "title_en": title_en,
            "unit_de": unit_de,
            "unit_en": unit_en,
            "baseline": float(baseline),
            "baseline_on": date.fromisoformat(baseline_on),
            "target": float(target),
            "target_on": date.fromisoformat(target_on),
        }
        dated(created, services.add_indicator, planner, measure, values)
    if paragraphs:  # the paragraph of its chapter the measure implements, spread over the chapter
        key = paragraphs[sum(map(ord, spec["key"])) % len(paragraphs)]
        dated(created, services.link_paragraph, planner, measure, key)
    return measure


def _publish(measure: Measure, planner, moment: datetime) -> None:
    dated(moment, services.publish_measure, planner, measure)
    measure.published_at = moment


def _step(spec: dict, measure: Measure, actor, moment: datetime, kind: str, args: tuple) -> None:
    if kind == "status":
        dated(moment, services.change_measure, actor, measure, {"status": args[0]}, args[1])
    elif kind == "progress":
        dated(moment, services.change_measure, actor, measure, {"progress_set": args[0]})
    elif kind == "milestone":
        stone = measure.milestones[args[0]]
        reached = date.fromisoformat(spec["milestones"][args[0]][3])
        dated(moment, services.change_milestone, actor, stone, {"achieved_on": reached})
    elif kind == "value":
        indicator = measure.indicators[args[0]]
        source = spec["indicators"][args[0]][8]
        row = dated(
            moment, services.record_value, actor, indicator, date.fromisoformat(args[1]), float(args[2]), source
        )
        row.created_at = moment
    elif kind == "update":
        made = dated(moment, services.post_update, actor, measure, args[0], args[1])
        made.published_at = moment


def seed_demo_measures() -> list[Measure]:
    """The demo's action concept, with its history; nothing when demo measures exist already.
    All measures' histories are replayed together in the order of their dates, so that a
    programme's progress computed from its sub-measures moves as they moved."""
    if db.session.scalar(select(Measure.id).where(Measure.external_id.like(PREFIX + "%")).limit(1)):
        return []
    planner = find_user_by_email("planung@example.org")
    member = find_user_by_email("rheinenergie@example.org")
    organisations = {organisation.name: organisation for organisation in db.session.scalars(select(Organisation))}
    chapters = _paragraphs_by_topic()
    steps = []
    for spec in DEMO_MEASURES:
        steps.append((when(spec["created"]), spec, "create", ()))
        steps.append((when(spec["published"], 5), spec, "publish", ()))
        steps.extend((moment, spec, kind, args) for moment, kind, args in _timeline(spec))
    made: dict[str, Measure] = {}
    for moment, spec, kind, args in sorted(steps, key=lambda step: step[0]):
        if kind == "create":
            made[spec["key"]] = _create(spec, planner, organisations, made, chapters, moment)
        elif kind == "publish":
            _publish(made[spec["key"]], planner, moment)
        else:
            # RheinEnergie's member keeps its measures up to date; the coordinating unit the others
            actor = member if spec["org"] == "RheinEnergie AG" and member is not None else planner
            _step(spec, made[spec["key"]], actor, moment, kind, args)
    from_proposal = _from_proposal(planner, organisations, chapters)
    db.session.flush()
    return [*made.values(), *([from_proposal] if from_proposal else [])]


def _from_proposal(planner, organisations: dict, chapters: dict) -> Measure | None:
    """The measure behind the accepted demo proposal on real-time transport data, written the day
    after the proposal was answered."""
    from participation.core.models import utcnow
    from participation.proposals.models import ACCEPTED, Proposal

    spec = FROM_PROPOSAL
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == spec["proposal"]))
    if proposal is None or proposal.status not in ("accepted", "partly_accepted"):
        if proposal is None:
            return None
        proposal.status = ACCEPTED  # the demo shows the path from an accepted proposal
        proposal.answer = proposal.answer or "Die Stadt nimmt den Vorschlag in das Handlungskonzept auf."
    proposal.answered_at = proposal.answered_at or utcnow() - timedelta(days=2)
    answered = proposal.answered_at
    created = min(answered + timedelta(hours=20), utcnow() - timedelta(hours=3))
    measure = _create(spec, planner, organisations, {}, chapters, created)
    dated(created, services.link_source, planner, measure, proposal_id=proposal.id)
    _publish(measure, planner, created + timedelta(hours=1))
    reason = "Der Vorschlag wurde angenommen; die Schnittstelle wird mit der KVB abgestimmt."
    dated(created + timedelta(hours=2), services.change_measure, planner, measure, {"status": "preparing"}, reason)
    return measure
