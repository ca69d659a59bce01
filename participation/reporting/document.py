"""An interim report as the committee reads it, gathered once for the Word and Markdown files:
title page, 1 summary, 2 participation in the period, 3 one section per field of action (text,
measures, changes), 4 annex of indicators. The labels are made in the file's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from participation.drafts.models import TOPICS
from participation.reporting import changes as changing
from participation.reporting import period
from participation.reporting.models import InterimReport
from participation.reporting.services import rows_of


@dataclass
class Section:
    topic: str
    number: str  # "3.2"
    title: str
    text: str  # Markdown
    progress: dict
    rows: list[changing.Row] = field(default_factory=list)
    changes: changing.Changes = field(default_factory=changing.Changes)


@dataclass
class ReportDocument:
    report: InterimReport
    locale: str
    title: str
    progress: dict
    changes: changing.Changes
    participation: dict
    sections: list[Section] = field(default_factory=list)
    rows: list[changing.Row] = field(default_factory=list)


def gather(report: InterimReport, locale: str) -> ReportDocument:
    rows = changing.rows(rows_of(report))
    changes = changing.compare(changing.rows(rows_of(report.previous)), rows)
    progress = changing.progress_by_topic(rows)
    texts = {section.topic: section for section in report.sections}
    sections = []
    topics = [topic for topic in TOPICS if topic in progress or topic in texts]
    for index, topic in enumerate(topics, start=1):
        text = texts.get(topic)
        sections.append(
            Section(
                topic=topic,
                number=f"3.{index}",
                title=str(TOPICS[topic]),
                text=(text.text_en if locale == "en" and text and text.text_en else text.text_de if text else ""),
                progress=progress.get(topic, {"progress": 0, "measures": 0}),
                rows=[row for row in rows if row.topic == topic],
                changes=changes.for_topic(topic),
            )
        )
    return ReportDocument(
        report=report,
        locale=locale,
        title=report.localized("title", locale),
        progress=progress,
        changes=changes,
        participation=report.participation_figures,
        sections=sections,
        rows=rows,
    )


def day(value: str | date | None) -> str:
    if not value:
        return "–"
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value, "medium")


def number(value) -> str:
    return "–" if value is None else format_decimal(value)


def title_lines(doc: ReportDocument) -> list[str]:
    report = doc.report
    lines = [
        _("Interim report on the action concept of the masterplan “Digitales Köln 2025”"),
        _("Period: %(start)s to %(end)s", start=day(report.period_start), end=day(report.period_end)),
        _("Revision %(revision)d", revision=report.revision),
    ]
    if report.published_at:
        lines.append(_("Published on %(date)s", date=format_date(report.published_at, "long")))
    else:
        lines.append(_("Draft, not published"))
    if report.correction_note:
        lines.append(_("Correction: %(note)s", note=report.correction_note))
    return lines


def summary_rows(doc: ReportDocument) -> list[tuple[str, str]]:
    changes = doc.changes
    return [
        (_("Measures in the report"), str(len(doc.rows))),
        (_("Overall progress (weighted)"), f"{doc.progress['all']['progress']} %"),
        (_("New measures"), str(len(changes.new))),
        (_("Completed"), str(len(changes.completed))),
        (_("Stopped"), str(len(changes.stopped))),
        (_("Delayed"), str(len(changes.delayed))),
    ]


def participation_rows(doc: ReportDocument) -> list[tuple[str, str]]:
    figures = doc.participation
    return [(label, number(figures.get(key, 0))) for key, label in period.figure_labels().items()]


def group_rows(doc: ReportDocument) -> list[tuple[str, str]]:
    return [(period.group_label(key), number(count)) for key, count in doc.participation.get("groups", [])]


def measure_headings() -> list[str]:
    return [_("Measure"), _("Responsible"), _("Status"), _("Progress"), _("Planned end")]


def measure_cells(row: changing.Row, locale: str) -> list[str]:
    return [
        row.title(locale),
        row.data.get("organisation", ""),
        row.status_label + (f" ({_('delayed')})" if row.delayed else ""),
        f"{row.progress} %",
        day(row.planned_end_on),
    ]


def change_lines(changes: changing.Changes, locale: str) -> list[str]:
    """The changes as sentences, one per line."""
    lines = [_("New: %(title)s", title=row.title(locale)) for row in changes.new]
    lines += [_("Completed: %(title)s", title=row.title(locale)) for row in changes.completed]
    lines += [_("Stopped: %(title)s", title=row.title(locale)) for row in changes.stopped]
    lines += [_("Delayed: %(title)s", title=row.title(locale)) for row, _newly in changes.delayed]
    lines += [
        _(
            "Progress of %(title)s: %(before)s %% → %(after)s %%",
            title=m.row.title(locale),
            before=m.before,
            after=m.after,
        )
        for m in changes.progress
    ]
    lines += [indicator_line(m, locale) for m in changes.indicators]
    return lines


def _localized(values: dict, name: str, locale: str) -> str:
    return (values.get(f"{name}_en") if locale == "en" else "") or values.get(f"{name}_de", "")


def indicator_line(movement: changing.Movement, locale: str) -> str:
    indicator = movement.indicator or {}
    return _(
        "%(indicator)s (%(title)s): %(before)s → %(after)s %(unit)s, target %(target)s",
        indicator=_localized(indicator, "title", locale),
        title=movement.row.title(locale),
        before=number(movement.before),
        after=number(movement.after),
        unit=_localized(indicator, "unit", locale),
        target=number(indicator.get("target")),
    )


def indicator_headings() -> list[str]:
    return [_("Measure"), _("Indicator"), _("Baseline"), _("Last value"), _("Measured on"), _("Target"), _("Unit")]


def indicator_rows(doc: ReportDocument) -> list[list[str]]:
    found = []
    for row in doc.rows:
        for indicator in row.data.get("indicators", []):
            values = indicator.get("values") or []
            last = values[-1] if values else (None, None)
            found.append(
                [
                    row.title(doc.locale),
                    _localized(indicator, "title", doc.locale),
                    number(indicator.get("baseline")),
                    number(last[1]),
                    day(last[0]),
                    number(indicator.get("target")),
                    _localized(indicator, "unit", doc.locale),
                ]
            )
    return found
