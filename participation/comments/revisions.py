"""What of the comments raises revisions (participation.core.cache.revisions): a comment on the
draft raises its chapter's, a comment in a proposal's thread the proposal's."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from participation.comments.models import Comment
from participation.core.cache import revisions
from participation.drafts.revisions import CHAPTER

PROPOSAL = "proposal"  # declared by the proposals (participation.proposals.revisions), above the comments


def changes(session: Session) -> Iterator[revisions.Change]:
    for obj in session.deleted:
        if isinstance(obj, Comment):
            yield CHAPTER.name, obj.chapter_id
    for obj in session.dirty:
        if isinstance(obj, Comment) and session.is_modified(obj):
            yield CHAPTER.name, obj.chapter_id
    for obj in session.new:
        if isinstance(obj, Comment):
            yield CHAPTER.name, obj.chapter_id if obj.chapter_id is not None else getattr(obj.chapter, "id", None)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Comment) and obj.proposal_id is not None:
            yield PROPOSAL, obj.proposal_id
