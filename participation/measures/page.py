"""What a measure's public page reads: its parts, the paragraphs of the plan it implements (in the
newest public version), the contributions behind it that are still public, and its timeline
from its publication on, told in words (which body, what, from what to what)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.drafts.models import PREPARING, TOPICS, Chapter, MasterplanVersion, Paragraph
from participation.extensions import db
from participation.measures import services
from participation.measures.models import (
    PROGRESS_MODES,
    STATUSES,
    Indicator,
    Measure,
    MeasureChange,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
)
from participation.organisations.models import Organisation
from participation.proposals.models import DISTRICTS, Proposal

UPDATES_SHOWN = 20  # the newest; every update is also an entry of the timeline
CHANGES_SHOWN = 10  # on the measure's page; the timeline page has them all, paginated
TEXT_SHOWN = 300  # characters of a long value (a description) in a timeline entry


def coordinating_unit() -> str:
    return _("Stabsstelle Digitalisierung (coordinating unit)")


def body_name(organisation) -> str:
    """Who acted: the organisation, or the coordinating unit for the planners (never a person)."""
    return organisation.name if organisation is not None else coordinating_unit()


def indicators(measure: Measure) -> list[Indicator]:
    """The indicators with their values, in two queries."""
    return list(
        db.session.scalars(
            select(Indicator)
            .options(selectinload(Indicator.values))
            .where(Indicator.measure_id == measure.id)
            .order_by(Indicator.position, Indicator.id)
        )
    )


def updates(measure: Measure) -> tuple[list[MeasureUpdate], int]:
    statement = select(MeasureUpdate).where(MeasureUpdate.measure_id == measure.id)
    total = db.session.scalar(statement.with_only_columns(func.count())) or 0
    rows = db.session.scalars(
        statement.options(joinedload(MeasureUpdate.organisation))
        .order_by(MeasureUpdate.published_at.desc(), MeasureUpdate.id.desc())
        .limit(UPDATES_SHOWN)
    )
    return list(rows), total


def paragraphs(measure: Measure) -> tuple[list[Paragraph], int]:
    """The paragraphs it implements as the newest public version has them, in the order of the
    plan, and how many links point at paragraphs no public version holds."""
    keys = list(
        db.session.scalars(select(MeasureParagraph.lineage_key).where(MeasureParagraph.measure_id == measure.id))
    )
    found = _paragraphs_by_lineage(keys)
    shown = sorted(found.values(), key=lambda p: (p.chapter.position, p.position))
    return shown, len(keys) - len(shown)


def _paragraphs_by_lineage(keys) -> dict[str, Paragraph]:
    if not keys:
        return {}
    rows = db.session.scalars(
        select(Paragraph)
        .join(Chapter, Chapter.id == Paragraph.chapter_id)
        .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
        .options(joinedload(Paragraph.chapter).joinedload(Chapter.version))
        .where(Paragraph.lineage_key.in_(list(keys)), MasterplanVersion.status != PREPARING)
        .order_by(MasterplanVersion.number.desc(), Paragraph.id)
    )
    found: dict = {}
    for row in rows:
        found.setdefault(row.lineage_key, row)
    return found


def chapter(measure: Measure) -> Chapter | None:
    """The chapter its field of action belongs to, as the newest public version has it."""
    if not measure.chapter_lineage:
        return None
    return db.session.scalar(
        select(Chapter)
        .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
        .where(Chapter.lineage_key == measure.chapter_lineage, MasterplanVersion.status != PREPARING)
        .order_by(MasterplanVersion.number.desc())
        .limit(1)
    )


def comment_is_public(comment: Comment) -> bool:
    """Published, and where it stands can be read: a public proposal, a public version's
    chapter, a published measure."""
    if comment.status != PUBLISHED_COMMENT:
        return False
    if comment.proposal_id is not None:
        return comment.proposal is not None and comment.proposal.is_public
    if comment.chapter_id is not None:
        return comment.chapter is not None and comment.chapter.version.is_public
    if getattr(comment, "measure_id", None) is not None:
        owner = db.session.get(Measure, comment.measure_id)
        return owner is not None and owner.is_public
    return False


def sources(measure: Measure) -> tuple[list[Proposal], list[Comment]]:
    """The proposals and comments behind it that are still public (hidden, withdrawn, deleted and
    waiting ones are left out)."""
    rows = db.session.scalars(
        select(MeasureSource)
        .options(
            joinedload(MeasureSource.proposal),
            joinedload(MeasureSource.comment).joinedload(Comment.proposal),
            joinedload(MeasureSource.comment).joinedload(Comment.chapter).joinedload(Chapter.version),
            joinedload(MeasureSource.comment).joinedload(Comment.author),
        )
        .where(MeasureSource.measure_id == measure.id)
        .order_by(MeasureSource.id)
    ).unique()
    proposals, comments = [], []
    for row in rows:
        if row.proposal is not None and row.proposal.is_public:
            proposals.append(row.proposal)
        elif row.comment is not None and comment_is_public(row.comment):
            comments.append(row.comment)
    return proposals, comments


# the timeline -----------------------------------------------------------------------------------


@dataclass
class Entry:
    when: object
    who: str
    subject: str
    subject_title: str
    field: str
    before: str
    after: str
    reason: str


def timeline(measure: Measure):
    """The public part of its changes: from its publication on, newest first."""
    return (
        select(MeasureChange)
        .options(joinedload(MeasureChange.organisation))
        .where(MeasureChange.measure_id == measure.id, MeasureChange.created_at >= measure.published_at)
        .order_by(MeasureChange.created_at.desc(), MeasureChange.id.desc())
    )


def told(changes, locale: str) -> list[Entry]:
    """The changes in words; names of organisations and measures they point at in two queries."""
    changes = list(changes)
    organisation_ids = {_int(c.before) for c in changes if c.field == "organisation_id"}
    organisation_ids |= {_int(c.after) for c in changes if c.field == "organisation_id"}
    measure_ids = {_int(c.before) for c in changes if c.field == "parent_id"}
    measure_ids |= {_int(c.after) for c in changes if c.field == "parent_id"}
    names = _names(Organisation, Organisation.name, organisation_ids)
    public_measures = (
        {
            m.id: m.title(locale)
            for m in db.session.scalars(
                select(Measure).where(Measure.id.in_(measure_ids - {None}), Measure.published_at.is_not(None))
            )
        }
        if measure_ids - {None}
        else {}
    )
    lookups = {"organisation_id": names, "parent_id": public_measures}
    return [
        Entry(
            when=change.created_at,
            who=body_name(change.organisation),
            subject=str(services.SUBJECTS.get(change.subject, change.subject)),
            subject_title=change.subject_title if change.subject not in ("measure", "update") else "",
            field=str(services.FIELDS.get(change.field, change.field)),
            before=_value(change, change.before, lookups),
            after=_value(change, change.after, lookups),
            reason=change.reason,
        )
        for change in changes
    ]


def _names(model, column, ids) -> dict:
    ids = {ident for ident in ids if ident is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_LABELS = {"status": STATUSES, "topic": TOPICS, "district": DISTRICTS, "progress_mode": PROGRESS_MODES}


def _value(change: MeasureChange, value: str | None, lookups: dict) -> str:
    """A stored value as a reader understands it: labels for keys, names for ids, dates and
    numbers in the reader's language; references to the plan or contributions in general words."""
    if value is None or value == "":
        return ""
    field = change.field
    if change.subject == "source":
        return _("a proposal") if value.startswith("proposal") else _("a comment")
    if change.subject == "paragraph":
        return _("a paragraph of the plan")
    if field in _LABELS:
        return str(_LABELS[field].get(value, value))
    if field in lookups:
        return lookups[field].get(_int(value), "–")
    if field == "inside_administration":
        return _("yes") if value == "1" else _("no")
    if field in ("progress", "progress_set"):
        return f"{value} %"
    if field == "chapter_lineage":
        return _("a chapter of the plan")
    if field in ("starts_on", "planned_end_on", "planned_on", "achieved_on", "baseline_on", "target_on"):
        try:
            return format_date(date.fromisoformat(value), "medium")
        except ValueError:
            return value
    if field == "budget_eur":
        try:
            return f"{format_decimal(float(value))} €"
        except ValueError:
            return value
    return value if len(value) <= TEXT_SHOWN else value[: TEXT_SHOWN - 1].rstrip() + "…"
