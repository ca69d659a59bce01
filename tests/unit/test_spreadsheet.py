"""The streamed writers: what Excel, LibreOffice and a JSON reader get back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import openpyxl

from participation.core.spreadsheet import DATETIME, NUMBER, Column, Sheet, csv_chunks, json_chunks, xlsx_chunks

HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _sheet(rows, key="proposals", name="Vorschläge"):
    columns = [
        Column("id", "Nr.", NUMBER, 8),
        Column("title", "Titel", width=40),
        Column("created_at", "Eingereicht", DATETIME, 18),
    ]
    return Sheet(key, name, columns, rows)


def _rows(count):
    moment = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)
    return ((n, f"Köln {n} – Straße", moment) for n in range(1, count + 1))


def test_xlsx_has_real_numbers_and_dates_a_frozen_bold_header_and_widths(app):
    with app.test_request_context():
        data = b"".join(xlsx_chunks([_sheet(_rows(3)), _sheet(iter([]), "comments", "Kommentare")]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Vorschläge", "Kommentare"]
    sheet = book["Vorschläge"]
    assert [c.value for c in sheet[1]] == ["Nr.", "Titel", "Eingereicht"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet["A2"].value == 1 and isinstance(sheet["A2"].value, int)
    assert sheet["B2"].value == "Köln 1 – Straße"
    # 10:30 UTC is 12:30 in Cologne in July, a date Excel computes with
    assert sheet["C2"].value == datetime(2026, 7, 1, 12, 30)
    assert sheet["C2"].number_format == "yyyy\\-mm\\-dd hh:mm"
    assert sheet.column_dimensions["B"].width == 40
    assert sheet.max_row == 4 and book["Kommentare"].max_row == 1


def test_text_that_looks_like_a_formula_stays_text_everywhere(app):
    rows = [(n, text, None) for n, text in enumerate(HOSTILE)]
    with app.test_request_context():
        data = b"".join(xlsx_chunks([_sheet(rows)]))
        text = b"".join(csv_chunks(_sheet(rows))).decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula in any cell
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for row, hostile in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row, 2)
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == hostile
    assert text.startswith("\ufeffNr.,Titel,Eingereicht")
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[1] for row in read[1:]] == ["'" + value for value in HOSTILE]


def test_characters_xml_forbids_and_overlong_text_do_not_break_the_workbook(app):
    rows = [(1, "Null\x00byte\x0bund\x1f" + "x" * 40_000, None)]
    with app.test_request_context():
        data = b"".join(xlsx_chunks([_sheet(rows, name="a/b:c*d?[e]" + "f" * 40)]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    title = book.sheetnames[0]
    assert len(title) <= 31 and not set(title) & set("/:*?[]")
    value = book.active["B2"].value
    assert value.startswith("Nullbyteund") and len(value) == 32_767


def test_numbers_that_are_not_finite_are_left_empty(app):
    rows = [(float("nan"), "a", None), (float("inf"), "b", None)]
    with app.test_request_context():
        data = b"".join(xlsx_chunks([_sheet(rows)]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet["A2"].value, sheet["A3"].value] == [None, None]


def test_json_is_one_object_with_stable_keys_and_iso_dates(app):
    with app.test_request_context():
        data = b"".join(json_chunks([_sheet(_rows(2))], meta={"filters": {"topic": "mobility"}}))
    parsed = json.loads(data)
    assert parsed["meta"] == {"filters": {"topic": "mobility"}}
    assert parsed["proposals"] == [
        {"id": 1, "title": "Köln 1 – Straße", "created_at": "2026-07-01T12:30"},
        {"id": 2, "title": "Köln 2 – Straße", "created_at": "2026-07-01T12:30"},
    ]


def test_large_sheets_come_in_chunks_not_at_once(app):
    with app.test_request_context():
        chunks = list(xlsx_chunks([_sheet(_rows(20_000))]))
        csv_parts = list(csv_chunks(_sheet(_rows(20_000))))
    assert len(chunks) > 3 and len(csv_parts) > 3
    assert max(len(chunk) for chunk in chunks) < 1024 * 1024
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 20_001


def test_a_workbook_claiming_the_widest_sheet_is_read_only_as_wide_as_a_table(monkeypatch):
    """openpyxl pads each row to the width a sheet's own <dimension> tag claims: 16,384 columns
    for "XFD" would cost minutes of CPU on a small file. The import reads 64 columns at most."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    from participation.measures import transfer_read

    book = Workbook()
    sheet = book.active
    sheet.title = "measures"
    sheet.append(["external_id", "title_de", "topic", "organisation"])
    for number in range(50):
        sheet.append([f"X-{number}", "Titel", "education", "Amt"])
    plain = io.BytesIO()
    book.save(plain)
    claimed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(claimed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD51"', data)
            target.writestr(item, data)
    seen = []
    original = transfer_read._fill

    def spy(table, headings, rows, problems):
        rows = list(rows)
        seen.append(max(len(row) for row in rows))
        return original(table, headings, rows, problems)

    monkeypatch.setattr(transfer_read, "_fill", spy)
    tables, _problems = transfer_read.read_tables("wide.xlsx", claimed.getvalue())
    assert len(tables["measures"].rows) == 50
    assert seen and max(seen) <= transfer_read.MAX_COLUMNS
