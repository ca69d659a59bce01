"""Following an organisation: its followers hear of the statements its verified members publish
in its name (comments written as the organisation: participation.comments.notices)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime, insert_ignoring_conflict, utcnow
from participation.extensions import db


class OrganisationFollow(db.Model):
    """Someone who wants to hear of an organisation's statements."""

    __tablename__ = "organisation_follow"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def follow(user, organisation) -> bool:
    return insert_ignoring_conflict(
        OrganisationFollow,
        ("user_id", "organisation_id"),
        {"user_id": user.id, "organisation_id": organisation.id, "created_at": utcnow()},
    )


def unfollow(user, organisation) -> None:
    db.session.execute(
        delete(OrganisationFollow)
        .where(OrganisationFollow.user_id == user.id, OrganisationFollow.organisation_id == organisation.id)
        .execution_options(synchronize_session=False)
    )


def follows(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    found = select(OrganisationFollow.id).where(
        OrganisationFollow.user_id == user.id, OrganisationFollow.organisation_id == organisation.id
    )
    return db.session.scalar(found) is not None


def follower_ids(organisation_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(OrganisationFollow.user_id).where(OrganisationFollow.organisation_id == organisation_id)
        )
    )
