"""Hostile and large Word drafts: refused while they are read (in time and memory), a large draft
imported after its preview without sending the text again, Word's Title style and gender stars."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import timedelta

import docx
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from participation import ROOT
from participation.core.models import utcnow
from participation.drafts.docx_reader import parse_docx
from participation.drafts.models import MasterplanVersion, Paragraph, PendingImport
from tests.conftest import logged_in

BODY_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
BODY_END = "</w:body></w:document>"


def blank_docx() -> dict[str, bytes]:
    """The members of an empty document as Word writes them (styles included)."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_body(body_parts, *, styles: bytes | None = None) -> bytes:
    """A .docx whose document.xml is made of `body_parts` (an iterable of str), written in pieces."""
    members = blank_docx()
    if styles is not None:
        members["word/styles.xml"] = styles
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(BODY_START.encode())
            for part in body_parts:
                member.write(part.encode())
            member.write(BODY_END.encode())
    return buffer.getvalue()


def empty_paragraphs(count: int = 100_000) -> bytes:
    return with_body(["<w:p/>" * count])


def zip_bomb(megabytes: int = 55) -> bytes:
    paragraph = "<w:p><w:r><w:t>" + "Kölner*innen " * 70 + "</w:t></w:r></w:p>"
    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Kapitel</w:t></w:r></w:p>'
    repeats = megabytes * 1024 * 1024 // len(paragraph.encode()) + 1
    return with_body([heading] + [paragraph * 1000] * (repeats // 1000 + 1))


HEADING = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Kapitel</w:t></w:r></w:p>'


def million_runs() -> bytes:
    """One paragraph of 1.2 million runs of two letters each."""
    return with_body([HEADING, "<w:p>" + "<w:r><w:t>ab</w:t></w:r>" * 1_200_000 + "</w:p>"])


def nested_junk() -> bytes:
    """Two million empty elements inside one paragraph's properties: nothing to read, all to parse."""
    return with_body([HEADING, "<w:p><w:pPr>" + "<w:b/>" * 2_000_000 + "</w:pPr></w:p>"])


def too_much_text() -> bytes:
    """4,500 paragraphs of 2,500 characters: within every count but the characters of the whole."""
    return with_body([HEADING] + ["<w:p><w:r><w:t>" + "Kölner*innen " * 190 + "</w:t></w:r></w:p>"] * 4_500)


def large_draft(chapters: int = 40, paragraphs: int = 100) -> tuple[bytes, int]:
    document = docx.Document()
    document.add_heading("Digitales Köln 2025 – Entwurf aus Word", level=0)
    text = ("Die Kölner*innen und Expert*innen wünschen sich schnelles Internet in allen Stadtbezirken. " * 9)[:760]
    for chapter in range(chapters):
        document.add_heading(f"Kapitel {chapter + 1}", level=1)
        for number in range(paragraphs):
            document.add_paragraph(f"{number} {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), chapters * paragraphs * (len(text) + 4)


MEASURE = textwrap.dedent(
    """
    import json, sys, time
    from participation import create_app
    from participation.config import TESTING
    from participation.drafts.importer import ImportError_
    from participation.drafts.upload import parse_upload

    def status(key):  # this process's memory in MB (VmHWM: its peak since the last reset)
        for line in open("/proc/self/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024

    data = open(sys.argv[1], "rb").read()
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI="sqlite://"))
    with open("/proc/self/clear_refs", "w") as reset:
        reset.write("5")  # the peak starts again from what the process holds now
    before = status("VmRSS")
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        started = time.perf_counter()
        draft, message = None, None
        try:
            draft = parse_upload(sys.argv[1].rsplit("/", 1)[-1], data)
        except ImportError_ as error:
            message = str(error)
        seconds = time.perf_counter() - started
    read = {"warnings": draft.warnings, "paragraphs": draft.paragraph_count} if draft else {}
    print(json.dumps({"seconds": seconds, "peak_mb": status("VmHWM"), "before_mb": before, "message": message, **read}))
    """
)


def measured_refusal(tmp_path, data: bytes, name: str = "entwurf.docx") -> dict:
    """Read `data` in a fresh process: how long the refusal (or the reading) took, the process's peak
    memory, and what was read."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def planner(users, browser):
    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")


def upload(browser, data: bytes, name: str = "entwurf.docx"):
    return browser.submit(
        "/planning/import", {"file": (io.BytesIO(data), name), "target": "new"}, content_type="multipart/form-data"
    )


def test_hostile_files_are_small():
    assert len(empty_paragraphs()) < 60 * 1024
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("word/document.xml").file_size > 55 * 1024 * 1024


@pytest.mark.parametrize(
    "make, expected",
    [
        (empty_paragraphs, "Absätze"),
        (zip_bomb, "Entpackt ist die Datei größer als 32 MB"),
        (million_runs, "verschachtelt"),
        (nested_junk, "verschachtelt"),
        (too_much_text, "zu groß"),
    ],
)
def test_refusal_comes_within_two_seconds_and_200_mb(tmp_path, make, expected):
    result = measured_refusal(tmp_path, make())
    assert result["message"] and expected in result["message"], result
    assert result["seconds"] < 2, result
    assert result["peak_mb"] < 200, result


def test_a_document_that_claims_to_be_small_is_still_read_within_bounds(tmp_path):
    """The archive's directory may lie about the unpacked size: the reading itself counts."""
    bomb = bytearray(zip_bomb(40))
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        info = archive.getinfo("word/document.xml")
    # the archive claims 1 MB unpacked
    real = info.file_size.to_bytes(8, "little")
    claimed = (1024 * 1024).to_bytes(8, "little")
    assert bytes(bomb).count(real) == 1  # the central directory (zip64): what readers believe
    result = measured_refusal(tmp_path, bytes(bomb).replace(real, claimed))
    assert result["message"], result
    assert result["seconds"] < 2 and result["peak_mb"] < 200, result


def test_refusals_reach_the_file_field_in_time(browser, planner, db):
    for data, words in ((empty_paragraphs(), "20000"), (zip_bomb(), "32 MB")):
        started = time.perf_counter()
        response = upload(browser, data)
        assert time.perf_counter() - started < 2
        assert response.status_code == 422
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert words in page.find(id="file-error").get_text().replace(".", "").replace(" ", " ")
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 0
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0


def test_a_3_mb_draft_is_previewed_and_confirmed_without_sending_it_again(app, browser, planner, db):
    data, text_size = large_draft()
    assert text_size > 3_000_000
    response = upload(browser, data)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    form = page.find("form", attrs={"action": "/planning/import/confirm"})
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    assert set(fields) == {"csrf_token", "token", "title"}
    assert fields["title"] == "Digitales Köln 2025 – Entwurf aus Word"  # Word's Title style
    assert sum(len(value) for value in fields.values()) < 1000
    confirmed = browser.client.post("/planning/import/confirm", data=fields)
    assert confirmed.status_code == 303
    version = db.session.scalar(select(MasterplanVersion))
    assert version.title == "Digitales Köln 2025 – Entwurf aus Word"
    assert [c.title for c in version.chapters][:2] == ["Kapitel 1", "Kapitel 2"] and len(version.chapters) == 40
    assert db.session.scalar(select(func.count(Paragraph.id))) == 4000
    assert db.session.scalar(select(func.sum(func.length(Paragraph.text)))) > 3_000_000
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0  # taken: no second import
    again = browser.client.post("/planning/import/confirm", data=fields)
    assert again.status_code == 303 and db.session.scalar(select(func.count(MasterplanVersion.id))) == 1


def test_a_preview_is_confirmed_only_by_its_planner_and_only_in_time(app, users, browser, planner, db):
    data = with_body(
        [
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Bildung</w:t></w:r></w:p>',
            "<w:p><w:r><w:t>Ein Absatz.</w:t></w:r></w:p>",
        ]
    )
    page = BeautifulSoup(upload(browser, data).get_data(as_text=True), "html.parser")
    token = page.find("input", attrs={"name": "token"})["value"]
    untitled = browser.submit("/planning/import", {"token": token, "title": ""}, action="/planning/import/confirm")
    assert untitled.status_code == 422  # the preview again, the message at the title
    shown = BeautifulSoup(untitled.get_data(as_text=True), "html.parser")
    assert shown.find(id="title-error") and shown.find("input", attrs={"name": "token"})["value"] == token
    assert "Ein Absatz." in shown.get_text()
    users(email="other@example.org", roles=("participant", "planner"))
    other = logged_in(app, "other@example.org")
    refused = other.submit("/planning/import", {"token": token, "title": "Fremd"}, action="/planning/import/confirm")
    assert refused.status_code == 303
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 0
    db.session.execute(update(PendingImport).values(created_at=utcnow() - timedelta(hours=3)))
    db.session.commit()
    expired = browser.submit("/planning/import", {"token": token, "title": "Spät"}, action="/planning/import/confirm")
    assert expired.status_code == 303 and expired.headers["Location"] == "/planning/"
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 0
    assert "bereits bestätigt oder ist abgelaufen" in browser.get("/planning/").get_data(as_text=True)


def test_word_title_is_the_versions_title_and_gender_stars_are_stored_as_written(browser, planner, db):
    document = docx.Document()
    document.add_heading("Masterplan Digitales Köln", level=0)
    document.add_heading("Beteiligung", level=1)
    document.add_paragraph("Kölner*innen und Expert*innen, Kolleg_innen und Bürger*innen-Dialog.")
    run_paragraph = document.add_paragraph("Das ist ")
    run_paragraph.add_run("wichtig").italic = True
    run_paragraph.add_run(" für * alle")
    buffer = io.BytesIO()
    document.save(buffer)
    draft = parse_docx(buffer.getvalue())
    assert draft.title == "Masterplan Digitales Köln"
    assert [c.title for c in draft.chapters] == ["Beteiligung"]
    texts = [p.text for p in draft.chapters[0].paragraphs]
    assert texts == [
        "Kölner*innen und Expert*innen, Kolleg_innen und Bürger*innen-Dialog.",
        "Das ist *wichtig* für \\* alle",
    ]
    page = BeautifulSoup(upload(browser, buffer.getvalue()).get_data(as_text=True), "html.parser")
    fields = {field["name"]: field.get("value", "") for field in page.find_all("input") if field.get("name")}
    assert browser.client.post("/planning/import/confirm", data=fields).status_code == 303
    version = db.session.scalar(select(MasterplanVersion))
    assert version.title == "Masterplan Digitales Köln" and [c.title for c in version.chapters] == ["Beteiligung"]
    stored = version.chapters[0].paragraphs[0].text
    assert stored == "Kölner*innen und Expert*innen, Kolleg_innen und Bürger*innen-Dialog."
    chapter = browser.get(f"/masterplan/chapters/{version.chapters[0].id}")
    assert chapter.status_code == 200
    assert "Kölner*innen und Expert*innen, Kolleg_innen und Bürger*innen-Dialog." in chapter.get_data(as_text=True)


def test_a_german_words_headings_are_found_by_their_style_names():
    """A German Word names its styles' ids in German ("berschrift1"); the built-in names stay English."""
    styles = (
        BODY_START.replace("w:document", "w:styles").replace("<w:body>", "")
        + '<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>'
        + '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        + '<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>'
        + "</w:styles>"
    ).encode()
    data = with_body(
        [
            '<w:p><w:pPr><w:pStyle w:val="Titel"/></w:pPr><w:r><w:t>Masterplan</w:t></w:r></w:p>',
            '<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Bildung</w:t></w:r></w:p>',
            '<w:p><w:pPr><w:pStyle w:val="berschrift2"/></w:pPr><w:r><w:t>Schulen</w:t></w:r></w:p>',
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Alle</w:t></w:r>"
            '<w:r><w:t xml:space="preserve"> Schüler*innen</w:t></w:r></w:p>',
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>In der Tabelle</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        ],
        styles=styles,
    )
    draft = parse_docx(data)
    assert draft.title == "Masterplan"
    assert [c.title for c in draft.chapters] == ["Bildung"]
    paragraph = draft.chapters[0].paragraphs[0]
    assert (paragraph.subheading, paragraph.text) == ("Schulen", "**Alle** Schüler*innen")
    assert len(draft.chapters[0].paragraphs) == 1 and any("1" in w for w in draft.warnings)  # the table


# hostile Markdown: every shape is refused, or read with a few warnings, within 2 s and 200 MB
MARKDOWN_REFUSED = {
    "lower headings before the first chapter": b"#x\n\n" * 524_000 + b"# A\n\nText",
    "chapter headings": b"# A\n\n" * 600_000,
    "sub-headings": b"# A\n\n" + b"## s\n\n" * 600_000,
    "tiny paragraphs": b"# A\n\n" + b"a\n\n" * 1_000_000,
    "text before the first chapter": b"a\n\n" * 1_000_000 + b"# A\n\nText",
    "untitled chapter headings in one block": b"# A\n\n" + b"#\n" * 5_000_000,
    "empty sub-headings in one block": b"# A\n\n" + b"##\n" * 3_300_000,
    "chapter and sub-heading lines in one block": b"# A\n" + b"##\n#\n" * 2_000_000,
}
MARKDOWN_READ = {
    "one huge line": b"# A\n\n" + b"x" * 9_000_000,
    "one block of millions of lines": b"# A\n\n" + b"x\n" * 4_500_000,
    "deeply nested quotes": b"# A\n\n" + b">" * 9_000_000 + b" Text",
    "deeply nested lists": b"# A\n\n" + b"- " * 4_500_000 + b"Text",
    "indented list items": b"# A\n\n" + b"".join(b" " * (n % 100) + b"- x\n" for n in range(80_000)),
}


@pytest.mark.parametrize("shape", MARKDOWN_REFUSED)
def test_hostile_markdown_is_refused_within_two_seconds_and_200_mb(tmp_path, shape):
    result = measured_refusal(tmp_path, MARKDOWN_REFUSED[shape], "entwurf.md")
    assert result["message"] and "zu groß" in result["message"], result
    assert result["seconds"] < 2 and result["peak_mb"] < 200, result


@pytest.mark.parametrize("shape", MARKDOWN_READ)
def test_hostile_markdown_is_read_with_few_warnings_within_two_seconds_and_200_mb(tmp_path, shape):
    result = measured_refusal(tmp_path, MARKDOWN_READ[shape], "entwurf.md")
    assert result["message"] is None and result["paragraphs"] == 1, result
    assert result["warnings"] == ["Ein Absatz mit mehr als 20000 Zeichen wurde gekürzt."], result
    assert result["seconds"] < 2 and result["peak_mb"] < 200, result


def test_warnings_of_one_kind_are_one_line_with_a_count(browser, planner, db):
    headings = b"".join(b"### Punkt %d\n\n" % n for n in range(2_000))
    data = b"Vorab\n\n" * 3 + b"# \n\n" * 2 + headings + b"# Bildung\n\n" + headings + b"Ein Absatz.\n"
    response = upload(browser, data, "entwurf.md")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    warnings = [item.get_text(" ", strip=True) for item in page.find(id="warnings-title").parent.find_all("li")]
    assert warnings == [
        "2 Kapitelüberschrift(en) ohne Titel wurde(n) ausgelassen.",
        "4000 Überschrift(en) einer niedrigeren Ebene wurde(n) als Text gelesen, die erste: ### Punkt 0",
        "2003 Absatz/Absätze vor der ersten Kapitelüberschrift wurde(n) ausgelassen.",
    ]
    stored = json.loads(db.session.scalar(select(PendingImport.draft)))
    assert len(stored["warnings"]) == 3 and len(stored["chapters"][0]["paragraphs"]) == 2_001


def test_a_2_mb_markdown_draft_of_headings_is_refused_at_the_file_field(browser, planner, db):
    fields = {"csrf_token": browser.token("/planning/import"), "target": "new"}
    data = MARKDOWN_REFUSED["lower headings before the first chapter"]
    # the body as bytes: the test client would spool a body over 500 KB to a file it never closes
    boundary, body = encode_multipart({**fields, "file": FileStorage(io.BytesIO(data), "entwurf.md")})
    started = time.perf_counter()
    response = browser.client.post(
        "/planning/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "zu groß" in page.find(id="file-error").get_text()
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0
