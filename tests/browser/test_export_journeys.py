"""A planner takes the results to Excel and Word in a real browser: filters the exports, downloads
XLSX and DOCX, and the files open with what the filters chose (read back with openpyxl and
python-docx)."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
from playwright.sync_api import expect

from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD


def _download(page, link) -> bytes:
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.failure() is None
    with open(download.path(), "rb") as saved:
        return saved.read()


def test_a_planner_filters_and_downloads_xlsx_and_docx(page, live_server):
    log_in(page, live_server, persona_email("planner"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Planung").click()
    page.get_by_role("link", name="Exporte: Vorschläge, Kommentare, Stimmen, Entscheidungen, Übernahmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exporte")
    page.get_by_label("Thema").select_option(label="Digitale Bildung")
    page.get_by_label("Status").select_option(label="angenommen")
    page.get_by_role("button", name="Filter für die Downloads übernehmen").click()
    expect(page.get_by_label("Thema")).to_have_value("education")  # the choice is kept

    data = _download(page, page.get_by_role("link", name=re.compile(r"^XLSX\s*:\s*Vorschläge$")))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Vorschläge"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    heading = rows[0]
    assert heading[:4] == ["Nr.", "Titel", "Status", "Thema"] and sheet.freeze_panes == "A2"
    assert "Angenommen" in [row[1] for row in rows[1:]]  # the accepted proposal of the seeded site
    assert all(row[2] == "angenommen" and row[3] == "Digitale Bildung" for row in rows[1:])
    assert "Wartet auf Freigabe" not in [row[1] for row in rows[1:]]

    data = _download(page, page.get_by_role("link", name=re.compile(r"^Word \(\.docx\)\s*,\s*Version 1$")))
    word = docx.Document(io.BytesIO(data))
    chapters = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert chapters and chapters[0].startswith("1 ")
    assert any(p.text.startswith("1.1") for p in word.paragraphs)
