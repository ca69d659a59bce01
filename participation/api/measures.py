"""The action concept in the JSON API: published measures (filterable like the public list) with
their milestones, indicators and values, updates, the paragraphs they implement and the public
contributions behind them; the published interim reports with their snapshot rows. Drafts answer
404 like anything else not public. The routes join the "api" blueprint; `paths` and `schemas` are
their part of the OpenAPI document (participation.api.openapi)."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from participation.api.views import _choice, _integer, _moment, _page, bp
from participation.core.links import public_url
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.measures.models import (
    PROGRESS_MODES,
    STATUSES,
    Indicator,
    Measure,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
)
from participation.measures.public import public_sources, source_entry
from participation.proposals.models import DISTRICTS
from participation.reporting.models import PUBLISHED, InterimReport, ReportMeasure
from participation.reporting.open_data import public_rows

UPDATES_MAX = 100  # the newest updates of a measure; the feed and the open data hold all


def _day(value):
    return value.isoformat() if value else None


def _bilingual(obj, name: str) -> dict:
    return {"de": getattr(obj, f"{name}_de"), "en": getattr(obj, f"{name}_en")}


def _measure(row) -> dict:
    measure, parent_public = row
    organisation = measure.organisation
    return {
        "id": measure.id,
        "external_id": measure.external_id,
        "title": _bilingual(measure, "title"),
        "description": _bilingual(measure, "description"),
        "topic": measure.topic,
        "chapter_lineage": measure.chapter_lineage,
        "organisation": {"id": organisation.id, "name": organisation.name, "kind": organisation.kind},
        "inside_administration": measure.inside_administration,
        "status": measure.status,
        "starts_on": _day(measure.starts_on),
        "planned_end_on": _day(measure.planned_end_on),
        "budget_eur": measure.budget_eur,
        "district": measure.district,
        "progress_mode": measure.progress_mode,
        "progress": measure.progress,
        "weight": measure.weight,
        # a part of a draft says nothing of it
        "parent_id": measure.parent_id if parent_public else None,
        "published_at": _moment(measure.published_at),
        "updated_at": _moment(measure.updated_at),
        "url": public_url("measures.show", measure_id=measure.id),
    }


def _public_measures():
    parent = aliased(Measure)
    return (
        select(Measure, parent.published_at.is_not(None))
        .outerjoin(parent, parent.id == Measure.parent_id)
        .where(Measure.published_at.is_not(None))
    )


@bp.route("/measures")
def measures():
    """Published measures of the action concept, by number; filtered like the public list."""
    statement = _public_measures().order_by(Measure.id)
    topic = _choice("topic", list(TOPICS))
    status = _choice("status", list(STATUSES))
    district = _choice("district", list(DISTRICTS))
    organisation = _integer("organisation", None, 1, 2**31 - 1)
    if topic:
        statement = statement.where(Measure.topic == topic)
    if status:
        statement = statement.where(Measure.status == status)
    if district:
        statement = statement.where(Measure.district == district)
    if organisation is not None:
        statement = statement.where(Measure.organisation_id == organisation)
    return _page(
        statement, _measure, "api.measures", key=Measure.id, fetch=lambda chosen: db.session.execute(chosen).all()
    )


@bp.route("/measures/<int:measure_id>")
def measure(measure_id: int):
    row = db.session.execute(
        _public_measures()
        .where(Measure.id == measure_id)
        .options(selectinload(Measure.milestones), selectinload(Measure.indicators).selectinload(Indicator.values))
    ).first()
    if row is None:
        abort(404)
    found = row[0]
    updates = db.session.scalars(
        select(MeasureUpdate)
        .where(MeasureUpdate.measure_id == found.id)
        .options(selectinload(MeasureUpdate.organisation))
        .order_by(MeasureUpdate.published_at.desc(), MeasureUpdate.id.desc())
        .limit(UPDATES_MAX)
    )
    paragraphs = db.session.scalars(
        select(MeasureParagraph.lineage_key)
        .where(MeasureParagraph.measure_id == found.id)
        .order_by(MeasureParagraph.id)
    )
    sources = db.session.execute(
        public_sources().where(MeasureSource.measure_id == found.id).order_by(MeasureSource.id)
    )
    return jsonify(
        _measure(row)
        | {
            "milestones": [
                {
                    "id": stone.id,
                    "external_id": stone.external_id,
                    "title": _bilingual(stone, "title"),
                    "planned_on": _day(stone.planned_on),
                    "achieved_on": _day(stone.achieved_on),
                    "weight": stone.weight,
                }
                for stone in found.milestones
            ],
            "indicators": [
                {
                    "id": indicator.id,
                    "external_id": indicator.external_id,
                    "title": _bilingual(indicator, "title"),
                    "unit": _bilingual(indicator, "unit"),
                    "baseline": indicator.baseline,
                    "baseline_on": _day(indicator.baseline_on),
                    "target": indicator.target,
                    "target_on": _day(indicator.target_on),
                    "values": [
                        {"measured_on": _day(value.measured_on), "value": value.value, "source": value.source}
                        for value in indicator.values
                    ],
                }
                for indicator in found.indicators
            ],
            "updates": [
                {
                    "id": update.id,
                    "published_at": _moment(update.published_at),
                    "written_for": update.organisation.name if update.organisation else None,
                    "body": _bilingual(update, "body"),
                }
                for update in updates
            ],
            "paragraphs": list(paragraphs),
            "sources": [
                {key: value for key, value in source_entry(source).items() if key not in ("measure_id",)}
                for source in sources
            ],
        }
    )


# --- interim reports ------------------------------------------------------------------------


def _report(report: InterimReport) -> dict:
    return {
        "id": report.id,
        "title": _bilingual(report, "title"),
        "period_start": _day(report.period_start),
        "period_end": _day(report.period_end),
        "revision": report.revision,
        "corrects_id": report.corrects_id,
        "correction_note": report.correction_note,
        "published_at": _moment(report.published_at),
    }


@bp.route("/interim-reports")
def interim_reports():
    """The published interim reports (each revision), by number."""
    statement = select(InterimReport).where(InterimReport.status == PUBLISHED).order_by(InterimReport.id)
    return _page(statement, _report, "api.interim_reports", key=InterimReport.id)


@bp.route("/interim-reports/<int:report_id>")
def interim_report(report_id: int):
    found = db.session.scalar(
        select(InterimReport)
        .where(InterimReport.id == report_id, InterimReport.status == PUBLISHED)
        .options(selectinload(InterimReport.sections))
    )
    if found is None:
        abort(404)
    rows = db.session.scalars(
        select(ReportMeasure).where(ReportMeasure.report_id == found.id, public_rows()).order_by(ReportMeasure.id)
    )
    return jsonify(
        _report(found)
        | {
            "sections": [{"topic": section.topic, "text": _bilingual(section, "text")} for section in found.sections],
            "measures": [
                {
                    "measure_id": row.measure_id,
                    "topic": row.topic,
                    "status": row.status,
                    "progress": row.progress,
                    "weight": row.weight,
                    "planned_end_on": _day(row.planned_end_on),
                }
                for row in rows
            ],
        }
    )


# --- the OpenAPI part -----------------------------------------------------------------------

TEXT = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
DAY = {"type": "string", "format": "date", "nullable": True}
MOMENT = {"type": "string", "format": "date-time", "nullable": True}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _object(properties: dict) -> dict:
    return {"type": "object", "required": sorted(properties), "properties": properties}


def _array(schema: dict) -> dict:
    return {"type": "array", "items": schema}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def schemas(list_of) -> dict:
    """The component schemas; `list_of(name)` is the API's page of items of that schema."""
    bilingual = _object({"de": TEXT, "en": TEXT})
    status = {"type": "string", "enum": list(STATUSES)}
    measure = {
        "id": INTEGER,
        "external_id": {**_nullable(TEXT), "description": "The id in the city's own systems."},
        "title": bilingual,
        "description": {**bilingual, "description": "Markdown, German and English (empty: German only)."},
        "topic": {"type": "string", "enum": list(TOPICS), "description": "The field of action."},
        "chapter_lineage": {**_nullable(TEXT), "description": "The chapter's key across versions."},
        "organisation": {
            **_object({"id": INTEGER, "name": TEXT, "kind": TEXT}),
            "description": "The responsible body: a city office or an organisation.",
        },
        "inside_administration": {"type": "boolean"},
        "status": status,
        "starts_on": DAY,
        "planned_end_on": DAY,
        "budget_eur": _nullable(NUMBER),
        "district": {"type": "string", "enum": list(DISTRICTS)},
        "progress_mode": {"type": "string", "enum": list(PROGRESS_MODES)},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100, "description": "In percent."},
        "weight": {**NUMBER, "description": "Its weight in roll-ups."},
        "parent_id": {**_nullable(INTEGER), "description": "The published measure it is a part of."},
        "published_at": MOMENT,
        "updated_at": MOMENT,
        "url": TEXT,
    }
    milestone = {
        "id": INTEGER,
        "external_id": _nullable(TEXT),
        "title": bilingual,
        "planned_on": DAY,
        "achieved_on": {**DAY, "description": "Null until it is reached."},
        "weight": NUMBER,
    }
    value = {"measured_on": DAY, "value": NUMBER, "source": TEXT}
    indicator = {
        "id": INTEGER,
        "external_id": _nullable(TEXT),
        "title": bilingual,
        "unit": bilingual,
        "baseline": NUMBER,
        "baseline_on": DAY,
        "target": NUMBER,
        "target_on": DAY,
        "values": _array(_object(value)),
    }
    update = {
        "id": INTEGER,
        "published_at": MOMENT,
        "written_for": {**_nullable(TEXT), "description": "The body it was written for (null: the coordinating unit)."},
        "body": bilingual,
    }
    source = {
        "id": INTEGER,
        "kind": {"type": "string", "enum": ["proposal", "comment"]},
        "contribution_id": INTEGER,
        "url": TEXT,
    }
    detail = {
        **measure,
        "milestones": _array(_object(milestone)),
        "indicators": _array(_object(indicator)),
        "updates": {**_array(_object(update)), "description": f"The newest {UPDATES_MAX}, newest first."},
        "paragraphs": {**_array(TEXT), "description": "The lineage keys of the paragraphs it implements."},
        "sources": {**_array(_object(source)), "description": "The public proposals and comments it grew from."},
    }
    report = {
        "id": INTEGER,
        "title": bilingual,
        "period_start": DAY,
        "period_end": {**DAY, "description": "The reporting date."},
        "revision": {"type": "integer", "minimum": 1},
        "corrects_id": {**_nullable(INTEGER), "description": "The report this revision corrects."},
        "correction_note": TEXT,
        "published_at": MOMENT,
    }
    snapshot = {
        "measure_id": {**_nullable(INTEGER), "description": "Null when the measure was deleted since."},
        "topic": TEXT,
        "status": status,
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "weight": NUMBER,
        "planned_end_on": DAY,
    }
    report_detail = {
        **report,
        "sections": _array(_object({"topic": TEXT, "text": bilingual})),
        "measures": {**_array(_object(snapshot)), "description": "Every measure as it stood at the reporting date."},
    }
    return {
        "Measure": _object(measure),
        "MeasurePage": list_of("Measure"),
        "MeasureDetail": _object(detail),
        "InterimReport": _object(report),
        "InterimReportPage": list_of("InterimReport"),
        "InterimReportDetail": _object(report_detail),
    }


def paths(operation, query, path, paging, after) -> dict:
    """The operations, made with the OpenAPI document's own helpers."""
    return {
        "/api/v1/measures": operation(
            "Published measures of the action concept",
            "MeasurePage",
            [
                *paging,
                after,
                query("topic", "Only this field of action.", {"type": "string", "enum": list(TOPICS)}),
                query("status", "Only this status.", {"type": "string", "enum": list(STATUSES)}),
                query("organisation", "Only measures this organisation is responsible for.", ID),
                query("district", "Only this district (or citywide).", {"type": "string", "enum": list(DISTRICTS)}),
            ],
        ),
        "/api/v1/measures/{measure_id}": {
            "parameters": [path("measure_id", "The measure's number")],
            **operation(
                "A published measure with its milestones, indicators, updates, paragraphs and sources",
                "MeasureDetail",
                not_found=True,
            ),
        },
        "/api/v1/interim-reports": operation(
            "Published interim reports (every revision)", "InterimReportPage", [*paging, after]
        ),
        "/api/v1/interim-reports/{report_id}": {
            "parameters": [path("report_id", "The report's number")],
            **operation(
                "A published interim report with its snapshot of every measure", "InterimReportDetail", not_found=True
            ),
        },
    }
