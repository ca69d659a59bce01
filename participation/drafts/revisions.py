"""Chapter and proposal revisions: every change a reader of a chapter (or of a proposal's page)
could see raises its revision in the transaction that makes the change, so a rendered chapter
or proposal (participation.core.fragments) is valid exactly as long as the revision it was
rendered at.

Changes made through the ORM (comments, edits, imports, moderation) are found before each
flush; votes, which are written with plain SQL for the sake of concurrency, call `touch`.
Chapters are always locked before their paragraphs, and in the order of their ids, so that
parallel votes and comments cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from participation.comments.models import Comment
from participation.drafts.models import Chapter, Paragraph
from participation.incorporation.models import Incorporation
from participation.proposals.models import Proposal


def _raise(connection_or_session, chapter_ids: Iterable[int | None]) -> None:
    ids = sorted({ident for ident in chapter_ids if ident is not None})
    if ids:
        connection_or_session.execute(
            update(Chapter.__table__).where(Chapter.id.in_(ids)).values(revision=Chapter.revision + 1)
        )


def touch(session: Session, chapter_id: int) -> None:
    """Raise one chapter's revision (call it before changing the chapter's paragraphs)."""
    _raise(session.connection(), [chapter_id])


def _changed_chapters(session: Session) -> set[int | None]:
    ids: set[int | None] = set()
    for obj in session.deleted:
        if isinstance(obj, Chapter):
            ids.add(obj.id)
        elif isinstance(obj, Paragraph | Comment):
            ids.add(obj.chapter_id)
    for obj in session.dirty:
        if isinstance(obj, Chapter | Paragraph | Comment) and session.is_modified(obj):
            ids.add(obj.id if isinstance(obj, Chapter) else obj.chapter_id)
    for obj in (*session.new, *session.deleted, *session.dirty):
        if isinstance(obj, Incorporation):  # shown with the paragraph it went into
            ids.add(session.get(Paragraph, obj.paragraph_id).chapter_id)
    for obj in session.new:
        if isinstance(obj, Paragraph | Comment):
            ids.add(obj.chapter_id if obj.chapter_id is not None else getattr(obj.chapter, "id", None))
    return ids


def _changed_proposals(session: Session) -> set[int | None]:
    """Proposals whose page changes: their own text or status, or a comment in their thread."""
    ids: set[int | None] = set()
    for obj in session.dirty:
        if isinstance(obj, Proposal) and session.is_modified(obj):
            ids.add(obj.id)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Comment) and obj.proposal_id is not None:
            ids.add(obj.proposal_id)
    return ids


def _before_flush(session: Session, flush_context, instances) -> None:
    ids = _changed_chapters(session)
    if ids:
        _raise(session.connection(), ids)
    proposal_ids = sorted({ident for ident in _changed_proposals(session) if ident is not None})
    if proposal_ids:
        session.connection().execute(
            update(Proposal.__table__).where(Proposal.id.in_(proposal_ids)).values(revision=Proposal.revision + 1)
        )


def listen() -> None:
    """Watch every session for changes to chapters (called once by create_app)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
