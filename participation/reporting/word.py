"""An interim report as a Word file in the committee's structure (reporting.document gathers it;
the Word helpers are those of the masterplan's Word file, participation.exports.word)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx as python_docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from flask_babel import force_locale
from flask_babel import gettext as _

from participation.exports.document import clean, one_line
from participation.exports.word import SMALL, _add_markdown, _add_run
from participation.reporting import document
from participation.reporting.models import InterimReport

SMALL_HALF_POINTS = int(SMALL.pt * 2)  # Word counts font sizes in half points


def _cell(text: str, bold: bool = False, right: bool = False) -> str:
    alignment = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
    weight = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:p>{alignment}<w:r><w:rPr>{weight}<w:sz w:val="{SMALL_HALF_POINTS}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(one_line(str(text)))}</w:t></w:r></w:p></w:tc>'
    )


def _table(doc, headings: list[str], rows: list[list[str]], numeric=()) -> None:
    """A table written as XML in one piece: python-docx's cell by cell calls take seconds for the
    thousands of rows of a large report. The heading row repeats on every page."""
    table = doc.add_table(rows=0, cols=len(headings))
    table.style = "Table Grid"
    head = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(_cell(h, bold=True) for h in headings) + "</w:tr>"
    body = "".join(
        "<w:tr>" + "".join(_cell(text, right=index in numeric) for index, text in enumerate(values)) + "</w:tr>"
        for values in rows
    )
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{head}{body}</w:tbl>").iterchildren():
        table._tbl.append(row)


def _lines(doc, lines: list[str], empty: str) -> None:
    """A bulleted list, written as XML in one piece like the tables (a report may list thousands)."""
    if not lines:
        _add_run(doc.add_paragraph(), empty, italic=True)
        return
    style = doc.styles["List Bullet"].style_id
    xml = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(one_line(line))}</w:t></w:r></w:p>'
        for line in lines
    )
    body = doc.element.body
    end = body.sectPr
    for paragraph in parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>").iterchildren():
        if end is not None:
            end.addprevious(paragraph)
        else:
            body.append(paragraph)


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
