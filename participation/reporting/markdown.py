"""An interim report as Markdown, in the same structure as its Word file (reporting.document)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from participation.exports.document import block_markdown, inline_markdown
from participation.reporting import document
from participation.reporting.models import InterimReport


def _table(headings: list[str], rows: list) -> list[str]:
    lines = ["| " + " | ".join(inline_markdown(h) for h in headings) + " |", "|" + " --- |" * len(headings)]
    lines += ["| " + " | ".join(inline_markdown(str(cell)) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _items(lines: list[str], empty: str) -> list[str]:
    if not lines:
        return [f"*{inline_markdown(empty)}*", ""]
    return [*(f"- {inline_markdown(line)}" for line in lines), ""]


def report_markdown(report: InterimReport, locale: str) -> str:
    with force_locale(locale):
        doc = document.gather(report, locale)
        out = [f"# {inline_markdown(doc.title)}", ""]
        out += [f"{inline_markdown(line)}  " for line in document.title_lines(doc)] + [""]
        out += [f"## {inline_markdown(_('1 Summary'))}", ""]
        out += _table([_("Figure"), _("Value")], document.summary_rows(doc))
        progress = [[s.title, s.progress["measures"], f"{s.progress['progress']} %"] for s in doc.sections]
        out += _table([_("Field of action"), _("Measures"), _("Progress (weighted)")], progress)
        out += [f"## {inline_markdown(_('2 Participation in the period'))}", ""]
        out += _table([_("Figure"), _("Number")], document.participation_rows(doc))
        out += _table([_("Stakeholder group"), _("People")], document.group_rows(doc))
        out += [f"## {inline_markdown(_('3 Fields of action'))}", ""]
        for section in doc.sections:
            out += [f"### {section.number} {inline_markdown(section.title)}", ""]
            summary = _(
                "%(measures)d measures, progress %(progress)d %% (weighted)",
                measures=section.progress["measures"],
                progress=section.progress["progress"],
            )
            out += [f"*{inline_markdown(summary)}*", ""]
            if section.text.strip():
                out += [block_markdown(section.text), ""]
            if section.rows:
                out += _table(document.measure_headings(), [document.measure_cells(r, locale) for r in section.rows])
            out += [f"#### {inline_markdown(_('Changes since the previous report'))}", ""]
            out += _items(document.change_lines(section.changes, locale), _("No changes."))
        out += [f"## {inline_markdown(_('4 Annex: indicators'))}", ""]
        rows = document.indicator_rows(doc)
        out += _table(document.indicator_headings(), rows) if rows else _items([], _("No indicators."))
        return "\n".join(out).rstrip() + "\n"
