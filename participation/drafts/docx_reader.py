"""Reading a Word (.docx) draft as a stream: the archive's sizes are checked as it is unpacked and the
document is parsed one paragraph at a time, counting as it goes, so a hostile file is refused within
its limits (time and memory) before anything else is built."""

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
)

MAX_MEMBERS = 2_000
MAX_DOCUMENT_XML = 32 * 1024 * 1024  # about ten times the markup of a 3 MB draft
MAX_STYLES_XML = 4 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024  # the archive as a whole; a .docx that unpacks to more is a zip bomb
# every paragraph element counts, empty ones and those in tables too: they cost parsing time
MAX_PARAGRAPH_ELEMENTS = 20_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = {"0", "false", "off", "none"}
# `*` or `_` not between two letters could start emphasis; between letters (Kölner*innen) they are text
_LOOSE_MARK = re.compile(r"(?<![^\W\d_])([*_])|([*_])(?![^\W\d_])")


class _TooLarge(Exception):
    pass


class _Bounded:
    """A member of the archive, read through a counter: more than `limit` bytes unpacked stop the
    reading, whatever the archive's directory claims."""

    def __init__(self, member, limit: int):
        self._member = member
        self._limit = limit
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        data = self._member.read(size)
        self.read_bytes += len(data)
        if self.read_bytes > self._limit:
            raise _TooLarge
        return data


def _too_large() -> ImportError_:
    return ImportError_(
        _l("The file unpacks to more than %(mb)d MB and was not read.", mb=MAX_DOCUMENT_XML // (1024 * 1024))
    )


def _events(archive: zipfile.ZipFile, name: str, limit: int, tags):
    member = _Bounded(archive.open(name), limit)
    # no DTD, no entities, no network: a document needs none of them
    return etree.iterparse(
        member, events=("start", "end"), tag=tags, resolve_entities=False, load_dtd=False, no_network=True
    )


def _style_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Style id → built-in name in lower case ("heading 1", "title"): the ids are translated in a
    German Word ("berschrift1"), the names are not."""
    if "word/styles.xml" not in archive.namelist():
        return {}
    names: dict[str, str] = {}
    for event, element in _events(archive, "word/styles.xml", MAX_STYLES_XML, (W + "style",)):
        if event == "end":
            name = element.find(W + "name")
            if name is not None:
                names[element.get(W + "styleId", "")] = (name.get(W + "val") or "").strip().lower()
            element.clear()
    return names


def _on(element) -> bool:
    return element is not None and (element.get(W + "val") or "true").lower() not in _OFF


def _run_markdown(run) -> str:
    parts = []
    for child in run:
        if child.tag == W + "t":
            parts.append(child.text or "")
        elif child.tag == W + "tab":
            parts.append("\t")
        elif child.tag in (W + "br", W + "cr"):
            parts.append("\n")
    text = _LOOSE_MARK.sub(r"\\\1\2", "".join(parts))
    if not text.strip():
        return text
    properties = run.find(W + "rPr")
    bold = properties is not None and _on(properties.find(W + "b"))
    italic = properties is not None and _on(properties.find(W + "i"))
    if bold and italic:
        return f"***{text}***"
    if bold:
        return f"**{text}**"
    if italic:
        return f"*{text}*"
    return text


class _Reader:
    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.draft = ParsedDraft()
        self.subheading: str | None = None
        self.lost = self.shortened = self.tables = self.images = self.elements = 0

    def paragraph(self, element) -> None:
        properties = element.find(W + "pPr")
        style_id = ""
        listed = False
        if properties is not None:
            style = properties.find(W + "pStyle")
            style_id = style.get(W + "val", "") if style is not None else ""
            listed = properties.find(W + "numPr") is not None
        style = self.styles.get(style_id, style_id.lower())
        plain = clean("".join(t.text or "" for t in element.iter(W + "t")))
        if not plain:
            return
        if style == "title" and self.draft.title is None:
            self.draft.title = " ".join(plain.split())[:TITLE_MAX]
        elif style in ("title", "heading 1", "heading1"):
            self.chapter(" ".join(plain.split())[:TITLE_MAX])
        elif style.startswith("heading"):
            self.subheading = " ".join(plain.split())[:TITLE_MAX] or None
        else:
            text = clean("".join(_run_markdown(run) for run in element.iter(W + "r")))
            if listed or style.startswith("list"):
                text = f"- {text}"
            self.text(text)

    def chapter(self, title: str) -> None:
        if len(self.draft.chapters) >= MAX_CHAPTERS:
            raise _too_many()
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
            raise _too_many()
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


def _too_many() -> ImportError_:
    return ImportError_(
        _l(
            "The draft is too large (at most %(chapters)d chapters and %(paragraphs)d paragraphs).",
            chapters=MAX_CHAPTERS,
            paragraphs=MAX_PARAGRAPHS,
        )
    )


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
    tags = (W + "p", W + "tbl", W + "txbxContent", W + "drawing", W + "pict")
    try:
        with archive:
            reader = _Reader(_style_names(archive))
            inside = 0  # depth in tables and text boxes: their paragraphs are not the draft's
            for event, element in _events(archive, "word/document.xml", MAX_DOCUMENT_XML, tags):
                tag = element.tag
                if tag == W + "p":
                    if event == "end":
                        reader.elements += 1
                        if reader.elements > MAX_PARAGRAPH_ELEMENTS:
                            raise ImportError_(
                                _l(
                                    "The document has more than %(max)d paragraphs (empty ones included).",
                                    max=MAX_PARAGRAPH_ELEMENTS,
                                )
                            )
                        if not inside:
                            reader.paragraph(element)
                            _forget(element)
                elif tag in (W + "drawing", W + "pict"):
                    reader.images += event == "start"
                elif event == "start":
                    inside += 1
                else:
                    inside -= 1
                    reader.tables += tag == W + "tbl" and not inside
                    if not inside:
                        _forget(element)
    except _TooLarge as exc:
        raise _too_large() from exc
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ImportError_(_l("The Word document could not be read: it may be damaged.")) from exc
    draft = reader.draft
    draft.warnings += reader.warnings()
    check_size(draft)
    return draft


def _forget(element) -> None:
    """What was read is dropped, so memory stays that of one paragraph."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
