"""The published interim reports in the open data: each report (revision, what it corrects) and
its frozen snapshot, one row per measure as it stood at the reporting date. Drafts never appear.

Lent to the open data (participation.lend_parts, "open_data.tables") rather than imported by it:
reporting builds on the exports and statistics, so the exports must not import reporting. For
the same reason the reports' part of the open data's freshness is watched here (`changes`)."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from participation.core.spreadsheet import DATETIME, NUMBER, Column, Sheet
from participation.drafts.models import TOPICS
from participation.exports import freshness
from participation.exports.measure_data import whole
from participation.exports.models import STATE_ID
from participation.exports.rows import batches, label
from participation.measures.models import STATUSES, Measure
from participation.reporting.models import PUBLISHED, InterimReport, ReportMeasure

REPORT = "Nr. des Zwischenberichts (interim_reports.csv) / number of the interim report (interim_reports.csv)"
NOTES = {
    "interim_reports.id": "Nr. des Zwischenberichts / number of the interim report",
    "interim_reports.title_de": "Titel auf Deutsch / title in German",
    "interim_reports.title_en": "Titel auf Englisch (leer: nur Deutsch) / title in English (empty: German only)",
    "interim_reports.period_start": "Beginn des Berichtszeitraums / start of the reporting period",
    "interim_reports.period_end": (
        "Ende des Berichtszeitraums, der Stichtag / end of the reporting period, the reporting date"
    ),
    "interim_reports.revision": "Fassung: 1, bei Korrekturen 2, 3, … / revision: 1, for corrections 2, 3, …",
    "interim_reports.corrects_id": (
        "Nr. des Berichts, den diese Fassung korrigiert (leer: keiner); beide bleiben veröffentlicht / number of "
        "the report this revision corrects (empty: none); both stay published"
    ),
    "interim_reports.correction_note": "Was korrigiert wurde / what was corrected",
    "interim_reports.published_at": "Veröffentlicht am / published at",
    "interim_report_measures.report_id": REPORT,
    "interim_report_measures.measure_id": (
        "Nr. der Maßnahme (measures.csv; leer: inzwischen gelöscht) / number of the measure (measures.csv; empty: "
        "deleted since)"
    ),
    "interim_report_measures.topic": "Handlungsfeld zum Stichtag / field of action at the reporting date",
    "interim_report_measures.status": (
        "Stand der Umsetzung zum Stichtag / state of implementation at the reporting date"
    ),
    "interim_report_measures.progress": "Fortschritt in % zum Stichtag / progress in % at the reporting date",
    "interim_report_measures.weight": "Gewicht in Zusammenfassungen / weight in roll-ups",
    "interim_report_measures.planned_end_on": "Geplantes Ende zum Stichtag / planned end at the reporting date",
}


def tables() -> list[tuple[Sheet, dict[str, str]]]:
    """The report tables with their columns' descriptions (the open data's README)."""
    return [(reports(), NOTES), (snapshots(), NOTES)]


def reports() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("title_de", _("Title (German)"), width=45),
        Column("title_en", _("Title (English)"), width=45),
        Column("period_start", _("Period from"), DATETIME, 12),
        Column("period_end", _("Period until"), DATETIME, 12),
        Column("revision", _("Revision"), NUMBER, 8),
        Column("corrects_id", _("Corrects report"), NUMBER, 10),
        Column("correction_note", _("Note on the correction"), width=40),
        Column("published_at", _("Published"), DATETIME, 17),
    ]
    statement = select(
        InterimReport.id,
        InterimReport.title_de,
        InterimReport.title_en,
        InterimReport.period_start,
        InterimReport.period_end,
        InterimReport.revision,
        InterimReport.corrects_id,
        InterimReport.correction_note,
        InterimReport.published_at,
    ).where(InterimReport.status == PUBLISHED)
    return Sheet("interim_reports", _("Interim reports"), columns, _flat(statement, InterimReport.id))


def snapshots() -> Sheet:
    columns = [
        Column("report_id", _("Interim report"), NUMBER, 9),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("topic", _("Field of action"), width=24),
        Column("status", _("Status"), width=18),
        Column("progress", _("Progress (%)"), NUMBER, 10),
        Column("weight", _("Weight"), NUMBER, 8),
        Column("planned_end_on", _("Planned end"), DATETIME, 12),
    ]
    statement = (
        select(
            ReportMeasure.id,
            ReportMeasure.report_id,
            ReportMeasure.measure_id,
            ReportMeasure.topic,
            ReportMeasure.status,
            ReportMeasure.progress,
            ReportMeasure.weight,
            ReportMeasure.planned_end_on,
        )
        .join(InterimReport, InterimReport.id == ReportMeasure.report_id)
        .where(InterimReport.status == PUBLISHED, public_rows())
    )

    def row(values):
        _ident, report_id, measure_id, topic, status, progress, weight, planned_end = values
        return report_id, measure_id, label(TOPICS, topic), label(STATUSES, status), progress, weight, planned_end

    return Sheet(
        "interim_report_measures", _("Measures in interim reports"), columns, _flat(statement, ReportMeasure.id, row)
    )


def public_rows():
    """Snapshot rows of measures published or deleted since: a draft's row says nothing of it."""
    return or_(
        ReportMeasure.measure_id.is_(None),
        ReportMeasure.measure_id.in_(select(Measure.id).where(Measure.published_at.is_not(None))),
    )


def _flat(statement, key, convert=tuple):
    for batch in batches(statement, key):
        for row in batch:
            yield whole(convert(row))


def changes(session: Session) -> Iterator[tuple[str, int]]:
    """A report published (or a published one deleted, which the models refuse anyway) puts the
    open data out of date, like a new update on a measure."""
    for obj in session.deleted:
        if isinstance(obj, InterimReport) and obj.status == PUBLISHED:
            yield freshness.OPEN_DATA.name, STATE_ID
            return
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, InterimReport) and obj.status == PUBLISHED:
            yield freshness.OPEN_DATA.name, STATE_ID
            return
