"""What of the incorporations raises revisions (participation.core.cache.revisions): an
incorporation is shown with the paragraph it went into, so it raises that chapter's."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from participation.core.cache import revisions
from participation.drafts.models import Paragraph
from participation.drafts.revisions import CHAPTER
from participation.incorporation.models import Incorporation


def changes(session: Session) -> Iterator[revisions.Change]:
    for obj in (*session.new, *session.deleted, *session.dirty):
        if isinstance(obj, Incorporation):
            yield CHAPTER.name, session.get(Paragraph, obj.paragraph_id).chapter_id
