"""Reading a draft from Markdown or Word (.docx) into chapters and paragraphs, and putting it
into a version that is being prepared while keeping lineage keys of (nearly) unchanged text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

from participation.drafts.models import Chapter, MasterplanVersion, Paragraph

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_CHAPTERS = 200
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH_CHARS = 20_000
TITLE_MAX = 200
SIMILAR_ENOUGH = 0.85  # re-import: this much alike keeps the paragraph's lineage


class ImportError_(Exception):
    """The file cannot be read as a draft; nothing was created. The message says why."""


@dataclass
class ParsedParagraph:
    text: str
    subheading: str | None = None


@dataclass
class ParsedChapter:
    title: str
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


@dataclass
class ParsedDraft:
    chapters: list[ParsedChapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # a Word document's Title: the version's title

    @property
    def paragraph_count(self) -> int:
        return sum(len(chapter.paragraphs) for chapter in self.chapters)


# a block: from a line with text up to the next blank line (found by the regex engine, blank lines cost
# nothing; the lookbehind starts only at the beginning of a run of spaces)
_BLOCK = re.compile(r"(?<![ \t])[ \t]*\S[^\n]*(?:\n(?![ \t]*(?:\n|$))[^\n]*)*")


def clean(text: str) -> str:
    if text.isprintable():  # the common case, checked at C speed
        return text.strip()
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def parse_markdown(source: str) -> ParsedDraft:
    """`#` starts a chapter, `##` a sub-heading for the paragraphs after it, blank lines separate
    paragraphs. Text before the first chapter is reported and left out."""
    draft = ParsedDraft()
    subheading = None
    lost = paragraphs = 0
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    for found in _BLOCK.finditer(source):  # one block at a time: a huge file is refused as it is read
        raw = found.group(0)
        lines = [line for line in raw.split("\n") if line.strip()]
        while lines:
            line = lines[0].strip()
            if line.startswith("# "):
                title = clean(line[2:])[:TITLE_MAX]
                if not title:
                    draft.warnings.append(str(_l("A chapter heading without a title was left out.")))
                else:
                    if len(draft.chapters) >= MAX_CHAPTERS:
                        raise too_large()
                    draft.chapters.append(ParsedChapter(title=title))
                subheading = None
                lines.pop(0)
            elif line.startswith("## "):
                subheading = clean(line[3:])[:TITLE_MAX] or None
                lines.pop(0)
            elif line.startswith("#"):
                draft.warnings.append(str(_l("A heading of a lower level was read as text: %(line)s", line=line[:80])))
                break
            else:
                break
        text = clean("\n".join(lines))
        if not text:
            continue
        if not draft.chapters:
            lost += 1
            continue
        if len(text) > MAX_PARAGRAPH_CHARS:
            draft.warnings.append(
                str(_l("A paragraph longer than %(max)d characters was shortened.", max=MAX_PARAGRAPH_CHARS))
            )
            text = text[:MAX_PARAGRAPH_CHARS]
        paragraphs += 1
        if paragraphs > MAX_PARAGRAPHS:
            raise too_large()
        draft.chapters[-1].paragraphs.append(ParsedParagraph(text=text, subheading=subheading))
        subheading = None
    if lost:
        draft.warnings.append(
            str(_l("%(count)d paragraph(s) before the first chapter heading were left out.", count=lost))
        )
    check_size(draft)
    return draft


def too_large() -> ImportError_:
    return ImportError_(
        _l(
            "The draft is too large (at most %(chapters)d chapters and %(paragraphs)d paragraphs).",
            chapters=MAX_CHAPTERS,
            paragraphs=MAX_PARAGRAPHS,
        )
    )


def check_size(draft: ParsedDraft) -> None:
    if not draft.chapters:
        raise ImportError_(
            _l('No chapter found. Chapters start with a heading: "# Title" in Markdown, "Heading 1" in Word.')
        )
    if len(draft.chapters) > MAX_CHAPTERS or draft.paragraph_count > MAX_PARAGRAPHS:
        raise too_large()
    for chapter in draft.chapters:
        if not chapter.paragraphs:
            draft.warnings.append(str(_l('Chapter "%(title)s" has no paragraphs.', title=chapter.title)))


def parse_upload(filename: str, data: bytes) -> ParsedDraft:
    name = (filename or "").lower()
    if name.endswith(".docx"):
        from participation.drafts.docx_reader import parse_docx  # it builds on this module

        return parse_docx(data)
    if name.endswith((".md", ".markdown", ".txt")):
        if len(data) > MAX_FILE_BYTES:
            raise ImportError_(_l("The file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // (1024 * 1024)))
        try:
            return parse_markdown(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ImportError_(_l("The text file is not UTF-8 encoded. Please save it as UTF-8.")) from exc
    raise ImportError_(_l("Please choose a Markdown (.md) or Word (.docx) file."))


def apply_draft(version: MasterplanVersion, draft: ParsedDraft) -> dict[str, int]:
    """Replace the text of a version being prepared; paragraphs whose text is unchanged or nearly
    so keep their lineage key (and so their history). Returns how many were kept and new."""
    old_paragraphs = [p for chapter in version.chapters for p in chapter.paragraphs]
    old_chapters = {chapter.title.casefold(): chapter.lineage_key for chapter in version.chapters}
    unused = {p.lineage_key: p.text for p in old_paragraphs}
    kept = 0
    chapters = []
    for position, parsed in enumerate(draft.chapters, start=1):
        chapter = Chapter(position=position, title=parsed.title)
        if parsed.title.casefold() in old_chapters:
            chapter.lineage_key = old_chapters.pop(parsed.title.casefold())
        for number, parsed_paragraph in enumerate(parsed.paragraphs, start=1):
            paragraph = Paragraph(position=number, text=parsed_paragraph.text, subheading=parsed_paragraph.subheading)
            key = _best_match(parsed_paragraph.text, unused)
            if key:
                paragraph.lineage_key = key
                del unused[key]
                kept += 1
            chapter.paragraphs.append(paragraph)
        chapters.append(chapter)
    version.chapters = chapters
    return {"kept": kept, "new": draft.paragraph_count - kept, "removed": len(unused)}


def _best_match(text: str, candidates: dict[str, str]) -> str | None:
    for key, old in candidates.items():  # the same text: the common case, cheap
        if old == text:
            return key
    best, best_ratio = None, SIMILAR_ENOUGH
    for key, old in candidates.items():
        matcher = SequenceMatcher(None, old, text, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = key, ratio
    return best
