"""Changing measures: every changed value is kept for the public timeline (MeasureChange) and
goes into the audit log; progress computed from milestones or sub-measures is kept up to date.
Services flush; the request commits once."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from participation.accounts.models import User
from participation.core.audit import record_decision
from participation.core.i18n import N_
from participation.core.models import utcnow
from participation.core.permissions import can_plan
from participation.extensions import db
from participation.mail.notifications import notify
from participation.measures.models import (
    BY_MILESTONES,
    BY_SUBMEASURES,
    STATUSES,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureChange,
    MeasureFollow,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
    Milestone,
)

# what a timeline entry concerns
SUBJECTS = {
    "measure": _l("Measure"),
    "milestone": _l("Milestone"),
    "indicator": _l("Indicator"),
    "value": _l("Measured value"),
    "update": _l("Update"),
    "paragraph": _l("Paragraph of the plan"),
    "source": _l("Contribution behind it"),
}
# the measure's own fields as the timeline names them
FIELDS = {
    "created": _l("created"),
    "published": _l("published"),
    "removed": _l("removed"),
    "added": _l("added"),
    "title_de": _l("title (German)"),
    "title_en": _l("title (English)"),
    "description_de": _l("description (German)"),
    "description_en": _l("description (English)"),
    "easy_summary_de": _l("summary in Leichte Sprache"),
    "easy_summary_en": _l("summary in plain English"),
    "topic": _l("field of action"),
    "chapter_lineage": _l("chapter of the plan"),
    "organisation_id": _l("responsible body"),
    "inside_administration": _l("inside the administration"),
    "status": _l("status"),
    "starts_on": _l("start"),
    "planned_end_on": _l("planned end"),
    "budget_eur": _l("budget"),
    "district": _l("district"),
    "progress_mode": _l("how progress is found"),
    "progress_set": _l("progress set directly"),
    "progress": _l("progress"),
    "weight": _l("weight"),
    "parent_id": _l("part of"),
    "external_id": _l("external id"),
    "planned_on": _l("planned date"),
    "achieved_on": _l("reached on"),
    "unit_de": _l("unit (German)"),
    "unit_en": _l("unit (English)"),
    "baseline": _l("baseline"),
    "baseline_on": _l("baseline date"),
    "target": _l("target"),
    "target_on": _l("target date"),
    "value": _l("value"),
    "source": _l("source"),
}
# changing these means the progress must be computed again
_PROGRESS_FIELDS = {"progress_mode", "progress_set", "parent_id", "weight"}


class MeasureError(ValueError):
    """A change the rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def stored(value) -> str | None:
    """A value as the timeline keeps it: dates as ISO dates, whole numbers without ".0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def acting_for(actor, measure: Measure) -> int | None:
    """The body a change is shown under: None for the coordinating unit (planners, and the
    command line, which has no actor), else the responsible organisation whose member made it."""
    return None if actor is None or can_plan(actor) else measure.organisation_id


def _title_of(subject: str, obj) -> str:
    if subject in ("measure", "milestone", "indicator"):
        return obj.title_de
    if subject == "value":
        return obj.indicator.title_de if obj.indicator else ""
    return ""


def _log(actor, measure, subject, obj, field, before, after, reason="") -> MeasureChange:
    change = MeasureChange(
        measure_id=measure.id,
        actor_id=getattr(actor, "id", None),
        organisation_id=acting_for(actor, measure),
        subject=subject,
        subject_id=getattr(obj, "id", None),
        subject_title=_title_of(subject, obj)[:200],
        field=field,
        before=before,
        after=after,
        reason=reason,
        created_at=utcnow(),
    )
    db.session.add(change)
    return change


def track(actor, measure: Measure, subject: str, obj, values: dict, reason: str = "") -> dict:
    """Set `values` on `obj` (the measure or one of its parts); every value that differs is
    kept on the timeline. Returns {field: (before, after)} as stored."""
    changed = {}
    for field, value in values.items():
        before, after = stored(getattr(obj, field)), stored(value)
        if before == after:
            continue
        setattr(obj, field, value)
        changed[field] = (before, after)
    if "parent_id" in changed or "measure_id" in changed:
        db.session.flush()  # the relationships follow the new key (progress reads them next)
    for field, (before, after) in changed.items():
        _log(actor, measure, subject, obj, field, before, after, reason)
    return changed


def _audit(actor, action: str, measure: Measure, changed: dict, reason: str = "") -> None:
    record_decision(
        actor,
        action,
        measure,
        reason=reason[:500] or None,
        before={field: pair[0] for field, pair in changed.items()},
        after={field: pair[1] for field, pair in changed.items()},
    )


def _check_parent(measure: Measure, parent_id: int | None) -> None:
    """A measure is no part of itself, not even through its sub-measures."""
    seen = {measure.id}
    current = db.session.get(Measure, parent_id) if parent_id else None
    while current is not None:
        if current.id in seen:
            raise MeasureError("parent_id", str(_l("A measure cannot be a part of itself or of its own parts.")))
        seen.add(current.id)
        current = current.parent


def create_measure(actor, values: dict) -> Measure:
    measure = Measure(created_by_id=getattr(actor, "id", None), **values)
    db.session.add(measure)
    db.session.flush()
    _log(actor, measure, "measure", measure, "created", None, measure.title_de)
    recompute_progress(measure, actor)
    record_decision(actor, "measure_created", measure, after={k: stored(v) for k, v in values.items()})
    return measure


def change_measure(actor, measure: Measure, values: dict, reason: str = "") -> dict:
    """Change the measure's own fields. A new status needs a reason (why it was stopped, paused,
    completed, ...); it is kept with the change."""
    if "status" in values and values["status"] not in STATUSES:
        raise MeasureError("status", str(_l("Please choose a status from the list.")))
    if "status" in values and values["status"] != measure.status and not reason.strip():
        raise MeasureError("reason", str(_l("Please say why the status changes.")))
    if "parent_id" in values and values["parent_id"] != measure.parent_id:
        _check_parent(measure, values["parent_id"])
    old_parent = measure.parent
    changed = track(actor, measure, "measure", measure, values, reason.strip())
    if changed:
        _audit(actor, "measure_changed", measure, changed, reason.strip())
    if changed.keys() & _PROGRESS_FIELDS:
        recompute_progress(measure, actor)
        if old_parent is not None and old_parent is not measure.parent:
            recompute_progress(old_parent, actor)
    return changed


def publish_measure(actor, measure: Measure) -> None:
    if measure.published_at is not None:
        return
    measure.published_at = utcnow()
    _log(actor, measure, "measure", measure, "published", None, None)
    record_decision(actor, "measure_published", measure)
    if measure.parent is not None:  # a published part counts towards its parent's progress now
        recompute_progress(measure.parent, actor)


def delete_measure(actor, measure: Measure) -> None:
    """Only drafts are deleted (the caller checks permissions.can_delete_measure)."""
    record_decision(actor, "measure_deleted", measure, before={"title_de": measure.title_de})
    parent = measure.parent
    for child in list(measure.children):
        child.parent_id = None
    db.session.delete(measure)
    db.session.flush()
    if parent is not None:
        recompute_progress(parent, actor)


# progress -----------------------------------------------------------------------------------


def weighted(pairs) -> int:
    """The weighted mean of (progress, weight) pairs, rounded to whole percent; 0 for none."""
    pairs = [(progress, weight) for progress, weight in pairs if weight and weight > 0]
    total = sum(weight for _, weight in pairs)
    if not total:
        return 0
    return round(sum(progress * weight for progress, weight in pairs) / total)


def computed_progress(measure: Measure) -> int:
    if measure.progress_mode == BY_MILESTONES:
        return weighted((100 if stone.achieved_on else 0, stone.weight) for stone in measure.milestones)
    if measure.progress_mode == BY_SUBMEASURES:
        # a draft part counts once it is published: until then nothing of it shows, not even here
        return weighted((child.progress, child.weight) for child in measure.children if child.is_public)
    return measure.progress_set


def recompute_progress(measure: Measure, actor=None) -> None:
    """Keep `progress` of the measure and of every measure it is a part of; each change of the
    shown progress is on the timeline."""
    seen = set()
    current = measure
    while current is not None and current.id not in seen:
        seen.add(current.id)
        # parts are often set by id (parent_id, measure_id): read afresh what the mode counts
        needed = {BY_MILESTONES: "milestones", BY_SUBMEASURES: "children"}.get(current.progress_mode)
        if needed:
            db.session.flush()
            db.session.refresh(current, [needed])
        value = computed_progress(current)
        if value != current.progress:
            _log(actor, current, "measure", current, "progress", stored(current.progress), stored(value))
            current.progress = value
        current = current.parent


def rollup(statement_filter=None) -> dict:
    """The weighted progress of the published top-level measures per field of action, and over
    all ("all"), with how many measures each figure covers: one grouped query."""
    query = (
        select(
            Measure.topic,
            func.sum(Measure.progress * Measure.weight),
            func.sum(Measure.weight),
            func.count(Measure.id),
        )
        .where(Measure.published_at.is_not(None), Measure.parent_id.is_(None))
        .group_by(Measure.topic)
    )
    if statement_filter is not None:
        query = query.where(statement_filter)
    result, weighted_sum, weights, count = {}, 0.0, 0.0, 0
    for topic, part, weight, number in db.session.execute(query):
        result[topic] = {"progress": round(part / weight) if weight else 0, "measures": number}
        weighted_sum, weights, count = weighted_sum + (part or 0), weights + (weight or 0), count + number
    result["all"] = {"progress": round(weighted_sum / weights) if weights else 0, "measures": count}
    return result


# parts of a measure ---------------------------------------------------------------------------


def add_milestone(actor, measure: Measure, values: dict) -> Milestone:
    stone = Milestone(measure=measure, **values)
    db.session.add(stone)
    db.session.flush()
    _log(actor, measure, "milestone", stone, "added", None, stored(stone.planned_on))
    _audit(actor, "measure_changed", measure, {"milestone": (None, stone.title_de)})
    recompute_progress(measure, actor)
    return stone


def change_milestone(actor, stone: Milestone, values: dict, reason: str = "") -> dict:
    changed = track(actor, stone.measure, "milestone", stone, values, reason)
    if changed:
        _audit(actor, "measure_changed", stone.measure, {f"milestone.{k}": v for k, v in changed.items()}, reason)
        recompute_progress(stone.measure, actor)
    return changed


def remove_milestone(actor, stone: Milestone) -> None:
    measure = stone.measure
    _log(actor, measure, "milestone", stone, "removed", stone.title_de, None)
    _audit(actor, "measure_changed", measure, {"milestone": (stone.title_de, None)})
    measure.milestones.remove(stone)
    db.session.flush()
    recompute_progress(measure, actor)


def add_indicator(actor, measure: Measure, values: dict) -> Indicator:
    indicator = Indicator(measure=measure, **values)
    db.session.add(indicator)
    db.session.flush()
    _log(actor, measure, "indicator", indicator, "added", None, indicator.title_de)
    _audit(actor, "measure_changed", measure, {"indicator": (None, indicator.title_de)})
    return indicator


def change_indicator(actor, indicator: Indicator, values: dict, reason: str = "") -> dict:
    changed = track(actor, indicator.measure, "indicator", indicator, values, reason)
    if changed:
        _audit(actor, "measure_changed", indicator.measure, {f"indicator.{k}": v for k, v in changed.items()}, reason)
    return changed


def remove_indicator(actor, indicator: Indicator) -> None:
    measure = indicator.measure
    _log(actor, measure, "indicator", indicator, "removed", indicator.title_de, None)
    _audit(actor, "measure_changed", measure, {"indicator": (indicator.title_de, None)})
    measure.indicators.remove(indicator)
    db.session.flush()


def record_value(actor, indicator: Indicator, measured_on: date, value: float, source: str = "") -> IndicatorValue:
    """The value measured on a day; a second value for the same day replaces the first (and
    the timeline shows from what to what)."""
    measure = indicator.measure
    existing = db.session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.measured_on == measured_on
        )
    )
    if existing is not None:
        changed = track(actor, measure, "value", existing, {"value": value, "source": source})
        if changed:
            _audit(actor, "measure_changed", measure, {f"value.{k}": v for k, v in changed.items()})
        return existing
    row = IndicatorValue(indicator=indicator, measured_on=measured_on, value=value, source=source)
    db.session.add(row)
    db.session.flush()
    _log(actor, measure, "value", row, "value", None, f"{stored(value)} ({measured_on.isoformat()})")
    _audit(actor, "measure_changed", measure, {"value": (None, f"{stored(value)} ({measured_on.isoformat()})")})
    return row


def remove_value(actor, row: IndicatorValue) -> None:
    measure = row.indicator.measure
    shown = f"{stored(row.value)} ({row.measured_on.isoformat()})"
    _log(actor, measure, "value", row, "removed", shown, None)
    _audit(actor, "measure_changed", measure, {"value": (shown, None)})
    db.session.delete(row)
    db.session.flush()


def link_paragraph(actor, measure: Measure, lineage_key: str) -> bool:
    if db.session.scalar(
        select(MeasureParagraph.id).where(
            MeasureParagraph.measure_id == measure.id, MeasureParagraph.lineage_key == lineage_key
        )
    ):
        return False
    db.session.add(MeasureParagraph(measure_id=measure.id, lineage_key=lineage_key))
    _log(actor, measure, "paragraph", None, "added", None, lineage_key)
    _audit(actor, "measure_changed", measure, {"paragraph": (None, lineage_key)})
    db.session.flush()
    return True


def unlink_paragraph(actor, measure: Measure, lineage_key: str) -> None:
    # through the session, so that the revision watchers (cached proposal pages) see it
    for link in db.session.scalars(
        select(MeasureParagraph).where(
            MeasureParagraph.measure_id == measure.id, MeasureParagraph.lineage_key == lineage_key
        )
    ):
        db.session.delete(link)
    _log(actor, measure, "paragraph", None, "removed", lineage_key, None)
    _audit(actor, "measure_changed", measure, {"paragraph": (lineage_key, None)})
    db.session.flush()


def link_source(actor, measure: Measure, proposal_id: int | None = None, comment_id: int | None = None) -> bool:
    """A proposal or a comment that led to the measure (exactly one of them)."""
    if (proposal_id is None) == (comment_id is None):
        raise ValueError("name a proposal or a comment")
    column = MeasureSource.proposal_id if proposal_id is not None else MeasureSource.comment_id
    key = proposal_id if proposal_id is not None else comment_id
    if db.session.scalar(select(MeasureSource.id).where(MeasureSource.measure_id == measure.id, column == key)):
        return False
    db.session.add(MeasureSource(measure_id=measure.id, proposal_id=proposal_id, comment_id=comment_id))
    shown = f"proposal {proposal_id}" if proposal_id is not None else f"comment {comment_id}"
    _log(actor, measure, "source", None, "added", None, shown)
    _audit(actor, "measure_changed", measure, {"source": (None, shown)})
    db.session.flush()
    return True


def unlink_source(actor, source: MeasureSource) -> None:
    measure = db.session.get(Measure, source.measure_id)
    shown = f"proposal {source.proposal_id}" if source.proposal_id is not None else f"comment {source.comment_id}"
    _log(actor, measure, "source", None, "removed", shown, None)
    _audit(actor, "measure_changed", measure, {"source": (shown, None)})
    db.session.delete(source)
    db.session.flush()


# updates and followers ----------------------------------------------------------------------


def followers(measure: Measure) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(MeasureFollow, MeasureFollow.user_id == User.id)
            .where(MeasureFollow.measure_id == measure.id)
        )
    )


def post_update(actor, measure: Measure, body_de: str, body_en: str = "") -> MeasureUpdate:
    """A dated public update; when the measure is public, its followers are told."""
    update = MeasureUpdate(
        measure=measure,
        author_id=getattr(actor, "id", None),
        organisation_id=acting_for(actor, measure),
        body_de=body_de,
        body_en=body_en,
        published_at=utcnow(),
    )
    db.session.add(update)
    db.session.flush()
    _log(actor, measure, "update", update, "added", None, None)
    _audit(actor, "measure_changed", measure, {"update": (None, str(update.id))})
    if measure.is_public:
        notify(
            followers(measure),
            "measures",
            N_("News on a measure you follow"),
            "measure_updated",
            measure=measure,
            update=update,
        )
    return update


def external_id_owner(external_id: str | None, measure: Measure | None = None) -> Measure | None:
    """The other measure that already carries `external_id` (None when it is free)."""
    if not external_id:
        return None
    statement = select(Measure).where(Measure.external_id == external_id)
    if measure is not None and measure.id is not None:
        statement = statement.where(Measure.id != measure.id)
    return db.session.scalar(statement)


def check_external_id(external_id: str | None, measure: Measure | None = None) -> None:
    """An external id names one measure: an import with it updates that one. Ids shaped like
    those the export writes for records without one ("M-12", "MS-3", "I-7") are kept for that."""
    if external_id and re.fullmatch(r"(M|MS|I)-[0-9]+", external_id.strip()):
        raise MeasureError(
            "external_id",
            str(_l("Ids like M-12 are what the export writes for measures without one. Please choose another.")),
        )
    owner = external_id_owner(external_id, measure)
    if owner is not None:
        raise MeasureError(
            "external_id",
            str(_l("Measure %(number)d already has this external id. Please choose another one.", number=owner.id)),
        )
