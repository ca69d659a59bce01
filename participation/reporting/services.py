"""Interim reports: created with a snapshot of every public measure at the reporting date and the
participation figures of the period, edited as drafts (a text per field of action), published
once and never changed after; a correction is a new revision. Services flush, never commit."""

from __future__ import annotations

import json
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.reporting import period
from participation.reporting.models import (
    DRAFT,
    NOTE_MAX,
    PUBLISHED,
    TITLE_MAX,
    InterimReport,
    ReportMeasure,
    ReportSection,
)
from participation.reporting.snapshot import take_snapshot

TEXT_MAX = 20_000  # an editorial text per field of action and language


class ReportError(ValueError):
    """A change the rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _refuse_published(report: InterimReport) -> None:
    """Refuse a change to a published report. The row is read afresh and locked (PostgreSQL), so
    that a publication racing this change in another request is seen, not overwritten."""
    if report.id is not None:
        db.session.refresh(report, with_for_update=True)
    if report.is_published:
        raise ReportError("", str(_l("A published report never changes. Publish a correction instead.")))


def _check_values(values: dict) -> None:
    if not (values.get("title_de") or "").strip():
        raise ReportError("title_de", str(_l("Please enter a German title.")))
    for name in ("title_de", "title_en"):
        if len(values.get(name) or "") > TITLE_MAX:
            raise ReportError(name, str(_l("Please use at most %(max)d characters.", max=TITLE_MAX)))
    start, end = values.get("period_start"), values.get("period_end")
    if not isinstance(start, date) or not isinstance(end, date):
        raise ReportError("period_start", str(_l("Please enter the period's first and last day.")))
    if end < start:
        raise ReportError("period_end", str(_l("The period cannot end before it starts.")))


def superseded_ids() -> set[int]:
    """The published reports that a published correction replaces."""
    return set(
        db.session.scalars(
            select(InterimReport.corrects_id).where(
                InterimReport.status == PUBLISHED, InterimReport.corrects_id.is_not(None)
            )
        )
    )


def previous_for(period_end: date, exclude: set[int] = frozenset()) -> InterimReport | None:
    """The newest published report (its current revision) with an earlier reporting date."""
    replaced = superseded_ids() | set(exclude)
    candidates = db.session.scalars(
        select(InterimReport)
        .where(InterimReport.status == PUBLISHED, InterimReport.period_end < period_end)
        .order_by(InterimReport.period_end.desc(), InterimReport.revision.desc(), InterimReport.id.desc())
    )
    return next((report for report in candidates if report.id not in replaced), None)


def _freeze(report: InterimReport) -> None:
    _compare_with_newest(report)
    take_snapshot(report)
    report.participation = json.dumps(period.figures(report.period_start, report.period_end))
    report.snapshot_taken_at = utcnow()
    db.session.flush()


def _compare_with_newest(report: InterimReport) -> None:
    """The report it is compared with: the newest published one before it, as of now (another
    report may have been published since this draft was made)."""
    previous = previous_for(report.period_end, exclude={report.id} if report.id else set())
    report.previous_id = previous.id if previous else None


def create_report(actor, values: dict) -> InterimReport:
    _check_values(values)
    report = InterimReport(
        title_de=values["title_de"].strip(),
        title_en=(values.get("title_en") or "").strip(),
        period_start=values["period_start"],
        period_end=values["period_end"],
        status=DRAFT,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(report)
    db.session.flush()
    _freeze(report)
    record_decision(
        actor,
        "report_created",
        report,
        after={
            "title_de": report.title_de,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
        },
    )
    return report


def refresh_snapshot(actor, report: InterimReport) -> None:
    _refuse_published(report)
    _freeze(report)
    record_decision(actor, "report_changed", report, after={"snapshot": report.snapshot_taken_at.isoformat()})


def set_section(actor, report: InterimReport, topic: str, text_de: str, text_en: str) -> ReportSection:
    """The editorial text on one field of action."""
    _refuse_published(report)
    if topic not in TOPICS:
        raise ReportError("topic", str(_l("Please choose a field of action from the list.")))
    for name, text in (("text_de", text_de), ("text_en", text_en)):
        if len(text or "") > TEXT_MAX:
            raise ReportError(name, str(_l("Please use at most %(max)d characters.", max=TEXT_MAX)))
    section = next((s for s in report.sections if s.topic == topic), None)
    before = {"text_de": section.text_de, "text_en": section.text_en} if section else None
    if section is None:
        section = ReportSection(topic=topic)
        report.sections.append(section)
    section.text_de, section.text_en = (text_de or "").strip(), (text_en or "").strip()
    db.session.flush()
    record_decision(
        actor,
        "report_changed",
        report,
        note=topic,
        before=before,
        after={"text_de": section.text_de, "text_en": section.text_en},
    )
    return section


def publish_report(actor, report: InterimReport) -> None:
    _refuse_published(report)
    if report.corrects_id is not None:
        corrected = db.session.get(InterimReport, report.corrects_id)
        if corrected is not None and corrected.id in superseded_ids():
            raise ReportError("", str(_l("That report has already been corrected by another revision.")))
    _compare_with_newest(report)
    report.status = PUBLISHED
    report.published_at = utcnow()
    db.session.flush()
    record_decision(actor, "report_published", report, after={"revision": report.revision})


def delete_report(actor, report: InterimReport) -> None:
    """Only drafts are deleted; a published report is kept."""
    _refuse_published(report)
    record_decision(actor, "report_deleted", report, before={"title_de": report.title_de})
    db.session.execute(delete(ReportMeasure).where(ReportMeasure.report_id == report.id))
    db.session.delete(report)
    db.session.flush()


def open_correction(report: InterimReport) -> InterimReport | None:
    """A draft revision that corrects `report`, if one is being prepared."""
    return db.session.scalar(
        select(InterimReport).where(InterimReport.corrects_id == report.id, InterimReport.status == DRAFT)
    )


def correct_report(actor, report: InterimReport, note: str) -> InterimReport:
    """A new draft revision of a published report: the same period and texts, a fresh snapshot,
    and a note saying what it corrects. Published, it replaces the old one in lists."""
    note = (note or "").strip()
    if not report.is_published:
        raise ReportError("note", str(_l("Only a published report is corrected; a draft is simply changed.")))
    if not note:
        raise ReportError("note", str(_l("Please say what the correction changes.")))
    if len(note) > NOTE_MAX:
        raise ReportError("note", str(_l("Please use at most %(max)d characters.", max=NOTE_MAX)))
    if report.id in superseded_ids():
        raise ReportError("note", str(_l("This revision has already been corrected: correct the newest one.")))
    if open_correction(report) is not None:
        raise ReportError("note", str(_l("A correction of this report is already being prepared.")))
    revision = InterimReport(
        title_de=report.title_de,
        title_en=report.title_en,
        period_start=report.period_start,
        period_end=report.period_end,
        status=DRAFT,
        revision=report.revision + 1,
        corrects_id=report.id,
        correction_note=note,
        previous_id=report.previous_id,
        created_by_id=getattr(actor, "id", None),
    )
    for section in report.sections:
        revision.sections.append(ReportSection(topic=section.topic, text_de=section.text_de, text_en=section.text_en))
    db.session.add(revision)
    db.session.flush()
    _freeze(revision)
    record_decision(actor, "report_created", revision, note=note, after={"corrects": report.id})
    return revision


def rows_of(report: InterimReport | None) -> list[ReportMeasure]:
    if report is None:
        return []
    return list(
        db.session.scalars(select(ReportMeasure).where(ReportMeasure.report_id == report.id).order_by(ReportMeasure.id))
    )


def published_reports() -> list[InterimReport]:
    """Every published report, newest reporting date and revision first."""
    return list(
        db.session.scalars(
            select(InterimReport)
            .where(InterimReport.status == PUBLISHED)
            .order_by(InterimReport.period_end.desc(), InterimReport.revision.desc(), InterimReport.id.desc())
        )
    )
