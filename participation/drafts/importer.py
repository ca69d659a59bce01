"""Reading a draft from Markdown or Word (.docx) into chapters and paragraphs, and putting it
into a version that is being prepared while keeping lineage keys of (nearly) unchanged text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import chain

from flask_babel import lazy_gettext as _l

from participation.drafts.models import Chapter, MasterplanVersion, Paragraph

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_CHAPTERS = 200
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH_CHARS = 20_000
# blocks of a Markdown file (between blank lines) of any kind: each paragraph may have its own
# sub-heading block, and each chapter its heading
MAX_BLOCKS = 2 * MAX_PARAGRAPHS + MAX_CHAPTERS
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


# blocks are separated by blank lines: a run of them is one match of a single-character repeat, which the
# regex engine finds without keeping state per line (a repeated group kept hundreds of MB for a block of
# millions of lines)
_GAP = re.compile(r"\n[ \t\n]*\n")
_BLANK_LINES = re.compile(r"\n\s*\n")  # a line of control characters only, once they are cleaned away


def clean(text: str) -> str:
    if text.isprintable():  # the common case, checked at C speed
        return text.strip()
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def parse_markdown(source: str) -> ParsedDraft:
    """`#` starts a chapter, `##` a sub-heading for the paragraphs after it, blank lines separate
    paragraphs. Text before the first chapter is reported and left out. Every block counts against
    the limits as it is read, and each kind of warning is one line with a count: a hostile file is
    refused, or read, in time and memory."""
    draft = ParsedDraft()
    subheading = None
    blocks = paragraphs = lost = untitled = lower = shortened = 0
    first_lower = ""
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    position = 0
    for gap in chain(_GAP.finditer(source), [None]):  # one block at a time: a huge file is refused as it is read
        raw = source[position : gap.start() if gap else len(source)]
        position = gap.end() if gap else len(source)
        if raw.isspace() or not raw:
            continue
        blocks += 1
        if blocks > MAX_BLOCKS:
            raise too_large()
        start = 0
        while start < len(raw):  # the block's heading lines, without splitting all of its lines
            if start:  # each further line counts as a block: a block of a million "#" lines is refused early
                blocks += 1
                if blocks > MAX_BLOCKS:
                    raise too_large()
            end = raw.find("\n", start)
            end = len(raw) if end < 0 else end
            line = raw[start:end].strip()
            if not line:  # a line of spaces only the regex did not count as a gap (at the start, or non-ASCII)
                pass
            elif line == "#" or line.startswith("# "):
                title = clean(line[1:].strip()[:TITLE_MAX])
                if not title:
                    untitled += 1
                else:
                    if len(draft.chapters) >= MAX_CHAPTERS:
                        raise too_large()
                    draft.chapters.append(ParsedChapter(title=title))
                subheading = None
            elif line == "##" or line.startswith("## "):
                subheading = clean(line[2:].strip()[:TITLE_MAX]) or None
            else:
                if line.startswith("#"):
                    lower += 1
                    first_lower = first_lower or line[:80]
                break
            start = end + 1
        if start >= len(raw):
            continue
        paragraphs += 1  # text before the first chapter counts too: it was read
        if paragraphs > MAX_PARAGRAPHS:
            raise too_large()
        window = raw[start : start + 2 * MAX_PARAGRAPH_CHARS]  # a huge block is cut before it is cleaned
        text = _BLANK_LINES.sub("\n", clean(window))
        if not text:
            continue
        if not draft.chapters:
            lost += 1
            continue
        if len(text) > MAX_PARAGRAPH_CHARS or len(raw) - start > len(window):
            shortened += 1
            text = text[:MAX_PARAGRAPH_CHARS].rstrip()
        draft.chapters[-1].paragraphs.append(ParsedParagraph(text=text, subheading=subheading))
        subheading = None
    if untitled:
        draft.warnings.append(str(_l("%(count)d chapter heading(s) without a title were left out.", count=untitled)))
    if lower:
        draft.warnings.append(
            str(
                _l(
                    "%(count)d heading(s) of a lower level were read as text, the first: %(line)s",
                    count=lower,
                    line=first_lower,
                )
            )
        )
    if shortened:
        draft.warnings.append(
            str(_l("A paragraph longer than %(max)d characters was shortened.", max=MAX_PARAGRAPH_CHARS))
        )
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
