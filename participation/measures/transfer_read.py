"""Reading an import file of measures into its tables: an XLSX workbook (a sheet per table), a ZIP
of CSV files (a file per table) or one CSV file (one table, told by its headings). Every file may be
hostile: the archive's members are unpacked with a count of the bytes really read (a directory
that lies about sizes does not help), rows, columns and cells are bounded, and anything that
cannot be read is one clear message, never a crash."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from participation.core.exports import FORMULA_START
from participation.measures.transfer import KEYS, TABLES

MAX_FILE_BYTES = 20 * 1024 * 1024  # the command's limit; uploads are bounded by MAX_CONTENT_LENGTH first
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 200  # an XLSX of four sheets has about a dozen parts
MAX_ROWS = 50_000  # per table
MAX_CELL_CHARS = 20_000  # the longest value: a description
EXTENSIONS = (".xlsx", ".zip", ".csv")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message is for the person who chose it."""


@dataclass
class Problem:
    """A message at a place in the file: table, row as a spreadsheet numbers it (the headings are
    row 1), column key. Row 0 and column "" mean the table or the file as a whole."""

    table: str
    row: int
    column: str
    message: str


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, {column: value})


def unescape(value):
    """The export wrote text that starts like a formula with a leading apostrophe (CSV); take it
    off so that a round trip changes nothing."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _damaged(xlsx: bool) -> UnreadableFile:
    if xlsx:
        return UnreadableFile(_l("This is not an Excel workbook (.xlsx), or it is damaged."))
    return UnreadableFile(_l("This is not a ZIP archive, or it is damaged."))


def _unpack(data: bytes, wanted, xlsx: bool) -> dict[str, bytes]:
    """The members `wanted(name)` chooses, each read with a count of the bytes really unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _damaged(xlsx) from exc
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(_l("The archive holds too many files."))
    found, unpacked = {}, 0
    try:
        for info in members:
            if info.is_dir() or not wanted(info.filename):
                continue
            parts = []
            with archive.open(info) as member:
                while piece := member.read(256 * 1024):
                    unpacked += len(piece)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise UnreadableFile(
                            _l(
                                "The file unpacks to more than %(mb)d MB and was not read.",
                                mb=MAX_UNPACKED_BYTES // (1024 * 1024),
                            )
                        )
                    parts.append(piece)
            found[info.filename] = b"".join(parts)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _damaged(xlsx) from exc
    return found


def _table_of(headings: list[str], fallback: str | None) -> str | None:
    """The table whose columns the headings name best (a file may leave columns out)."""
    scores = {table: len(set(headings) & set(KEYS[table])) for table in TABLES}
    best = max(scores.values())
    if best == 0:
        return fallback
    leaders = [table for table in TABLES if scores[table] == best]
    if fallback in leaders:
        return fallback
    return leaders[0]


def _fill(table: Table, headings: list, rows, problems: list[Problem]) -> None:
    """Headings, then the rows: the values by column key; empty rows are skipped."""
    table.columns = [str(unescape(h) or "").strip().lower() for h in headings]
    while table.columns and not table.columns[-1]:
        table.columns.pop()
    known = set(KEYS[table.name])
    seen = set()
    for index, key in enumerate(table.columns):
        if key in seen:
            problems.append(Problem(table.name, 1, key, str(_l("This column appears twice."))))
        elif key not in known:
            problems.append(
                Problem(table.name, 1, key or f"#{index + 1}", str(_l("This column is not part of the format.")))
            )
        seen.add(key)
    width = len(table.columns)
    for number, values in rows:
        if number - 1 > MAX_ROWS:
            raise UnreadableFile(_l("A table has more than %(max)d rows.", max=MAX_ROWS))
        values = [unescape(v) for v in list(values)]
        if not any(v is not None and str(v).strip() for v in values):
            continue
        if any(v is not None and str(v).strip() for v in values[width:]):
            problems.append(Problem(table.name, number, "", str(_l("This row has values outside the columns."))))
            continue
        row = {}
        for key, value in zip(table.columns, values, strict=False):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                problems.append(Problem(table.name, number, key, str(_l("This cell is too long."))))
                value = value[:MAX_CELL_CHARS]
            row[key] = value
        table.rows.append((number, row))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # a CSV saved by Excel on a German Windows


