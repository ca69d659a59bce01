"""A proposal's revision (participation.core.cache.revisions): its page changes with its own
text or status, and with a comment in its thread (participation.comments.revisions)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from participation.core.cache import revisions
from participation.proposals.models import Proposal

PROPOSAL = revisions.Revision("proposal", revisions.column_of(Proposal.__table__))


def changes(session: Session) -> Iterator[revisions.Change]:
    for obj in session.dirty:
        if isinstance(obj, Proposal) and session.is_modified(obj):
            yield PROPOSAL.name, obj.id
