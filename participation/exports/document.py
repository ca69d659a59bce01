"""A masterplan version as a document: what it needs, gathered in a few queries, and written as Markdown
with the votes on each paragraph and the contributions that shaped it (`exports.word` writes it as a
Word file from the same gathering and text helpers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from sqlalchemy import func, select, union

from participation.comments.models import PUBLISHED, Comment
from participation.core.links import public_url
from participation.core.markdown import keep_word_inner_marks
from participation.drafts.models import (
    AGREE,
    DISAGREE,
    NEUTRAL,
    VOTE_LABELS,
    Chapter,
    DraftVote,
    MasterplanVersion,
    Paragraph,
)
from participation.exports.neutral import neutral_markdown
from participation.extensions import db
from participation.incorporation.services import shaping
from participation.proposals.models import PUBLIC_STATUSES, Proposal

EXCERPT_LENGTH = 80


@dataclass
class ShapingContribution:
    """A public proposal or comment that a planner took into a paragraph."""

    kind: str  # "proposal" or "comment"
    id: int
    title: str  # the proposal's title, or an excerpt of the comment
    extent: str  # "full" or "partly"
    extent_label: str
    note: str
    path: str
    url: str

    @property
    def label(self) -> str:
        if self.kind == "proposal":
            return _("Proposal %(id)d", id=self.id)
        return _("Comment %(id)d", id=self.id)


@dataclass
class DocumentParagraph:
    number: str  # "3.4"
    subheading: str
    text: str  # Markdown
    agree: int
    neutral: int
    disagree: int
    shaped_by: list[ShapingContribution] = field(default_factory=list)


@dataclass
class DocumentChapter:
    number: int
    title: str
    introduction: str  # Markdown
    topic_label: str
    paragraphs: list[DocumentParagraph] = field(default_factory=list)


@dataclass
class ParticipationFigures:
    """Participation while the version was public (from its publication until it closed)."""

    participants: int
    proposals: int
    comments: int
    votes: int
    incorporations: int
    period_start: datetime | None
    period_end: datetime | None


@dataclass
class VersionDocument:
    number: int
    title: str
    status: str
    status_label: str
    is_final: bool
    published_at: datetime | None
    summary_of_changes: str  # Markdown
    figures: ParticipationFigures
    chapters: list[DocumentChapter] = field(default_factory=list)


# --- gathering -------------------------------------------------------------------------------------------


def gather(version: MasterplanVersion) -> VersionDocument:
    """Everything the document shows, in a fixed number of queries whatever the number of paragraphs."""
    chapters = list(
        db.session.scalars(select(Chapter).where(Chapter.version_id == version.id).order_by(Chapter.position))
    )
    paragraphs = list(
        db.session.scalars(
            select(Paragraph)
            .join(Chapter, Chapter.id == Paragraph.chapter_id)
            .where(Chapter.version_id == version.id)
            .order_by(Chapter.position, Paragraph.position)
        )
    )
    shaped = _public_shaping([paragraph.id for paragraph in paragraphs])
    chapter_numbers = {chapter.id: chapter.position for chapter in chapters}
    by_chapter: dict[int, list[DocumentParagraph]] = {}
    for paragraph in paragraphs:
        by_chapter.setdefault(paragraph.chapter_id, []).append(
            DocumentParagraph(
                number=f"{chapter_numbers[paragraph.chapter_id]}.{paragraph.position}",
                subheading=paragraph.subheading or "",
                text=paragraph.text,
                agree=paragraph.agree_count,
                neutral=paragraph.neutral_count,
                disagree=paragraph.disagree_count,
                shaped_by=shaped.get(paragraph.id, []),
            )
        )
    document_chapters = [
        DocumentChapter(
            number=chapter.position,
            title=chapter.title,
            introduction=chapter.introduction,
            topic_label=chapter.topic_label,
            paragraphs=by_chapter.get(chapter.id, []),
        )
        for chapter in chapters
    ]
    votes = sum(p.agree_count + p.neutral_count + p.disagree_count for p in paragraphs)
    incorporations = sum(len(rows) for rows in shaped.values())
    return VersionDocument(
        number=version.number,
        title=version.title,
        status=version.status,
        status_label=version.status_label,
        is_final=version.is_final,
        published_at=version.published_at,
        summary_of_changes=version.summary_of_changes,
        figures=_figures(version, votes, incorporations),
        chapters=document_chapters,
    )


def _public_shaping(paragraph_ids: list[int]) -> dict[int, list[ShapingContribution]]:
    """The public contributions that shaped each paragraph; hidden, pending or withdrawn ones stay out."""
    rows = shaping(paragraph_ids).get("all", [])
    # a comment on a proposal is only as public as that proposal: one query for all of them
    on_proposals = {row.comment.proposal_id for row in rows if row.comment is not None and row.comment.proposal_id}
    public_proposals = set()
    if on_proposals:
        public_proposals = set(
            db.session.scalars(
                select(Proposal.id).where(Proposal.id.in_(on_proposals), Proposal.status.in_(PUBLIC_STATUSES))
            )
        )
    found: dict[int, list[ShapingContribution]] = {}
    for row in rows:
        if row.proposal is not None:
            if row.proposal.status not in PUBLIC_STATUSES:
                continue
            kind, ident, title = "proposal", row.proposal.id, row.proposal.title
            path, url = _public_link("proposals.show", proposal_id=ident)
        else:
            comment = row.comment
            if comment is None or comment.status != PUBLISHED:
                continue
            if comment.proposal_id and comment.proposal_id not in public_proposals:
                continue
            kind, ident, title = "comment", comment.id, excerpt(comment.body)
            path, url = _public_link("contribution_paths.comment", comment_id=ident)
        found.setdefault(row.paragraph_id, []).append(
            ShapingContribution(kind, ident, title, row.extent, row.extent_label, row.note or "", path, url)
        )
    return found


def _public_link(endpoint: str, **values) -> tuple[str, str]:
    """The page as a path on this site and as an absolute link; also from a command, without a request."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return path, public_url(endpoint, **values)


