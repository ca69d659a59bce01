"""Proposals: ideas that residents, businesses and universities bring into the masterplan, the
support they gather, and the earlier wordings their authors replaced."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.comments.models import ANSWERS
from participation.core.audit import register_actions, register_targets
from participation.core.hiding import HideableMixin
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.core.premoderation import register_contribution
from participation.drafts.models import TOPICS
from participation.extensions import db

TITLE_MAX, BODY_MAX = 150, 10_000

# Cologne's nine city districts (Stadtbezirke); names are proper names in both languages
CITYWIDE = "citywide"
DISTRICTS = {
    CITYWIDE: _l("City-wide"),
    "innenstadt": "Innenstadt",
    "rodenkirchen": "Rodenkirchen",
    "lindenthal": "Lindenthal",
    "ehrenfeld": "Ehrenfeld",
    "nippes": "Nippes",
    "chorweiler": "Chorweiler",
    "porz": "Porz",
    "kalk": "Kalk",
    "muelheim": "Mülheim",
}

PENDING, PUBLISHED, UNDER_REVIEW = "pending", "published", "under_review"
ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED, MERGED = "accepted", "partly_accepted", "not_accepted", "merged"
HIDDEN, WITHDRAWN = "hidden", "withdrawn"
STATUSES = {
    PENDING: _l("waiting for review"),
    PUBLISHED: _l("published"),
    **ANSWERS,  # under review, (partly or not) accepted: the planners' answers, as on comments
    MERGED: _l("merged into another proposal"),
    HIDDEN: _l("hidden by moderation"),
    WITHDRAWN: _l("withdrawn by its author"),
}
# what everyone may read; pending, hidden and withdrawn proposals only their author (and moderators)
PUBLIC_STATUSES = (PUBLISHED, UNDER_REVIEW, ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED, MERGED)
ANSWERED_STATUSES = (ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED, MERGED)
# what planners decide; the last two need reasons in the public answer
ANSWER_STATUSES = (UNDER_REVIEW, ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED)
NEEDS_REASON = (PARTLY_ACCEPTED, NOT_ACCEPTED)


class Proposal(HideableMixin, db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(STATUSES)})", name="status_known"),
        CheckConstraint(f"topic IS NULL OR topic IN ({sql_list(TOPICS)})", name="topic_known"),
        CheckConstraint(f"district IS NULL OR district IN ({sql_list(DISTRICTS)})", name="district_known"),
        CheckConstraint("support_count >= 0 AND comment_count >= 0", name="counts_not_negative"),
        # the list's sort orders: read in index order, filtered by status on the way, the first
        # page stops after a few dozen rows
        Index("ix_proposal_published_at_id", "published_at", "id"),
        Index("ix_proposal_support_count_id", "support_count", "id"),
        Index("ix_proposal_comment_count_id", "comment_count", "id"),
        # the moderation's queue of waiting proposals, oldest first
        Index("ix_proposal_status_created_at", "status", "created_at"),
        # the home page's latest answers, newest first
        Index("ix_proposal_answered_at", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # set when a verified member submitted it as the organisation's statement
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    # input from a workshop, letter or phone call that staff recorded on its behalf (no author then)
    offline_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("offline_source.id", ondelete="RESTRICT"), index=True
    )
    # the author's group when proposing: figures stay as they were if a profile changes later
    author_group: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    topic: Mapped[str | None] = mapped_column(String(30), index=True)
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapter.id", ondelete="SET NULL"), index=True)
    district: Mapped[str | None] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PUBLISHED)
    # why the spam signals held it back for review (empty when they did not)
    held_because: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    support_count: Mapped[int] = mapped_column(nullable=False, default=0)
    comment_count: Mapped[int] = mapped_column(nullable=False, default=0)
    # goes up with every change to its text, status or discussion (participation.proposals.revisions)
    revision: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author = relationship("User", foreign_keys=[author_id], lazy="joined", innerjoin=False)
    organisation = relationship("Organisation", lazy="joined", innerjoin=False)
    chapter = relationship("Chapter", foreign_keys=[chapter_id])
    offline_source = relationship("OfflineSource", lazy="joined", innerjoin=False)
    revisions: Mapped[list[ProposalRevision]] = relationship(
        back_populates="proposal", order_by="ProposalRevision.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def topic_label(self) -> str:
        return str(TOPICS[self.topic]) if self.topic else ""

    @property
    def district_label(self) -> str:
        return str(DISTRICTS[self.district]) if self.district else ""

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED_STATUSES


class ProposalRevision(db.Model):
    """The wording a proposal had before its author changed it; moderators can read them."""

    __tablename__ = "proposal_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    proposal: Mapped[Proposal] = relationship(back_populates="revisions")


class Support(db.Model):
    __tablename__ = "support"
    __table_args__ = (UniqueConstraint("user_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # empty once the account is deleted: the vote stays counted, pointing at nobody (privacy.deletion)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    # the supporter's group at the time, for the split by group
    stakeholder_group: Mapped[str] = mapped_column(String(30), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Follow(db.Model):
    """Someone who wants to hear what becomes of a proposal (answers, changes)."""

    __tablename__ = "proposal_follow"
    __table_args__ = (UniqueConstraint("user_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


register_actions({"answer_proposal": _l("Proposal answered")})
register_targets({"proposal": _l("Proposal")})
register_contribution(Proposal)
