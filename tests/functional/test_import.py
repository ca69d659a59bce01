"""Importing drafts from Markdown and Word: preview, confirmation, hostile files, lineage on re-import."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.drafts.docx_reader import parse_docx
from participation.drafts.importer import ImportError_, apply_draft, parse_markdown
from participation.drafts.models import MasterplanVersion, Paragraph
from participation.drafts.services import create_version
from participation.drafts.upload import parse_upload

MARKDOWN = (
    "Vorwort ohne Kapitel.\n\n# Bildung\n\n## Schulen\n\nErster Absatz.\n\nZweiter **Absatz**.\n\n"
    "# Daten\n\nDritter Absatz.\n"
)


def word_file(paragraphs) -> bytes:
    document = docx.Document()
    for style, text in paragraphs:
        if style == "table":
            document.add_table(rows=1, cols=1)
        elif style.startswith("Heading"):
            document.add_heading(text, level=int(style[-1]))
        else:
            run_paragraph = document.add_paragraph()
            run_paragraph.add_run(text).bold = style == "bold"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def planner(users, browser):
    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")


def test_markdown_is_read_with_warnings():
    draft = parse_markdown(MARKDOWN)
    assert [c.title for c in draft.chapters] == ["Bildung", "Daten"]
    assert [p.text for p in draft.chapters[0].paragraphs] == ["Erster Absatz.", "Zweiter **Absatz**."]
    assert draft.chapters[0].paragraphs[0].subheading == "Schulen"
    assert any("vor der ersten" in w or "before the first" in w for w in draft.warnings)


def test_word_is_read():
    data = word_file(
        [
            ("Heading 1", "Bildung"),
            ("Heading 2", "Schulen"),
            ("Normal", "Erster Absatz."),
            ("bold", "Wichtig"),
            ("table", ""),
            ("Heading 1", "Daten"),
            ("Normal", "Dritter."),
        ]
    )
    draft = parse_docx(data)
    assert [c.title for c in draft.chapters] == ["Bildung", "Daten"]
    assert draft.chapters[0].paragraphs[0].subheading == "Schulen"
    assert draft.chapters[0].paragraphs[1].text == "**Wichtig**"
    assert any("1" in w for w in draft.warnings)  # the table was reported


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04broken", b"%PDF-1.4 pretending"],
)
def test_broken_word_files_are_refused(data):
    with pytest.raises(ImportError_):
        parse_docx(data)


def test_zip_bomb_and_foreign_zip_are_refused():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (70 * 1024 * 1024))
    with pytest.raises(ImportError_, match=r"unpacks|entpackt"):
        parse_docx(bomb.getvalue())
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportError_):
        parse_docx(other.getvalue())


def test_markdown_without_chapters_is_refused():
    with pytest.raises(ImportError_):
        parse_markdown("Nur Text, keine Überschrift.")


@pytest.mark.parametrize(
    "source",
    [
        "\n# Bildung\n\nErster Absatz.",
        " \n# Bildung\n\nErster Absatz.",
        "\t \n\n \n# Bildung\n \t\nErster Absatz.\n  \n",
        "\r\n# Bildung\r\n \r\nErster Absatz.\r\n",
        "\ufeff# Bildung\n\nErster Absatz.",
        "\ufeff\n\u00a0\n# Bildung\n\nErster Absatz.",
    ],
    ids=["blank line", "line of spaces", "spaces between blocks", "CRLF", "BOM", "BOM and no-break space"],
)
def test_markdown_with_leading_blank_lines_bom_or_crlf_is_read(source):
    """What editors write before the first heading is no text before the first chapter."""
    for draft in (parse_markdown(source), parse_upload("entwurf.md", source.encode("utf-8-sig"))):
        assert [c.title for c in draft.chapters] == ["Bildung"]
        assert [p.text for p in draft.chapters[0].paragraphs] == ["Erster Absatz."]
        assert draft.warnings == []


def test_upload_preview_confirm(browser, planner, db):
    response = browser.submit(
        "/planning/import",
        {"file": (io.BytesIO(MARKDOWN.encode()), "entwurf.md"), "target": "new"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "2" in page.find("h1").find_next("p").get_text()  # 2 chapters in the preview
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 0  # nothing saved yet
    data = {
        "token": page.find("input", attrs={"name": "token"})["value"],
        "title": "Entwurf aus Datei",
        "csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"],
    }
    confirmed = browser.client.post("/planning/import/confirm", data=data)
    assert confirmed.status_code == 303
    version = db.session.scalar(select(MasterplanVersion))
    assert version.title == "Entwurf aus Datei" and version.status == "preparing"
    assert [c.title for c in version.chapters] == ["Bildung", "Daten"]


@pytest.mark.parametrize(
    "name, data",
    [("entwurf.docx", b"not a zip"), ("entwurf.pdf", b"%PDF"), ("entwurf.md", "ä".encode("latin-1")), ("leer.md", b"")],
)
def test_bad_uploads_get_a_message_at_the_field(browser, planner, db, name, data):
    response = browser.submit(
        "/planning/import", {"file": (io.BytesIO(data), name), "target": "new"}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="file-error")
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 0


def test_reimport_keeps_lineage_of_unchanged_and_nearly_unchanged_text(db):
    version = create_version(None, "Entwurf")
    first = "Die Stadt baut bis 2025 ein flächendeckendes Glasfasernetz in allen Stadtbezirken aus."
    second = "Jede Schule erhält eine Ansprechperson für digitale Medien."
    apply_draft(version, parse_markdown(f"# Infrastruktur\n\n{first}\n\n{second}\n"))
    db.session.commit()
    keys = [p.lineage_key for p in version.chapters[0].paragraphs]
    nearly = first.replace("bis 2025", "bis Ende 2025")
    result = apply_draft(version, parse_markdown(f"# Infrastruktur\n\nGanz neuer Absatz.\n\n{nearly}\n\n{second}\n"))
    db.session.commit()
    paragraphs = db.session.scalars(select(Paragraph).order_by(Paragraph.position)).all()
    assert [p.lineage_key for p in paragraphs][1:] == keys
    assert paragraphs[0].lineage_key not in keys
    assert result == {"kept": 2, "new": 1, "removed": 0}


def test_cli_import(app, db, tmp_path):
    path = tmp_path / "entwurf.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["drafts", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 chapters, 3 paragraphs" in result.output
    broken = tmp_path / "kaputt.docx"
    broken.write_bytes(b"nope")
    failed = app.test_cli_runner().invoke(args=["drafts", "import", str(broken)])
    assert failed.exit_code != 0
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 1


def test_word_runs_split_at_a_gender_star_are_stored_as_written(browser, users, db):
    """Word often ends a run just before the star: "Kölner" and "*innen". The escapes are decided on the
    joined paragraph, so the stored text has no backslash; real emphasis still becomes Markdown."""
    document = docx.Document()
    document.add_heading("Beteiligung", level=1)
    split = document.add_paragraph("Die Kölner")
    for text in ("*innen und Kolleg", "_innen, Bürger", ":innen und Expert*", "innen."):
        split.add_run(text)
    emphasis = document.add_paragraph("Das ist ")
    emphasis.add_run("wichtig").bold = True
    emphasis.add_run(" für ")
    emphasis.add_run("alle").italic = True
    emphasis.add_run(" ")
    emphasis.add_run("Expert").italic = True
    emphasis.add_run("*innen")
    emphasis.add_run(" und * Sterne_")
    buffer = io.BytesIO()
    document.save(buffer)
    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")
    page = browser.submit(
        "/planning/import",
        {"file": (io.BytesIO(buffer.getvalue()), "entwurf.docx"), "target": "new"},
        content_type="multipart/form-data",
    )
    fields = {f["name"]: f.get("value", "") for f in BeautifulSoup(page.data, "html.parser").find_all("input")}
    fields["title"] = "Entwurf"
    assert browser.client.post("/planning/import/confirm", data=fields).status_code == 303
    texts = [p.text for p in db.session.scalar(select(MasterplanVersion)).chapters[0].paragraphs]
    assert texts == [
        "Die Kölner*innen und Kolleg_innen, Bürger:innen und Expert*innen.",
        # a star next to a run's emphasis mark, a space or the end could start emphasis: escaped
        "Das ist **wichtig** für *alle* *Expert*\\*innen und \\* Sterne\\_",
    ]
    chapter = browser.get(f"/masterplan/chapters/{db.session.scalar(select(MasterplanVersion)).chapters[0].id}")
    body = BeautifulSoup(chapter.data, "html.parser")
    assert "Die Kölner*innen und Kolleg_innen, Bürger:innen und Expert*innen." in body.get_text()
    assert body.find("strong", string="wichtig") and body.find("em", string="alle")
    assert body.find("em", string="Expert") and "Expert*innen und * Sterne_" in body.get_text()
