"""The exchange format of measures: four tables with the same columns for export and import.

    measures    one row per measure
    milestones  one row per milestone, naming its measure by external id
    indicators  one row per indicator (what it measures, baseline, target), naming its measure
    values      one row per measured value, naming its indicator by external id and a date

As XLSX, one sheet per table; as CSV, a ZIP with one file per table (measures.csv, ...); a single
CSV file is one of the tables (told by its headings). The headings are the column keys below,
the same in every language. Every row is named by its external id: a row whose id is known
updates, an unknown id creates, an empty id creates without one. A record that has no external
id is exported as "M-<number>" (measures), "MS-<number>" (milestones) or "I-<number>"
(indicators); such an id finds the record again on import, and new records may not take one.
Values are named by their indicator and their date. An import never deletes anything.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participation.core import spreadsheet
from participation.core.spreadsheet import NUMBER, TEXT, Sheet
from participation.core.spreadsheet import Column as SheetColumn
from participation.extensions import db
from participation.measures.models import Indicator, Measure
from participation.measures.services import stored

MEASURES, MILESTONES, INDICATORS, VALUES = "measures", "milestones", "indicators", "values"
TABLES = (MEASURES, MILESTONES, INDICATORS, VALUES)
TABLE_NAMES = {
    MEASURES: _l("measures"),
    MILESTONES: _l("milestones"),
    INDICATORS: _l("indicators"),
    VALUES: _l("indicator values"),
}
# the prefix of the ids written for records without an external id, per table
GENERATED = {MEASURES: "M", MILESTONES: "MS", INDICATORS: "I"}
_GENERATED_ID = re.compile(r"^(M|MS|I)-([0-9]{1,12})$")
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class Column:
    key: str  # the heading, in every language
    help: object  # what it holds, for the page that explains the format
    kind: str = TEXT
    width: int = 16


def _c(key, help_, kind=TEXT, width=16) -> Column:
    return Column(key, help_, kind, width)


COLUMNS: dict[str, list[Column]] = {
    MEASURES: [
        _c("external_id", _l("Id in the city's systems; empty for a new measure"), width=14),
        _c("title_de", _l("Title in German (required)"), width=40),
        _c("title_en", _l("Title in English"), width=40),
        _c("description_de", _l("Description in German (Markdown)"), width=50),
        _c("description_en", _l("Description in English (Markdown)"), width=50),
        _c("topic", _l("Field of action: its key (required)")),
        _c("chapter_key", _l("Chapter of the plan: its lineage key, or empty")),
        _c("organisation", _l("Responsible body: the organisation's name as registered (required)"), width=30),
        _c("inside_administration", _l("Inside the administration: ja or nein")),
        _c("status", _l("Status: its key or its name")),
        _c("status_reason", _l("Why the status changes: required when it does")),
        _c("starts_on", _l("Start: 2026-01-31 or 31.01.2026")),
        _c("planned_end_on", _l("Planned end: 2026-01-31 or 31.01.2026")),
        _c("budget_eur", _l("Budget in euros, or empty"), NUMBER),
        _c("district", _l("District key, or citywide")),
        _c("progress_mode", _l("How progress is found: direct, milestones or submeasures")),
        _c("progress_percent", _l("Progress in percent (0 to 100) when set directly"), NUMBER),
        _c("weight", _l("Weight in roll-ups (greater than 0)"), NUMBER),
        _c("parent_external_id", _l("The measure this one is a part of: its external id, or empty")),
        _c("published", _l("Public: ja or nein (a public measure stays public)")),
    ],
    MILESTONES: [
        _c("external_id", _l("Id of the milestone; empty for a new one"), width=14),
        _c("measure_external_id", _l("External id of its measure (required)"), width=14),
        _c("title_de", _l("Title in German (required)"), width=40),
        _c("title_en", _l("Title in English"), width=40),
        _c("planned_on", _l("Planned date (required)")),
        _c("achieved_on", _l("Reached on, or empty")),
        _c("weight", _l("Weight in the measure's progress (greater than 0)"), NUMBER),
    ],
    INDICATORS: [
        _c("external_id", _l("Id of the indicator; empty for a new one"), width=14),
        _c("measure_external_id", _l("External id of its measure (required)"), width=14),
        _c("position", _l("Position among the measure's indicators"), NUMBER),
        _c("title_de", _l("Title in German (required)"), width=40),
        _c("title_en", _l("Title in English"), width=40),
        _c("unit_de", _l("Unit in German")),
        _c("unit_en", _l("Unit in English")),
        _c("baseline", _l("Baseline value"), NUMBER),
        _c("baseline_on", _l("Date of the baseline")),
        _c("target", _l("Target value (required)"), NUMBER),
        _c("target_on", _l("Target date")),
    ],
    VALUES: [
        _c("indicator_external_id", _l("External id of the indicator (required)"), width=14),
        _c("measured_on", _l("Date of the measurement (required)")),
        _c("value", _l("Measured value (required)"), NUMBER),
        _c("source", _l("Where the value comes from"), width=40),
    ],
}
KEYS = {table: [column.key for column in columns] for table, columns in COLUMNS.items()}


def generated_id(table: str, record_id: int) -> str:
    return f"{GENERATED[table]}-{record_id}"


def parse_generated(text: str) -> tuple[str, int] | None:
    """("M", 12) for "M-12": an id the export wrote for a record without an external id."""
    found = _GENERATED_ID.match(text)
    return (found.group(1), int(found.group(2))) if found else None


def exported_id(table: str, record) -> str:
    return record.external_id or generated_id(table, record.id)


def _yes(value: bool) -> str:
    return YES if value else NO


def _number(value, as_numbers: bool):
    """A number as the XLSX cell holds it, or as CSV text (dot decimal, whole numbers without ".0")."""
    if value is None:
        return None
    if as_numbers:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return stored(value)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def measure_row(measure: Measure, parent_ids: dict[int, str], as_numbers: bool) -> tuple:
    return (
        exported_id(MEASURES, measure),
        measure.title_de,
        measure.title_en,
        measure.description_de,
        measure.description_en,
        measure.topic,
        measure.chapter_lineage or "",
        measure.organisation.name,
        _yes(measure.inside_administration),
        measure.status,
        "",
        _day(measure.starts_on),
        _day(measure.planned_end_on),
        _number(measure.budget_eur, as_numbers),
        measure.district,
        measure.progress_mode,
        _number(measure.progress_set, as_numbers),
        _number(measure.weight, as_numbers),
        parent_ids.get(measure.parent_id, "") if measure.parent_id else "",
        _yes(measure.is_public),
    )


def _measures() -> list[Measure]:
    return list(
        db.session.scalars(
            select(Measure)
            .options(
                selectinload(Measure.milestones),
                selectinload(Measure.indicators).selectinload(Indicator.values),
            )
            .order_by(Measure.id)
        )
    )


def sheets(as_numbers: bool) -> list[Sheet]:
    """Every measure, drafts too (column "published"), with its milestones, indicators and values:
    four queries. `as_numbers`: numbers as numbers (XLSX), else as text (CSV)."""
    measures = _measures()
    ids = {measure.id: exported_id(MEASURES, measure) for measure in measures}

    def measure_rows() -> Iterator[tuple]:
        for measure in measures:
            yield measure_row(measure, ids, as_numbers)

    def milestone_rows() -> Iterator[tuple]:
        for measure in measures:
            for stone in measure.milestones:
                yield (
                    exported_id(MILESTONES, stone),
                    ids[measure.id],
                    stone.title_de,
                    stone.title_en,
                    _day(stone.planned_on),
                    _day(stone.achieved_on),
                    _number(stone.weight, as_numbers),
                )

    def indicator_rows() -> Iterator[tuple]:
        for measure in measures:
            for indicator in measure.indicators:
                yield (
                    exported_id(INDICATORS, indicator),
                    ids[measure.id],
                    _number(indicator.position, as_numbers),
                    indicator.title_de,
                    indicator.title_en,
                    indicator.unit_de,
                    indicator.unit_en,
                    _number(indicator.baseline, as_numbers),
                    _day(indicator.baseline_on),
                    _number(indicator.target, as_numbers),
                    _day(indicator.target_on),
                )

    def value_rows() -> Iterator[tuple]:
        for measure in measures:
            for indicator in measure.indicators:
                for row in indicator.values:
                    yield (
                        exported_id(INDICATORS, indicator),
                        _day(row.measured_on),
                        _number(row.value, as_numbers),
                        row.source,
                    )

    rows = {MEASURES: measure_rows, MILESTONES: milestone_rows, INDICATORS: indicator_rows, VALUES: value_rows}
    return [
        Sheet(
            key=table,
            name=table,  # the same in every language: the import finds its sheets by these names
            columns=[SheetColumn(c.key, c.key, c.kind, c.width) for c in COLUMNS[table]],
            rows=rows[table](),
        )
        for table in TABLES
    ]


def xlsx_chunks() -> Iterator[bytes]:
    """The workbook, a sheet per table, sent while it is written."""
    return spreadsheet.xlsx_chunks(sheets(as_numbers=True))


def zip_chunks() -> Iterator[bytes]:
    """A ZIP with a CSV file per table (measures.csv, milestones.csv, indicators.csv, values.csv)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets(as_numbers=False):
            with archive.open(f"{sheet.key}.csv", "w") as member:
                for piece in spreadsheet.csv_chunks(sheet):
                    member.write(piece)
    yield buffer.getvalue()


def file_name(extension: str) -> str:
    return f"massnahmen-{datetime.now().strftime('%Y-%m-%d')}.{extension}"
