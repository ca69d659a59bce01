"""Two versions side by side, paragraph by paragraph (matched by lineage), with word-level changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from flask_babel import gettext as _
from markupsafe import Markup, escape

from participation.drafts.models import MasterplanVersion

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"


@dataclass
class ParagraphChange:
    status: str
    number_old: str | None
    number_new: str | None
    html: Markup
    anchor: str


@dataclass
class ChapterChange:
    title: str
    number: int | None
    status: str
    paragraphs: list[ParagraphChange] = field(default_factory=list)


@dataclass
class Comparison:
    old: MasterplanVersion
    new: MasterplanVersion
    chapters: list[ChapterChange]
    counts: dict[str, int]


def _marked(tag: str, spoken: str, text: str) -> str:
    # <ins>/<del> are not announced by every screen reader: the change is also said in words
    return (
        f'<{tag}><span class="visually-hidden">[{escape(spoken)}: </span>{escape(text)}'
        f'<span class="visually-hidden">]</span></{tag}>'
    )


def word_diff(old: str, new: str) -> Markup:
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(str(escape("".join(old_tokens[a1:a2]))))
            continue
        if operation in ("delete", "replace"):
            parts.append(_marked("del", _("deleted"), "".join(old_tokens[a1:a2])))
        if operation in ("insert", "replace"):
            parts.append(_marked("ins", _("inserted"), "".join(new_tokens[b1:b2])))
    return Markup("".join(parts))  # noqa: S704 (every piece of text above is escaped)


def compare(old: MasterplanVersion, new: MasterplanVersion) -> Comparison:
    counts = {UNCHANGED: 0, CHANGED: 0, ADDED: 0, REMOVED: 0}
    old_paragraphs = {p.lineage_key: (chapter, p) for chapter in old.chapters for p in chapter.paragraphs}
    new_keys = {p.lineage_key for chapter in new.chapters for p in chapter.paragraphs}
    old_chapters = {chapter.lineage_key: chapter for chapter in old.chapters}
    chapters = []
    for chapter in new.chapters:
        change = ChapterChange(
            title=chapter.title,
            number=chapter.position,
            status=CHANGED if chapter.lineage_key in old_chapters else ADDED,
        )
        for paragraph in chapter.paragraphs:
            number_new = f"{chapter.position}.{paragraph.position}"
            if paragraph.lineage_key in old_paragraphs:
                old_chapter, old_paragraph = old_paragraphs[paragraph.lineage_key]
                number_old = f"{old_chapter.position}.{old_paragraph.position}"
                if old_paragraph.text == paragraph.text:
                    status, html = UNCHANGED, escape(paragraph.text)
                else:
                    status, html = CHANGED, word_diff(old_paragraph.text, paragraph.text)
            else:
                number_old, status = None, ADDED
                html = Markup(_marked("ins", _("inserted"), paragraph.text))  # noqa: S704 (escaped)
            counts[status] += 1
            change.paragraphs.append(ParagraphChange(status, number_old, number_new, html, paragraph.anchor))
        chapters.append(change)
    for key, (old_chapter, old_paragraph) in old_paragraphs.items():
        if key in new_keys:
            continue
        counts[REMOVED] += 1
        removed = ParagraphChange(
            REMOVED,
            f"{old_chapter.position}.{old_paragraph.position}",
            None,
            Markup(_marked("del", _("deleted"), old_paragraph.text)),  # noqa: S704 (escaped)
            old_paragraph.anchor,
        )
        target = next((c for c in chapters if c.title == old_chapter.title), None)
        if target is None:
            target = ChapterChange(title=old_chapter.title, number=None, status=REMOVED)
            chapters.append(target)
        target.paragraphs.append(removed)
    for change in chapters:
        if change.status == CHANGED and all(p.status == UNCHANGED for p in change.paragraphs):
            change.status = UNCHANGED
    return Comparison(old=old, new=new, chapters=chapters, counts=counts)
