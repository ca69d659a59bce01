"""Reading a Word (.docx) draft as a stream: the archive's sizes are checked as it is unpacked and the
XML is parsed without building a tree (lxml calls us per element), counting elements, paragraphs,
runs and characters as it goes, so a hostile file is refused within its limits, in time and memory,
before anything else is built."""

from __future__ import annotations

import io
import re
import zipfile

from flask_babel import lazy_gettext as _l
from lxml import etree

from participation.drafts.importer import (
    MAX_CHAPTERS,
    MAX_FILE_BYTES,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS,
    TITLE_MAX,
    ImportError_,
    ParsedChapter,
    ParsedDraft,
    ParsedParagraph,
    check_size,
    clean,
    too_large,
)

MAX_MEMBERS = 2_000
MAX_DOCUMENT_XML = 32 * 1024 * 1024  # about ten times the markup of a 3 MB draft
MAX_STYLES_XML = 4 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024  # the archive as a whole; a .docx that unpacks to more is a zip bomb
# what each costs parsing time, so each is counted: elements of any kind, paragraphs (empty ones and those
# in tables too), runs of text, and the characters kept
MAX_ELEMENTS = 1_000_000
MAX_PARAGRAPH_ELEMENTS = 20_000
MAX_RUNS = 200_000
MAX_TEXT_CHARS = 10_000_000  # three times a 3 MB draft
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, R, T, PPR, RPR, PSTYLE, NUMPR = (W + name for name in ("p", "r", "t", "pPr", "rPr", "pStyle", "numPr"))
SKIPPED = {W + "tbl", W + "txbxContent"}  # tables and text boxes: their paragraphs are not the draft's
IMAGES = {W + "drawing", W + "pict"}
_OFF = {"0", "false", "off", "none"}
# `*` and `_` of the text stand in a run as characters XML cannot hold, until the paragraph is joined: Word
# splits "Kölner*innen" into runs "Kölner" and "*innen", and only the joined text (with its emphasis
# marks) tells whether a mark is between two letters (text) or could start emphasis (escaped)
_HELD = str.maketrans({"*": "\x00", "_": "\x01"})
_HELD_MARK = re.compile("[\x00\x01]")


class _Refused(Exception):
    """Raised inside the parser's callbacks; carries the message for the planner."""

    def __init__(self, error: ImportError_):
        self.error = error


