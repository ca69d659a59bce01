"""Following a chapter of the masterplan: its followers hear of new comments on it and on its
paragraphs (participation.comments.notices). A chapter is followed by its lineage key, so the
follow carries over into the chapter's successor in the next version of the draft."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime, insert_ignoring_conflict, utcnow
from participation.extensions import db


class ChapterFollow(db.Model):
    """Someone who wants to hear of new comments on a chapter (in every version of the draft)."""

    __tablename__ = "chapter_follow"
    __table_args__ = (UniqueConstraint("user_id", "chapter_lineage_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    chapter_lineage_key: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def follow(user, chapter) -> bool:
    return insert_ignoring_conflict(
        ChapterFollow,
        ("user_id", "chapter_lineage_key"),
        {"user_id": user.id, "chapter_lineage_key": chapter.lineage_key, "created_at": utcnow()},
    )


def unfollow(user, chapter) -> None:
    db.session.execute(
        delete(ChapterFollow)
        .where(ChapterFollow.user_id == user.id, ChapterFollow.chapter_lineage_key == chapter.lineage_key)
        .execution_options(synchronize_session=False)
    )


def follows(user, chapter) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    found = select(ChapterFollow.id).where(
        ChapterFollow.user_id == user.id, ChapterFollow.chapter_lineage_key == chapter.lineage_key
    )
    return db.session.scalar(found) is not None


def follower_ids(chapter) -> set[int]:
    found = select(ChapterFollow.user_id).where(ChapterFollow.chapter_lineage_key == chapter.lineage_key)
    return set(db.session.scalars(found))
