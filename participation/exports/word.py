"""A masterplan version as a Word file: the cover with the period's figures, the chapters, and each
paragraph's Markdown as Word paragraphs with its vote split and the contributions that shaped it."""

from __future__ import annotations

import io

import docx as python_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from flask_babel import gettext as _

from participation.exports.document import (
    Block,
    DocumentParagraph,
    VersionDocument,
    blocks,
    chapter_heading,
    clean,
    dates,
    describe,
    figure_rows,
    heading,
    one_line,
    status_line,
    vote_split,
)

SMALL = Pt(9)
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)

_LIST_STYLES = {"bullet": "List Bullet", "ordered": "List Continue", "continue": "List Continue", "quote": "Quote"}


def _style(block: Block) -> str | None:
    base = _LIST_STYLES.get(block.kind)
    if base is None or block.kind == "quote":
        return base
    depth = min(max(block.depth, 1), 3)
    return base if depth == 1 else f"{base} {depth}"


def _add_run(paragraph, text: str, bold=False, italic=False, size=None, strike=False, code=False):
    run = paragraph.add_run(clean(text))
    run.bold, run.italic = bold or None, italic or None
    if strike:
        run.font.strike = True
    if code:
        run.font.name = "Courier New"
    if size is not None:
        run.font.size = size
    return run


def _add_link(paragraph, url: str, size=None) -> None:
    """A clickable link; python-docx has no call for it, so the run goes into a w:hyperlink element."""
    url = clean(url)
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    run = _add_run(paragraph, url, size=size)
    run.font.underline = True
    run.font.color.rgb = LINK_COLOUR
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    link.append(run._r)
    paragraph._p.append(link)


def _add_markdown(document, text: str, lead: str = "") -> None:
    """Markdown as Word paragraphs; `lead` (a paragraph's number) goes in bold before the first one."""
    parts = blocks(text) or [Block()]
    if lead and parts[0].kind != "text":  # a list or a quote: the number stands alone before it
        _add_run(document.add_paragraph(), lead, bold=True)
        lead = ""
    for index, block in enumerate(parts):
        paragraph = document.add_paragraph(style=_style(block))
        if index == 0 and lead:
            _add_run(paragraph, f"{lead} ", bold=True)
        if block.marker:
            _add_run(paragraph, f"{block.marker} ")
        for run in block.runs:
            _add_run(paragraph, run.text, run.bold, run.italic, strike=run.strike, code=run.code)


def docx(doc: VersionDocument) -> bytes:
    document = python_docx.Document()
    properties = document.core_properties
    properties.title = clean(doc.title)[:255]
    properties.subject = heading(doc)
    properties.author = properties.last_modified_by = properties.comments = ""
    if doc.published_at:
        properties.created = doc.published_at
    _cover(document, doc)
    document.add_page_break()
    for chapter in doc.chapters:
        document.add_heading(chapter_heading(chapter), level=1)
        if chapter.topic_label:
            _add_run(document.add_paragraph(), f"{_('Field of action:')} {one_line(chapter.topic_label)}", italic=True)
        if chapter.introduction.strip():
            _add_markdown(document, chapter.introduction)
        for paragraph in chapter.paragraphs:
            _docx_paragraph(document, paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cover(document, doc: VersionDocument) -> None:
    document.add_heading(one_line(doc.title), level=0)
    _add_run(document.add_paragraph(), heading(doc), bold=True)
    for line in [status_line(doc), *dates(doc)]:
        _add_run(document.add_paragraph(), line)
    rows = figure_rows(doc.figures)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, number) in zip(table.rows, rows, strict=True):
        row.cells[0].text = clean(label)
        row.cells[1].text = str(number)
        row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if doc.summary_of_changes.strip():
        document.add_heading(_("What changed"), level=2)
        _add_markdown(document, doc.summary_of_changes)


def _docx_paragraph(document, paragraph: DocumentParagraph) -> None:
    if paragraph.subheading.strip():
        document.add_heading(one_line(paragraph.subheading), level=2)
    _add_markdown(document, paragraph.text, lead=paragraph.number)
    _add_run(document.add_paragraph(), vote_split(paragraph), size=SMALL)
    if not paragraph.shaped_by:
        return
    _add_run(document.add_paragraph(), _("Contributions that shaped this paragraph"), bold=True, size=SMALL)
    for index, contribution in enumerate(paragraph.shaped_by, start=1):
        entry = document.add_paragraph()
        _add_run(entry, f"[{paragraph.number}-{index}] ", size=SMALL)
        text = describe(contribution, one_line(contribution.title), one_line(contribution.note))
        _add_run(entry, f"{text} – ", size=SMALL)
        _add_link(entry, contribution.url, size=SMALL)