def _too_large() -> ImportError_:
    return ImportError_(
        _l("The file unpacks to more than %(mb)d MB and was not read.", mb=MAX_DOCUMENT_XML // (1024 * 1024))
    )


def _too_complex() -> ImportError_:
    return ImportError_(
        _l(
            "The document has more than %(max)d paragraphs (empty ones included) or is too complex.",
            max=MAX_PARAGRAPH_ELEMENTS,
        )
    )


def _parse(archive: zipfile.ZipFile, name: str, limit: int, target) -> None:
    """Feed the member to a parser calling `target`, counting what is unpacked: more than `limit`
    bytes stop the reading, whatever the archive's directory claims."""
    # no DTD, no entities, no network: a document needs none of them
    parser = etree.XMLParser(target=target, resolve_entities=False, load_dtd=False, no_network=True)
    unpacked = 0
    with archive.open(name) as member:
        while piece := member.read(64 * 1024):
            unpacked += len(piece)
            if unpacked > limit:
                raise _Refused(_too_large())
            parser.feed(piece)
    parser.close()


class _Styles:
    """Style id → built-in name in lower case ("heading 1", "title"): the ids are translated in a
    German Word ("berschrift1"), the names are not."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.current: str | None = None
        self.elements = 0

    def start(self, tag, attrib):
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _Refused(_too_complex())
        if tag == W + "style":
            self.current = attrib.get(W + "styleId", "")
        elif tag == W + "name" and self.current is not None:
            self.names[self.current] = (attrib.get(W + "val") or "").strip().lower()

    def end(self, tag):
        if tag == W + "style":
            self.current = None

    def data(self, text):
        pass

    def close(self):
        return self.names


def _on(attrib) -> bool:
    return (attrib.get(W + "val") or "true").lower() not in _OFF


def _marked(plain: str, bold: bool, italic: bool) -> str:
    text = plain.translate(_HELD) if "*" in plain or "_" in plain else plain
    if not text.strip():
        return text
    if bold and italic:
        return f"***{text}***"
    if bold:
        return f"**{text}**"
    if italic:
        return f"*{text}*"
    return text


def _released(marked: str) -> str:
    """The paragraph's Markdown with each held mark written as text between two letters and escaped
    anywhere else (next to a space, a sign or an emphasis mark of a neighbouring run)."""

    def one(found: re.Match) -> str:
        index, mark = found.start(), "*" if found.group() == "\x00" else "_"
        inner = index > 0 and marked[index - 1].isalpha() and marked[index + 1 : index + 2].isalpha()
        return mark if inner else "\\" + mark

    return _HELD_MARK.sub(one, marked) if "\x00" in marked or "\x01" in marked else marked


class _Document:
    """The parser's target for document.xml: it keeps only the open paragraph and what was read."""

    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.draft = ParsedDraft()
        self.subheading: str | None = None
        self.elements = self.paragraph_elements = self.runs = self.chars = 0
        self.lost = self.shortened = self.tables = self.images = 0
        self.skipped = 0  # depth in tables and text boxes
        self.in_properties = self.in_run = self.in_run_properties = self.in_text = False
        self.style_id, self.listed = "", False
        self.bold = self.italic = False
        self.run_parts: list[str] = []
        self.plain: list[str] = []  # the open paragraph's runs
        self.marked: list[str] = []
        self.length = 0

    def start(self, tag, attrib):
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _Refused(_too_complex())
        if tag == P:
            self.paragraph_elements += 1
            if self.paragraph_elements > MAX_PARAGRAPH_ELEMENTS:
                raise _Refused(_too_complex())
        if tag in SKIPPED:
            self.tables += tag == W + "tbl" and not self.skipped
            self.skipped += 1
        elif tag in IMAGES:
            self.images += 1
        elif self.skipped:
            return
        elif tag == P:
            self.style_id, self.listed = "", False
            self.plain, self.marked, self.length = [], [], 0
        elif tag == PPR:
            self.in_properties = True
        elif self.in_properties and not self.in_run:
            if tag == PSTYLE:
                self.style_id = attrib.get(W + "val", "")
            elif tag == NUMPR:
                self.listed = True
        elif tag == R:
            self.in_run, self.bold, self.italic, self.run_parts = True, False, False, []
            self.runs += 1
            if self.runs > MAX_RUNS:
                raise _Refused(_too_complex())
        elif self.in_run:
            if tag == RPR:
                self.in_run_properties = True
            elif self.in_run_properties and tag == W + "b":
                self.bold = _on(attrib)
            elif self.in_run_properties and tag == W + "i":
                self.italic = _on(attrib)
            elif tag == T:
                self.in_text = True
            elif tag == W + "tab":
                self.run_parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                self.run_parts.append("\n")

    def data(self, text):
        if self.in_text and not self.skipped and self.length <= MAX_PARAGRAPH_CHARS:
            self.run_parts.append(text)
            self.length += len(text)
            self.chars += len(text)
            if self.chars > MAX_TEXT_CHARS:
                raise _Refused(too_large())

    def end(self, tag):
        if tag in SKIPPED:
            self.skipped -= 1
        elif self.skipped:
            return
        elif tag == T:
            self.in_text = False
        elif tag == RPR:
            self.in_run_properties = False
        elif tag == PPR:
            self.in_properties = False
        elif tag == R and self.in_run:
            plain = "".join(self.run_parts)
            self.plain.append(plain)
            self.marked.append(_marked(plain, self.bold, self.italic))
            self.in_run = False
        elif tag == P:
            self.paragraph()

    def close(self):
        return self.draft

    def paragraph(self) -> None:
        style = self.styles.get(self.style_id, self.style_id.lower())
        plain = clean("".join(self.plain))
        marked = _released("".join(self.marked))
        self.plain, self.marked, self.length = [], [], 0
        if not plain:
            return
        if style == "title" and self.draft.title is None:
            self.draft.title = " ".join(plain.split())[:TITLE_MAX]
        elif style in ("title", "heading 1", "heading1"):
            self.chapter(" ".join(plain.split())[:TITLE_MAX])
        elif style.startswith("heading"):
            self.subheading = " ".join(plain.split())[:TITLE_MAX] or None
        else:
            text = clean(marked)
            self.text(f"- {text}" if self.listed or style.startswith("list") else text)

    def chapter(self, title: str) -> None:
        if len(self.draft.chapters) >= MAX_CHAPTERS:
            raise _Refused(too_large())
        self.draft.chapters.append(ParsedChapter(title=title))
        self.subheading = None

    def text(self, text: str) -> None:
        if not self.draft.chapters:
            self.lost += 1
            return
        if len(text) > MAX_PARAGRAPH_CHARS:
            self.shortened += 1
            text = text[:MAX_PARAGRAPH_CHARS]
        if self.draft.paragraph_count >= MAX_PARAGRAPHS:
            raise _Refused(too_large())
        self.draft.chapters[-1].paragraphs.append(ParsedParagraph(text=text, subheading=self.subheading))
        self.subheading = None

    def warnings(self) -> list[str]:
        found = []
        if self.lost:
            found.append(_l("%(count)d paragraph(s) before the first chapter heading were left out.", count=self.lost))
        if self.shortened:
            found.append(_l("A paragraph longer than %(max)d characters was shortened.", max=MAX_PARAGRAPH_CHARS))
        if self.tables:
            found.append(_l("%(count)d table(s) could not be carried over.", count=self.tables))
        if self.images:
            found.append(_l("Images could not be carried over."))
        return [str(warning) for warning in found]


def _open(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_FILE_BYTES:
        raise ImportError_(_l("The file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportError_(
            _l("This is not a Word document (.docx). Old .doc files must be saved as .docx first.")
        ) from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise _too_large()
    if "word/document.xml" not in archive.namelist():
        raise ImportError_(_l("This is not a Word document (.docx)."))
    if archive.getinfo("word/document.xml").file_size > MAX_DOCUMENT_XML:
        raise _too_large()
    return archive


def parse_docx(data: bytes) -> ParsedDraft:
    """Heading 1 starts a chapter, Heading 2 (and lower) is a sub-heading, Title is the version's title,
    other paragraphs are text with their bold and italic. Tables and images cannot be carried over and
    are reported."""
    archive = _open(data)
    try:
        with archive:
            styles = _Styles()
            if "word/styles.xml" in archive.namelist():
                _parse(archive, "word/styles.xml", MAX_STYLES_XML, styles)
            document = _Document(styles.names)
            _parse(archive, "word/document.xml", MAX_DOCUMENT_XML, document)
    except _Refused as refused:
        raise refused.error from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ImportError_(_l("The Word document could not be read: it may be damaged.")) from exc
    draft = document.draft
    draft.warnings += document.warnings()
    check_size(draft)
    return draft
