"""The action concept in the open data: published measures with their milestones, indicators and
measured values, updates, the paragraphs of the plan they implement and the public contributions
behind them. Drafts never appear, nor their parts; no person is named (an update says which body
it was written for, never who wrote it). Rows are read in batches by primary key
(participation.exports.rows.batches); every column is described in NOTES for the README."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.orm import aliased

from participation.core.spreadsheet import DATETIME, NUMBER, Column, Sheet
from participation.drafts.models import PREPARING, TOPICS, Chapter, MasterplanVersion, Paragraph
from participation.exports.rows import batches, label, link
from participation.extensions import db
from participation.measures.models import (
    PROGRESS_MODES,
    STATUSES,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
    Milestone,
)
from participation.measures.public import public_sources, source_entry
from participation.organisations.models import KINDS as ORGANISATION_KINDS
from participation.organisations.models import Organisation
from participation.proposals.models import DISTRICTS

# what the open-data page says the file holds besides the contributions (the reports are lent)
LABELS = [
    _l("Measures of the action concept: milestones, indicators and measured values, updates, the paragraphs "
       "they implement and the contributions they grew from"),
    _l("Published interim reports with every measure as it stood at the reporting date"),
]  # fmt: skip
ID = "Laufende Nummer / running number"
MEASURE = "Nr. der Maßnahme (measures.csv) / number of the measure (measures.csv)"
TITLE_DE, TITLE_EN = (
    "Titel auf Deutsch / title in German",
    "Titel auf Englisch (leer: nur Deutsch) / title in English (empty: German only)",
)
EXTERNAL = "Kennung in den Systemen der Stadt (leer: keine) / id in the city's own systems (empty: none)"
# table.column -> what it means, in German and English
NOTES = {
    "measures.id": "Nr. der Maßnahme, wie in der Adresse ihrer Seite / the measure's number, as in its page's address",
    "measures.external_id": EXTERNAL,
    "measures.title_de": TITLE_DE,
    "measures.title_en": TITLE_EN,
    "measures.description_de": "Beschreibung (Markdown) auf Deutsch / description (Markdown) in German",
    "measures.description_en": "Beschreibung (Markdown) auf Englisch / description (Markdown) in English",
    "measures.topic": "Handlungsfeld (Thema des Masterplans) / field of action (topic of the masterplan)",
    "measures.chapter_lineage": (
        "Kennung des Kapitels des Masterplans über alle Versionen (lineage, wie in der API) / the masterplan "
        "chapter's key across all versions (lineage, as in the API)"
    ),
    "measures.responsible": (
        "Verantwortliche Stelle (Amt oder Organisation) / responsible body (office or organisation)"
    ),
    "measures.responsible_kind": "Art der verantwortlichen Stelle / kind of the responsible body",
    "measures.inside_administration": (
        "ja: Digitalisierung innerhalb der Verwaltung, nein: außerhalb / yes (ja): digitalisation inside the "
        "administration, no (nein): outside"
    ),
    "measures.status": "Stand der Umsetzung / state of implementation",
    "measures.starts_on": "Beginn / start date",
    "measures.planned_end_on": "Geplantes Ende / planned end date",
    "measures.budget_eur": "Budget in Euro (leer: nicht angegeben) / budget in euros (empty: not stated)",
    "measures.district": "Stadtbezirk, in dem sie gilt, oder stadtweit / city district where it applies, or city-wide",
    "measures.progress_mode": (
        "Wie der Fortschritt ermittelt wird: direkt gesetzt, aus Meilensteinen oder aus Teilmaßnahmen (gewichtet) / "
        "how progress is found: set directly, from the milestones or from the sub-measures (weighted)"
    ),
    "measures.progress": "Fortschritt in % / progress in %",
    "measures.weight": "Gewicht in Zusammenfassungen / weight in roll-ups",
    "measures.parent_id": (
        "Nr. der Maßnahme, zu der sie gehört (leer: keine) / number of the measure it is part of (empty: none)"
    ),
    "measures.published_at": "Veröffentlicht am / published at",
    "measures.updated_at": "Zuletzt geändert am / last changed at",
    "measures.url": "Adresse der Maßnahme auf der Plattform / the measure's address on the platform",
    "milestones.id": ID,
    "milestones.measure_id": MEASURE,
    "milestones.external_id": EXTERNAL,
    "milestones.title_de": TITLE_DE,
    "milestones.title_en": TITLE_EN,
    "milestones.planned_on": "Geplantes Datum / planned date",
    "milestones.achieved_on": "Tatsächlich erreicht am (leer: noch nicht) / actually reached on (empty: not yet)",
    "milestones.weight": "Gewicht im Fortschritt aus Meilensteinen / weight in progress computed from milestones",
    "indicators.id": "Nr. des Indikators / number of the indicator",
    "indicators.measure_id": MEASURE,
    "indicators.external_id": EXTERNAL,
    "indicators.position": "Reihenfolge auf der Seite der Maßnahme / order on the measure's page",
    "indicators.title_de": TITLE_DE,
    "indicators.title_en": TITLE_EN,
    "indicators.unit_de": "Einheit auf Deutsch / unit in German",
    "indicators.unit_en": "Einheit auf Englisch / unit in English",
    "indicators.baseline": "Ausgangswert / baseline",
    "indicators.baseline_on": "Datum des Ausgangswerts / date of the baseline",
    "indicators.target": "Zielwert / target",
    "indicators.target_on": "Zieldatum / target date",
    "indicator_values.id": ID,
    "indicator_values.indicator_id": "Nr. des Indikators (indicators.csv) / number of the indicator (indicators.csv)",
    "indicator_values.measure_id": MEASURE,
    "indicator_values.measured_on": "Stichtag der Messung / date of the measurement",
    "indicator_values.value": "Gemessener Wert (Einheit: indicators.csv) / measured value (unit: indicators.csv)",
    "indicator_values.source": "Quelle des Werts / source of the value",
    "measure_updates.id": ID,
    "measure_updates.measure_id": MEASURE,
    "measure_updates.published_at": "Veröffentlicht am / published at",
    "measure_updates.written_for": (
        "Stelle, für die sie geschrieben wurde (leer: die koordinierende Stelle) / the body it was written for "
        "(empty: the coordinating unit)"
    ),
    "measure_updates.body_de": "Text (Markdown) auf Deutsch / text (Markdown) in German",
    "measure_updates.body_en": "Text (Markdown) auf Englisch / text (Markdown) in English",
    "measure_sources.id": ID,
    "measure_sources.measure_id": MEASURE,
    "measure_sources.kind": (
        "proposal: ein Vorschlag (proposals.csv), comment: ein Kommentar (comments.csv) / proposal: a proposal "
        "(proposals.csv), comment: a comment (comments.csv)"
    ),
    "measure_sources.contribution_id": "Nr. des Vorschlags oder Kommentars / number of the proposal or comment",
    "measure_sources.url": "Adresse des Beitrags auf der Plattform / the contribution's address on the platform",
    "measure_paragraphs.measure_id": MEASURE,
    "measure_paragraphs.lineage": (
        "Kennung des Absatzes über alle Versionen (wie `lineage` in der API) / the paragraph's key across all "
        "versions (as `lineage` in the API)"
    ),
    "measure_paragraphs.version": (
        "Neueste öffentliche Version, die den Absatz enthält (leer: keine) / newest public version holding the "
        "paragraph (empty: none)"
    ),
    "measure_paragraphs.paragraph": (
        "Nr. des Absatzes in dieser Version (3.4) / the paragraph's number in that version (3.4)"
    ),
}


def sheets() -> list[Sheet]:
    return [measures(), milestones(), indicators(), indicator_values(), updates(), sources(), paragraphs()]


def whole(row) -> tuple:
    """Whole numbers kept as floats (budgets, weights, values) without ".0"."""
    return tuple(int(value) if isinstance(value, float) and value.is_integer() else value for value in row)


def _flat(statement, key, convert=tuple):
    for batch in batches(statement, key):
        for row in batch:
            yield whole(convert(row))


def measures() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("external_id", _("External id"), width=16),
        Column("title_de", _("Title (German)"), width=45),
        Column("title_en", _("Title (English)"), width=45),
        Column("description_de", _("Description (German)"), width=60),
        Column("description_en", _("Description (English)"), width=60),
        Column("topic", _("Field of action"), width=24),
        Column("chapter_lineage", _("Chapter of the plan"), width=34),
        Column("responsible", _("Responsible body"), width=30),
        Column("responsible_kind", _("Kind of responsible body"), width=22),
        Column("inside_administration", _("Inside the administration"), width=10),
        Column("status", _("Status"), width=18),
        Column("starts_on", _("Start"), DATETIME, 12),
        Column("planned_end_on", _("Planned end"), DATETIME, 12),
        Column("budget_eur", _("Budget (EUR)"), NUMBER, 14),
        Column("district", _("District"), width=16),
        Column("progress_mode", _("Progress found"), width=24),
        Column("progress", _("Progress (%)"), NUMBER, 10),
        Column("weight", _("Weight"), NUMBER, 8),
        Column("parent_id", _("Part of measure"), NUMBER, 10),
        Column("published_at", _("Published"), DATETIME, 17),
        Column("updated_at", _("Last changed"), DATETIME, 17),
        Column("url", _("Link"), width=40),
    ]
    parent = aliased(Measure)
    statement = (
        select(
            Measure.id,
            Measure.external_id,
            Measure.title_de,
            Measure.title_en,
            Measure.description_de,
            Measure.description_en,
            Measure.topic,
            Measure.chapter_lineage,
            Organisation.name,
            Organisation.kind,
            Measure.inside_administration,
            Measure.status,
            Measure.starts_on,
            Measure.planned_end_on,
            Measure.budget_eur,
            Measure.district,
            Measure.progress_mode,
            Measure.progress,
            Measure.weight,
            # a part of a draft says nothing of it
            case((parent.published_at.is_not(None), Measure.parent_id), else_=None).label("parent_id"),
            Measure.published_at,
            Measure.updated_at,
        )
        .join(Organisation, Organisation.id == Measure.organisation_id)
        .outerjoin(parent, parent.id == Measure.parent_id)
        .where(Measure.published_at.is_not(None))
    )
    yes, no = _("yes"), _("no")

    def row(found):
        return (
            *found[:6],
            label(TOPICS, found.topic),
            found.chapter_lineage,
            found.name,
            label(ORGANISATION_KINDS, found.kind),
            yes if found.inside_administration else no,
            label(STATUSES, found.status),
            found.starts_on,
            found.planned_end_on,
            found.budget_eur,
            label(DISTRICTS, found.district),
            label(PROGRESS_MODES, found.progress_mode),
            found.progress,
            found.weight,
            found.parent_id,
            found.published_at,
            found.updated_at,
            link("measures.show", measure_id=found.id),
        )

    return Sheet("measures", _("Measures"), columns, _flat(statement, Measure.id, row))


def milestones() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("external_id", _("External id"), width=16),
        Column("title_de", _("Title (German)"), width=45),
        Column("title_en", _("Title (English)"), width=45),
        Column("planned_on", _("Planned date"), DATETIME, 12),
        Column("achieved_on", _("Reached on"), DATETIME, 12),
        Column("weight", _("Weight"), NUMBER, 8),
    ]
    statement = (
        select(
            Milestone.id,
            Milestone.measure_id,
            Milestone.external_id,
            Milestone.title_de,
            Milestone.title_en,
            Milestone.planned_on,
            Milestone.achieved_on,
            Milestone.weight,
        )
        .join(Measure, Measure.id == Milestone.measure_id)
        .where(Measure.published_at.is_not(None))
    )
    return Sheet("milestones", _("Milestones"), columns, _flat(statement, Milestone.id))


def indicators() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("external_id", _("External id"), width=16),
        Column("position", _("Position"), NUMBER, 8),
        Column("title_de", _("Title (German)"), width=45),
        Column("title_en", _("Title (English)"), width=45),
        Column("unit_de", _("Unit (German)"), width=14),
        Column("unit_en", _("Unit (English)"), width=14),
        Column("baseline", _("Baseline"), NUMBER, 10),
        Column("baseline_on", _("Baseline date"), DATETIME, 12),
        Column("target", _("Target"), NUMBER, 10),
        Column("target_on", _("Target date"), DATETIME, 12),
    ]
    statement = (
        select(
            Indicator.id,
            Indicator.measure_id,
            Indicator.external_id,
            Indicator.position,
            Indicator.title_de,
            Indicator.title_en,
            Indicator.unit_de,
            Indicator.unit_en,
            Indicator.baseline,
            Indicator.baseline_on,
            Indicator.target,
            Indicator.target_on,
        )
        .join(Measure, Measure.id == Indicator.measure_id)
        .where(Measure.published_at.is_not(None))
    )
    return Sheet("indicators", _("Indicators"), columns, _flat(statement, Indicator.id))


def indicator_values() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("indicator_id", _("Indicator"), NUMBER, 9),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("measured_on", _("Measured on"), DATETIME, 12),
        Column("value", _("Value"), NUMBER, 12),
        Column("source", _("Source"), width=40),
    ]
    statement = (
        select(
            IndicatorValue.id,
            IndicatorValue.indicator_id,
            Indicator.measure_id,
            IndicatorValue.measured_on,
            IndicatorValue.value,
            IndicatorValue.source,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .where(Measure.published_at.is_not(None))
    )
    return Sheet("indicator_values", _("Measured values"), columns, _flat(statement, IndicatorValue.id))


def updates() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("published_at", _("Published"), DATETIME, 17),
        Column("written_for", _("Written for"), width=30),
        Column("body_de", _("Text (German)"), width=60),
        Column("body_en", _("Text (English)"), width=60),
    ]
    statement = (
        select(
            MeasureUpdate.id,
            MeasureUpdate.measure_id,
            MeasureUpdate.published_at,
            Organisation.name,
            MeasureUpdate.body_de,
            MeasureUpdate.body_en,
        )
        .join(Measure, Measure.id == MeasureUpdate.measure_id)
        .outerjoin(Organisation, Organisation.id == MeasureUpdate.organisation_id)
        .where(Measure.published_at.is_not(None))
    )
    return Sheet("measure_updates", _("Updates on measures"), columns, _flat(statement, MeasureUpdate.id))


def sources() -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("kind", _("Kind"), width=10),
        Column("contribution_id", _("Contribution"), NUMBER, 10),
        Column("url", _("Link"), width=40),
    ]

    def row(values):
        entry = source_entry(values)
        return tuple(entry[column.key] for column in columns)

    return Sheet(
        "measure_sources", _("Contributions behind measures"), columns, _flat(public_sources(), MeasureSource.id, row)
    )


def paragraphs() -> Sheet:
    columns = [
        Column("measure_id", _("Measure"), NUMBER, 9),
        Column("lineage", _("Paragraph key"), width=34),
        Column("version", _("Version"), NUMBER, 9),
        Column("paragraph", _("Paragraph"), width=10),
    ]
    statement = (
        select(MeasureParagraph.id, MeasureParagraph.measure_id, MeasureParagraph.lineage_key)
        .join(Measure, Measure.id == MeasureParagraph.measure_id)
        .where(Measure.published_at.is_not(None))
    )
    return Sheet("measure_paragraphs", _("Paragraphs measures implement"), columns, _placed(statement))


def _placed(statement):
    """Each link with where its paragraph stands in the newest public version that holds it."""
    for batch in batches(statement, MeasureParagraph.id):
        keys = {row[2] for row in batch}
        newest: dict[str, tuple[int, str]] = {}
        places = db.session.execute(
            select(Paragraph.lineage_key, MasterplanVersion.number, Chapter.position, Paragraph.position)
            .join(Chapter, Chapter.id == Paragraph.chapter_id)
            .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
            .where(Paragraph.lineage_key.in_(keys), MasterplanVersion.status != PREPARING)
        )
        for key, version, chapter, position in places:
            if key not in newest or newest[key][0] < version:
                newest[key] = (version, f"{chapter}.{position}")
        for _ident, measure_id, key in batch:
            version, number = newest.get(key, (None, None))
            yield measure_id, key, version, number
