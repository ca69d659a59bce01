"""What of the draft raises a chapter's revision (participation.core.cache.revisions): the
chapter itself and its paragraphs, changed through the ORM, and votes, which call `touch`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from participation.core.cache import revisions
from participation.drafts.models import Chapter, Paragraph

CHAPTER = revisions.Revision("chapter", revisions.column_of(Chapter.__table__))


def touch(session: Session, chapter_id: int) -> None:
    """Raise one chapter's revision (call it before changing the chapter's paragraphs)."""
    revisions.touch(session, CHAPTER.name, [chapter_id])


def changes(session: Session) -> Iterator[revisions.Change]:
    for obj in session.deleted:
        if isinstance(obj, Chapter):
            yield CHAPTER.name, obj.id
        elif isinstance(obj, Paragraph):
            yield CHAPTER.name, obj.chapter_id
    for obj in session.dirty:
        if isinstance(obj, Chapter | Paragraph) and session.is_modified(obj):
            yield CHAPTER.name, obj.id if isinstance(obj, Chapter) else obj.chapter_id
    for obj in session.new:
        if isinstance(obj, Paragraph):
            yield CHAPTER.name, obj.chapter_id if obj.chapter_id is not None else getattr(obj.chapter, "id", None)