def _read_csv(data: bytes, name: str, tables: dict, problems: list[Problem]) -> None:
    text = _decode(data).replace("\x00", "")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # Excel writes ";" where the comma is the decimal mark
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headings = next(reader, [])
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
        table_name = _table_of([str(unescape(h)).strip().lower() for h in headings], stem if stem in TABLES else None)
        if table_name is None:
            problems.append(Problem(stem or "csv", 1, "", str(_l("The headings name none of the tables."))))
            return
        if table_name in tables:
            problems.append(Problem(table_name, 0, "", str(_l("This table is in the file twice."))))
            return
        table = tables[table_name] = Table(table_name)
        _fill(table, headings, enumerate(reader, start=2), problems)  # rows as a spreadsheet numbers them
    except csv.Error as exc:
        raise UnreadableFile(_l("The CSV file could not be read: %(error)s", error=str(exc)[:200])) from exc


def _cell_value(value):
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date | int | float | str) or value is None:
        return value
    return str(value)


MAX_COLUMNS = 64  # the widest table has 20


def _read_xlsx(data: bytes, tables: dict, problems: list[Problem]) -> None:
    from openpyxl import load_workbook

    parts = _unpack(data, lambda name: True, xlsx=True)
    if "xl/workbook.xml" not in parts:
        raise UnreadableFile(_l("This is not an Excel workbook (.xlsx)."))
    repacked = io.BytesIO()  # what was really read, so openpyxl never meets a lying archive
    with zipfile.ZipFile(repacked, "w", zipfile.ZIP_STORED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    try:
        book = load_workbook(repacked, read_only=True, data_only=True)
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            # a sheet may claim any width in its own dimension tag, and openpyxl pads every row
            # to it: read no more columns than a table has (with room for stray ones)
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            headings = [unescape(h) for h in next(rows, ())]
            table_name = _table_of([str(h or "").strip().lower() for h in headings], name if name in TABLES else None)
            if table_name is None:
                continue  # a sheet of notes: not part of the import
            if table_name in tables:
                problems.append(Problem(table_name, 0, "", str(_l("This table is in the file twice."))))
                continue
            table = tables[table_name] = Table(table_name)
            numbered = ((number, [_cell_value(v) for v in row]) for number, row in enumerate(rows, start=2))
            _fill(table, [str(h or "") for h in headings], numbered, problems)
        book.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ...) for damaged files
        raise UnreadableFile(_l("The Excel workbook could not be read: it may be damaged.")) from exc


def read_tables(filename: str, data: bytes) -> tuple[dict[str, Table], list[Problem]]:
    """The tables of the file by name, and the problems found reading it (columns, rows)."""
    name = (filename or "").lower().strip()
    if not name.endswith(EXTENSIONS):
        raise UnreadableFile(_l("Please choose an Excel workbook (.xlsx), a ZIP of CSV files or a CSV file."))
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_l("The file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // (1024 * 1024)))
    if not data:
        raise UnreadableFile(_l("The file is empty."))
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    if name.endswith(".xlsx"):
        _read_xlsx(data, tables, problems)
    elif name.endswith(".zip"):
        members = _unpack(
            data, lambda member: member.lower().endswith(".csv") and "__macosx" not in member.lower(), xlsx=False
        )
        for member, content in sorted(members.items()):
            _read_csv(content, member, tables, problems)
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnreadableFile(_l("This is not a CSV file."))
        _read_csv(data, name, tables, problems)
    if not tables:
        raise UnreadableFile(_l("The file holds none of the tables measures, milestones, indicators, values."))
    return tables, problems
