"""Spreadsheets written while they are sent: CSV, JSON and XLSX from rows that come in batches.

Each export is a list of `Sheet`s: a name, columns (a key for JSON, a translated heading, a kind
and a width) and an iterable of rows. The writers below turn them into chunks of bytes that a
streamed response sends as they come, so a worker's memory stays flat whatever the size.

XLSX is a ZIP of XML parts. openpyxl can only write a finished file, so the parts are written
here, into a ZIP that is itself streamed (Python's zipfile writes to a stream that cannot seek):
a frozen, bold header row, the columns' widths, numbers as numbers, dates as dates. Text is an
inline string, which no spreadsheet evaluates; text that starts like a formula is also marked
"quote prefix" (as Excel marks what one types after an apostrophe), so it stays text when the
sheet is saved again in another format. In CSV such text gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from participation.core.exports import FORMULA_START, cell

TEXT, NUMBER, DATETIME = "text", "number", "datetime"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024  # bytes gathered before they are sent
EXCEL_CELL_MAX = 32_767  # characters Excel holds in one cell
_EPOCH = datetime(1899, 12, 30)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"\r": "&#13;"}  # a bare carriage return would be read back as a line feed
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key: stable, English, never translated
    heading: str  # the translated heading of CSV and XLSX
    kind: str = TEXT
    width: int = 16  # characters, for XLSX


@dataclass
class Sheet:
    key: str  # the JSON key and the file name: stable, English
    name: str  # the translated name of the XLSX sheet
    columns: list[Column]
    rows: Iterable[tuple]
    title: str = ""  # a line above the headings in XLSX (what the figures are of); CSV has none


def _local(value: datetime | date | None) -> datetime | date | None:
    """Dates as the city reads them: in the app's time zone, without the zone."""
    if isinstance(value, datetime):
        from flask_babel import to_user_timezone

        return to_user_timezone(value).replace(tzinfo=None) if value.tzinfo else value
    return value


def _text(value) -> str:
    if isinstance(value, datetime | date):
        value = _local(value)
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return "" if value is None else str(value)


# --- CSV ------------------------------------------------------------------------------------


class _Buffer(io.RawIOBase):
    """A stream that keeps what is written until it is taken; for writers that need a file."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so spreadsheet programs read umlauts right), formula-safe."""
    text = io.StringIO()
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow([cell(column.heading) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([cell(_text(value)) for value in row])
        if text.tell() >= CHUNK:
            yield text.getvalue().encode(errors="replace")
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode(errors="replace")


# --- JSON -----------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime | date):
        value = _local(value)
        return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return value


def json_chunks(sheets: list[Sheet], meta: dict | None = None) -> Iterator[bytes]:
    """One object: `meta`, then per sheet (under its key) a list of objects, one per row."""
    out = io.StringIO()
    out.write("{")
    if meta is not None:
        out.write(f'"meta": {json.dumps(meta, ensure_ascii=False)}, ')
    for index, sheet in enumerate(sheets):
        keys = [column.key for column in sheet.columns]
        out.write(f"{', ' if index else ''}{json.dumps(sheet.key)}: [")
        first = True
        for row in sheet.rows:
            out.write("" if first else ", ")
            first = False
            out.write(json.dumps(dict(zip(keys, map(_json_value, row), strict=True)), ensure_ascii=False))
            if out.tell() >= CHUNK:
                yield out.getvalue().encode(errors="replace")
                out.seek(0)
                out.truncate()
        out.write("]")
    out.write("}\n")
    yield out.getvalue().encode(errors="replace")


# --- XLSX -----------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# cell formats (cellXfs): 0 plain, 1 header, 2 date and time, 3 text that looks like a formula
_HEADER, _DATETIME, _QUOTED = 1, 2, 3
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str, text: str, style: int = 0) -> str:
    text = _NOT_XML.sub("", text)[:EXCEL_CELL_MAX]
    if not text:
        return ""
    if style == 0 and text.startswith(FORMULA_START):
        style = _QUOTED
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t{space}>{escape(text, _ENTITIES)}</t></is></c>'


def _cell(ref: str, value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return ""
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if kind == DATETIME and isinstance(value, datetime | date):
        moment = _local(value)
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day)
        serial = (moment - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'
    return _inline(ref, _text(value))


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _worksheet_parts(sheet: Sheet) -> Iterator[str]:
    top = 2 if sheet.title else 1  # the row of the headings
    yield _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
    yield (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{top}" topLeftCell="A{top + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{top + 1}" sqref="A{top + 1}"/></sheetView></sheetViews>'
    )
    yield '<sheetFormatPr defaultRowHeight="15"/><cols>'
    for index, column in enumerate(sheet.columns, start=1):
        yield f'<col min="{index}" max="{index}" width="{column.width}" customWidth="1"/>'
    yield "</cols><sheetData>"
    if sheet.title:
        yield f'<row r="1">{_inline("A1", sheet.title, _HEADER)}</row>'
    yield f'<row r="{top}">'
    letters = [_column_letter(index) for index in range(len(sheet.columns))]
    for letter, column in zip(letters, sheet.columns, strict=True):
        yield _inline(f"{letter}{top}", column.heading, _HEADER)
    yield "</row>"
    kinds = [column.kind for column in sheet.columns]
    for number, row in enumerate(sheet.rows, start=top + 1):
        cells = "".join(
            _cell(f"{letter}{number}", value, kind) for letter, value, kind in zip(letters, row, kinds, strict=True)
        )
        yield f'<row r="{number}">{cells}</row>'
    yield "</sheetData></worksheet>"


def xlsx_chunks(sheets: list[Sheet]) -> Iterator[bytes]:
    """A workbook with a sheet per `Sheet`, sent while it is written."""
    buffer = _Buffer()
    taken: set[str] = set()
    names = [sheet_name(sheet.name, taken) for sheet in sheets]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as part:
                for text in _worksheet_parts(sheet):
                    part.write(text.encode())
                    if buffer.size >= CHUNK:
                        yield buffer.take()
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            _HEAD + f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_list = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheet_list}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles = len(sheets) + 1
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _HEAD + f'<Relationships xmlns="{_PACKAGE_RELS}">{relations}'
            f'<Relationship Id="rId{styles}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", _STYLES)
    yield buffer.take()
