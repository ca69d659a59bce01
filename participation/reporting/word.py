"""An interim report as a Word file in the committee's structure (reporting.document gathers it;
the Word helpers are those of the masterplan's Word file, participation.exports.word)."""

from __future__ import annotations

import io

import docx as python_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from flask_babel import force_locale
from flask_babel import gettext as _

from participation.exports.document import clean, one_line
from participation.exports.word import SMALL, _add_markdown, _add_run
from participation.reporting import document
from participation.reporting.models import InterimReport


def _table(doc, headings: list[str], rows: list[list[str]], numeric=()) -> None:
    """A table made whole at once (python-docx is slow row by row), the headings bold."""
    table = doc.add_table(rows=len(rows) + 1, cols=len(headings))
    table.style = "Table Grid"
    all_rows = table.rows
    for cell, text in zip(all_rows[0].cells, headings, strict=True):
        _add_run(cell.paragraphs[0], text, bold=True, size=SMALL)
    for row, values in zip(all_rows[1:], rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            _add_run(paragraph, one_line(str(text)), size=SMALL)
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _lines(doc, lines: list[str], empty: str) -> None:
    if not lines:
        _add_run(doc.add_paragraph(), empty, italic=True)
    for line in lines:
        _add_run(doc.add_paragraph(style="List Bullet"), one_line(line))


def report_docx(report: InterimReport, locale: str) -> bytes:
    with force_locale(locale):
        gathered = document.gather(report, locale)
        doc = python_docx.Document()
        properties = doc.core_properties
        properties.title = clean(gathered.title)[:255]
        properties.author = properties.last_modified_by = properties.comments = ""
        if report.published_at:
            properties.created = report.published_at
        doc.add_heading(one_line(gathered.title), level=0)
        for line in document.title_lines(gathered):
            _add_run(doc.add_paragraph(), one_line(line))
        doc.add_page_break()

        doc.add_heading(_("1 Summary"), level=1)
        _table(doc, [_("Figure"), _("Value")], [list(row) for row in document.summary_rows(gathered)], numeric=(1,))
        doc.add_paragraph()
        progress_rows = [
            [section.title, str(section.progress["measures"]), f"{section.progress['progress']} %"]
            for section in gathered.sections
        ]
        _table(doc, [_("Field of action"), _("Measures"), _("Progress (weighted)")], progress_rows, numeric=(1, 2))

        doc.add_heading(_("2 Participation in the period"), level=1)
        _table(doc, [_("Figure"), _("Number")], [list(row) for row in document.participation_rows(gathered)], (1,))
        doc.add_paragraph()
        _table(doc, [_("Stakeholder group"), _("People")], [list(row) for row in document.group_rows(gathered)], (1,))

        doc.add_heading(_("3 Fields of action"), level=1)
        for section in gathered.sections:
            doc.add_heading(f"{section.number} {section.title}", level=2)
            _add_run(
                doc.add_paragraph(),
                _(
                    "%(measures)d measures, progress %(progress)d %% (weighted)",
                    measures=section.progress["measures"],
                    progress=section.progress["progress"],
                ),
                italic=True,
            )
            if section.text.strip():
                _add_markdown(doc, section.text)
            if section.rows:
                cells = [document.measure_cells(row, locale) for row in section.rows]
                _table(doc, document.measure_headings(), cells, numeric=(3,))
            doc.add_heading(_("Changes since the previous report"), level=3)
            _lines(doc, document.change_lines(section.changes, locale), _("No changes."))

        doc.add_heading(_("4 Annex: indicators"), level=1)
        rows = document.indicator_rows(gathered)
        if rows:
            _table(doc, document.indicator_headings(), rows, numeric=(2, 3, 5))
        else:
            _add_run(doc.add_paragraph(), _("No indicators."), italic=True)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