def _figures(version: MasterplanVersion, votes: int, incorporations: int) -> ParticipationFigures:
    """Proposals published while the version was public, comments on its chapters and paragraphs, and
    everyone who wrote one of them or voted on the version: one query."""
    start = version.published_at or version.created_at
    end = version.closed_at
    proposals = select(Proposal.author_id.label("person")).where(
        Proposal.status.in_(PUBLIC_STATUSES), Proposal.published_at >= start
    )
    if end is not None:
        proposals = proposals.where(Proposal.published_at <= end)
    chapter_ids = select(Chapter.id).where(Chapter.version_id == version.id)
    comments = select(Comment.author_id.label("person")).where(
        Comment.status == PUBLISHED, Comment.chapter_id.in_(chapter_ids)
    )
    voters = select(DraftVote.user_id.label("person")).where(
        DraftVote.paragraph_id.in_(select(Paragraph.id).where(Paragraph.chapter_id.in_(chapter_ids)))
    )
    people = union(proposals, comments, voters).subquery()
    participants, proposal_count, comment_count = db.session.execute(
        select(
            select(func.count()).select_from(people).where(people.c.person.is_not(None)).scalar_subquery(),
            select(func.count()).select_from(proposals.subquery()).scalar_subquery(),
            select(func.count()).select_from(comments.subquery()).scalar_subquery(),
        )
    ).one()
    return ParticipationFigures(participants, proposal_count, comment_count, votes, incorporations, start, end)


# --- text helpers ------------------------------------------------------------------------------------------

# what XML 1.0 forbids (python-docx refuses it) and other control characters no reader wants
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# ASCII punctuation that could open a heading, link, footnote, emphasis, attribute block or table cell
# (`<`, `>` and `&` become entities: a backslash before them is no escape in Python-Markdown)
_INLINE_SIGNS = re.compile(r"([\\`*_\[\]{}#|~^!])")
_FENCE = re.compile(r"^( {0,3})(`{3,}(?=[^`]*$)|~{3,})")
_FENCE_END = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_HEADING_START = re.compile(r"^( {0,3})#")
_UNDERLINE = re.compile(r"^( {0,3})(=+|-+)[ \t]*$")
# text that starts a list, quote or code block, or nothing at all
_BLOCK_START = re.compile(r"^(?: {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|`{3}|~{3}|$)| {4}|\t)")


def clean(text: str | None) -> str:
    """Without control characters (tab and line breaks stay)."""
    return _CONTROL.sub("", text or "")


def one_line(text: str | None) -> str:
    return " ".join(clean(text).split())


