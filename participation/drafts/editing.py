"""The planners' edits of a version: its text, its chapters and paragraphs, and its status.

The planning views call these instead of changing the models themselves, so the rules (which
status may follow which, what a version needs before it opens, how positions are kept) live in
one place that unit tests reach without a request. They change the session and flush; the
request commits (participation.core.transaction). Status changes write the audit log
(participation.drafts.services); edits of the text are not audited, as before.
"""

from __future__ import annotations

from flask_babel import gettext as _

from participation.core.audit import record_decision
from participation.drafts import services
from participation.drafts.models import CLOSED, CONSULTATION, PREPARING, Chapter, MasterplanVersion, Paragraph
from participation.extensions import db

# action: (the service, the statuses it may start from)
STATUS_ACTIONS = {
    "open": (services.open_consultation, (PREPARING, CLOSED)),
    "close": (services.close_consultation, (CONSULTATION,)),
    "final": (services.mark_final, (PREPARING, CONSULTATION, CLOSED)),
}


class StatusRefused(Exception):
    """The status change is not possible now; the message says why, for the planner."""


def change_status(actor, version: MasterplanVersion, action: str) -> None:
    """Open, close or mark final (one of STATUS_ACTIONS), if the version's state allows it."""
    operation, allowed_from = STATUS_ACTIONS[action]
    if version.status not in allowed_from:
        raise StatusRefused(_("This change is not possible in the version's current state."))
    if action == "open" and not version.chapters:
        raise StatusRefused(_("A version without chapters cannot be opened for comments."))
    operation(actor, version)


def open_round(actor, version: MasterplanVersion, closing: list[MasterplanVersion]) -> None:
    """Open `version` for comments and close the versions in `closing` with it: the next round
    starts and the ones it replaces end in the same transaction. Everything is checked before
    anything changes, so a refusal leaves every version as it was."""
    if any(other.id == version.id or other.status != CONSULTATION for other in closing):
        raise StatusRefused(_("Only another version that is open for comments can be closed with it."))
    change_status(actor, version, "open")
    for other in closing:
        change_status(actor, other, "close")


def change_version(actor, version: MasterplanVersion, title: str, summary_of_changes: str) -> None:
    before = {"title": version.title, "summary_of_changes": version.summary_of_changes}
    version.title, version.summary_of_changes = title, summary_of_changes
    db.session.flush()
    _record_change(
        actor, "version_changed", version, before, {"title": title, "summary_of_changes": summary_of_changes}
    )


def add_chapter(actor, version: MasterplanVersion, title: str, topic: str | None, introduction: str) -> Chapter:
    """A new chapter at the end of the version."""
    chapter = Chapter(
        title=title, topic=topic or None, introduction=introduction or "", position=len(version.chapters) + 1
    )
    version.chapters.append(chapter)
    db.session.flush()
    record_decision(actor, "chapter_added", chapter, after={"version": version.id, **_chapter_state(chapter)})
    return chapter


def change_chapter(actor, chapter: Chapter, title: str, topic: str | None, introduction: str) -> None:
    before = _chapter_state(chapter)
    chapter.title, chapter.introduction = title, introduction or ""
    chapter.topic = topic or None
    db.session.flush()
    _record_change(actor, "chapter_changed", chapter, before, _chapter_state(chapter))


def change_easy_summary(actor, chapter: Chapter, summary_de: str, summary_en: str) -> None:
    """The chapter's summary in easy language: an aid beside the text, not the text people comment
    on, so it may change in a version open for comments or closed too. It raises the chapter's
    revision like any change of the chapter (participation.drafts.revisions)."""
    before = _easy_state(chapter)
    chapter.easy_summary_de, chapter.easy_summary_en = summary_de or "", summary_en or ""
    db.session.flush()
    _record_change(actor, "chapter_easy_language_changed", chapter, before, _easy_state(chapter))


def delete_chapter(actor, chapter: Chapter) -> None:
    """The chapter goes with its paragraphs; the chapters after it move up."""
    record_decision(
        actor, "chapter_deleted", chapter, before={**_chapter_state(chapter), "paragraphs": len(chapter.paragraphs)}
    )
    _delete(chapter, chapter.version.chapters)


def add_paragraph(actor, chapter: Chapter, text: str, subheading: str | None) -> Paragraph:
    """A new paragraph at the end of the chapter."""
    paragraph = Paragraph(text=text, subheading=subheading or None, position=len(chapter.paragraphs) + 1)
    chapter.paragraphs.append(paragraph)
    db.session.flush()
    record_decision(actor, "paragraph_added", paragraph, after={"chapter": chapter.id, **_paragraph_state(paragraph)})
    return paragraph


def change_paragraph(actor, paragraph: Paragraph, text: str, subheading: str | None) -> None:
    before = _paragraph_state(paragraph)
    paragraph.text, paragraph.subheading = text, subheading or None
    db.session.flush()
    _record_change(actor, "paragraph_changed", paragraph, before, _paragraph_state(paragraph))


def delete_paragraph(actor, paragraph: Paragraph) -> None:
    """The paragraph goes; the paragraphs after it move up."""
    record_decision(
        actor, "paragraph_deleted", paragraph, before={"chapter": paragraph.chapter_id, **_paragraph_state(paragraph)}
    )
    _delete(paragraph, paragraph.chapter.paragraphs)


def move_chapter(actor, chapter: Chapter, offset: int) -> None:
    """Up (-1) or down (+1) among the version's chapters."""
    before = chapter.position
    services.move(chapter.version.chapters, chapter, offset)
    db.session.flush()
    _record_change(actor, "chapter_moved", chapter, {"position": before}, {"position": chapter.position})


def move_paragraph(actor, paragraph: Paragraph, offset: int) -> None:
    """Up (-1) or down (+1) among the chapter's paragraphs."""
    before = paragraph.position
    services.move(paragraph.chapter.paragraphs, paragraph, offset)
    db.session.flush()
    _record_change(actor, "paragraph_moved", paragraph, {"position": before}, {"position": paragraph.position})


def _delete(item, siblings) -> None:
    siblings.remove(item)
    services.renumber(siblings)
    db.session.flush()


def _chapter_state(chapter: Chapter) -> dict:
    return {"title": chapter.title, "topic": chapter.topic, "introduction": chapter.introduction}


def _easy_state(chapter: Chapter) -> dict:
    return {"easy_summary_de": chapter.easy_summary_de, "easy_summary_en": chapter.easy_summary_en}


def _paragraph_state(paragraph: Paragraph) -> dict:
    return {"text": paragraph.text, "subheading": paragraph.subheading}


def _record_change(actor, action: str, target, before: dict, after: dict) -> None:
    """The audit log keeps what a planner changed in the text, with the wording before and after;
    a save that changed nothing (the same form sent again) leaves no entry."""
    if before != after:
        record_decision(actor, action, target, before=before, after=after)