def inline_markdown(text: str | None) -> str:
    """User text as literal Markdown on one line: in a heading or a footnote it cannot start a new
    block, a link, a footnote reference or an HTML tag."""
    escaped = _INLINE_SIGNS.sub(r"\\\1", one_line(text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def block_markdown(text: str | None) -> str:
    """A planner's Markdown as the site shows it: headings stay text (they would break the outline), raw
    HTML stays text, footnote marks cannot reach the document's own footnotes. Code keeps its text but
    not its tags: entities in fences too, as a viewer without fences would pass a literal tag (README)."""
    lines, fenced, previous = [], "", ""
    for line in clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if fenced:
            end = _FENCE_END.match(line)
            if end and end.group(1)[0] == fenced.strip()[0] and len(end.group(1)) >= len(fenced.strip()):
                fenced = ""
        elif opening := _FENCE.match(line):
            fenced = opening.group(1) + opening.group(2)  # with its indentation: it may sit in a list item
        else:
            line = _HEADING_START.sub(r"\1\\#", line)
            if previous.strip():
                line = _UNDERLINE.sub(r"\1\\\2", line)
        lines.append(line)
        previous = line
    # no tag, script link, image or footnote mark in any reader, also in code, which not every reader sees
    return _closed(neutral_markdown("\n".join(lines).strip()), fenced)


_PROBE = "end-of-planner-text"


def _closed(text: str, fenced: str) -> str:
    """`text` such that what follows it is read as a new block: an open code block would swallow
    the rest of the document. Which closing fence does that depends on how Markdown read the
    containers around it, so each candidate is tried; failing all, no fence opens at all."""
    candidates = [text, f"{text}\n{fenced}", f"{text}\n{fenced.strip()}"] if fenced else [text]
    for candidate in candidates:
        tokens = _probe_parser.parse(f"{candidate}\n\n{_PROBE}\n")
        if tokens[-2].content == _PROBE and tokens[-3].type == "paragraph_open" and tokens[-3].level == 0:
            return candidate
    return "\n".join(_FENCE.sub(r"\1\\\2", line) for line in text.split("\n"))


def vote_split(paragraph: DocumentParagraph) -> str:
    """The vote split as in "agree 12 · neutral 3 · disagree 1", with the labels the paragraph pages use."""
    counts = ((AGREE, paragraph.agree), (NEUTRAL, paragraph.neutral), (DISAGREE, paragraph.disagree))
    return " · ".join(f"{VOTE_LABELS[value]} {count}" for value, count in counts)


def _date(value: datetime | None) -> str:
    return format_date(value, "long") if value else ""


def status_line(doc: VersionDocument) -> str:
    line = _("Status: %(status)s", status=doc.status_label)
    return f"{line} ({_('final')})" if doc.is_final else line


def dates(doc: VersionDocument) -> list[str]:
    lines = [_("Published on %(date)s", date=_date(doc.published_at)) if doc.published_at else _("Not published yet")]
    figures = doc.figures
    if figures.period_start and figures.period_end:
        lines.append(
            _(
                "Participation from %(start)s to %(end)s",
                start=_date(figures.period_start),
                end=_date(figures.period_end),
            )
        )
    elif figures.period_start:
        lines.append(_("Participation since %(start)s", start=_date(figures.period_start)))
    return lines


def figure_rows(figures: ParticipationFigures) -> list[tuple[str, int]]:
    return [
        (_("Participants"), figures.participants),
        (_("Proposals"), figures.proposals),
        (_("Comments on the draft"), figures.comments),
        (_("Votes on paragraphs"), figures.votes),
        (_("Contributions taken into this version"), figures.incorporations),
    ]


def heading(doc: VersionDocument) -> str:
    return _("Masterplan, version %(number)d", number=doc.number)


def chapter_heading(chapter: DocumentChapter) -> str:
    return f"{chapter.number} {one_line(chapter.title)}"


def _shaped_by_heading(paragraph: DocumentParagraph) -> str:
    return ngettext(
        "Shaped by %(num)d contribution from the participation",
        "Shaped by %(num)d contributions from the participation",
        len(paragraph.shaped_by),
    )


def describe(contribution: ShapingContribution, title: str, note: str) -> str:
    """A footnote's text, as in "Proposal 12: Title – taken fully. Note of the planners: …"."""
    text = f"{contribution.label}: {title} – {_('taken %(extent)s', extent=contribution.extent_label)}"
    if note:
        text += ". " + _("Note of the planners: %(note)s", note=note)
    return text


def excerpt(markdown_text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text as plain words, cut at a word boundary."""
    words = " ".join(run.text for block in blocks(markdown_text) for run in block.runs).split()
    text = " ".join(words)
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(",;:.–-") + " …"


# --- Markdown ----------------------------------------------------------------------------------------------


def markdown(doc: VersionDocument) -> str:
    out = [f"# {inline_markdown(doc.title)}", "", f"**{heading(doc)}**  ", f"{status_line(doc)}  "]
    out += [f"{line}  " for line in dates(doc)]
    out += [""] + [f"- {label}: {number}" for label, number in figure_rows(doc.figures)] + [""]
    if doc.summary_of_changes.strip():
        out += [f"## {_('What changed')}", "", block_markdown(doc.summary_of_changes), ""]
    for chapter in doc.chapters:
        out += ["---", "", f"## {chapter.number} {inline_markdown(chapter.title)}", ""]
        if chapter.topic_label:
            out += [f"*{_('Field of action:')} {inline_markdown(chapter.topic_label)}*", ""]
        if chapter.introduction.strip():
            out += [block_markdown(chapter.introduction), ""]
        for paragraph in chapter.paragraphs:
            out += _markdown_paragraph(paragraph)
    return clean("\n".join(out).rstrip() + "\n")


def _markdown_paragraph(paragraph: DocumentParagraph) -> list[str]:
    out = []
    if paragraph.subheading.strip():
        out += [f"### {inline_markdown(paragraph.subheading)}", ""]
    text = block_markdown(paragraph.text)
    # after the number, a list, quote or code block would become plain text: then the number stands alone
    lead = f"**{paragraph.number}**" + ("\n\n" if _BLOCK_START.match(text) else " ")
    out += [lead + text, "", f"*{vote_split(paragraph)}*", ""]
    if paragraph.shaped_by:
        labels = [f"{paragraph.number}-{index}" for index in range(1, len(paragraph.shaped_by) + 1)]
        out += [_shaped_by_heading(paragraph) + "".join(f"[^{label}]" for label in labels), ""]
        for label, contribution in zip(labels, paragraph.shaped_by, strict=True):
            text = describe(contribution, inline_markdown(contribution.title), inline_markdown(contribution.note))
            out.append(f"[^{label}]: {text} <{contribution.url}>")
        out.append("")
    return out


# --- Markdown read as formatted runs (for excerpts and for Word) ------------------------------------------

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_probe_parser = MarkdownIt("commonmark")
_parser.enable("strikethrough")
_parser.disable(["heading", "lheading", "image", "html_block", "html_inline"])
keep_word_inner_marks(_parser)


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False


@dataclass
class Block:
    """A Word paragraph to be: its kind ("text", "bullet", "ordered", "continue" for more text in a list
    item, "quote", "code"), its list depth, the marker of an ordered item, its runs."""

    kind: str = "text"
    depth: int = 0
    marker: str = ""
    runs: list[Run] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """A paragraph's Markdown as blocks of formatted runs: emphasis kept, links as "text (url)", lists as
    list paragraphs; what the site shows as literal text (headings, HTML) stays literal."""
    blocks: list[Block] = []
    lists: list[list] = []  # [kind, next number] of the open lists, innermost last
    quoted = 0
    item_started = False
    for token in _parser.parse(clean(text)):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            kind = "bullet" if token.type == "bullet_list_open" else "ordered"
            lists.append([kind, int(token.attrs.get("start", 1) or 1)])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item_started = True
        elif token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type in ("fence", "code_block"):
            blocks.append(Block("code", len(lists), runs=[Run(token.content.rstrip("\n"), code=True)]))
        elif token.type == "hr":
            blocks.append(Block("text", runs=[Run("* * *")]))
        elif token.type == "inline":
            block = Block("quote" if quoted else "text", len(lists), runs=_runs(token.children or []))
            if lists and item_started:
                block.kind = lists[-1][0]
                if block.kind == "ordered":
                    block.marker = f"{lists[-1][1]}."
                    lists[-1][1] += 1
            elif lists:
                block.kind = "continue"
            item_started = False
            blocks.append(block)
    return blocks


def _runs(children) -> list[Run]:
    runs: list[Run] = []
    bold = italic = strike = 0
    links: list[tuple[str, int]] = []  # href and where its text starts
    for child in children:
        if child.type in ("text", "code_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0, strike > 0, child.type == "code_inline"))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" " if child.type == "softbreak" else "\n"))
        elif child.type in ("strong_open", "strong_close"):
            bold += 1 if child.type.endswith("open") else -1
        elif child.type in ("em_open", "em_close"):
            italic += 1 if child.type.endswith("open") else -1
        elif child.type in ("s_open", "s_close"):
            strike += 1 if child.type.endswith("open") else -1
        elif child.type == "link_open":
            links.append((str(child.attrs.get("href", "")), len(runs)))
        elif child.type == "link_close" and links:
            href, start = links.pop()
            shown = "".join(run.text for run in runs[start:]).strip()
            if href and href not in (shown, f"mailto:{shown}"):
                runs.append(Run(f" ({href})"))
    return runs
