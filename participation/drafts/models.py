"""Masterplan versions, their chapters and paragraphs, and the votes on paragraphs."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_actions, register_targets
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.extensions import db

PREPARING, CONSULTATION, CLOSED = "preparing", "consultation", "closed"
VERSION_STATUSES = {
    PREPARING: _l("being prepared"),
    CONSULTATION: _l("open for comments"),
    CLOSED: _l("closed"),
}

# the fields of action (Handlungsfelder) a chapter belongs to; proposals use the same list
TOPICS = {
    "vision": _l("Vision and principles"),
    "education": _l("Digital education"),
    "economy": _l("Start-ups and the digital economy"),
    "administration": _l("Digital administration"),
    "smart_city": _l("Municipal companies and smart city"),
    "open_data": _l("Open data and participation"),
    "infrastructure": _l("Digital infrastructure"),
    "cities": _l("Learning from other cities"),
}

AGREE, NEUTRAL, DISAGREE = 1, 0, -1
VOTE_CHOICES = {"agree": AGREE, "neutral": NEUTRAL, "disagree": DISAGREE}
VOTE_LABELS = {AGREE: _l("agree"), NEUTRAL: _l("neutral"), DISAGREE: _l("disagree")}


def new_lineage_key() -> str:
    return uuid.uuid4().hex


class MasterplanVersion(db.Model):
    __tablename__ = "masterplan_version"
    __table_args__ = (CheckConstraint(f"status IN ({sql_list(VERSION_STATUSES)})", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PREPARING, index=True)
    is_final: Mapped[bool] = mapped_column(nullable=False, default=False)
    summary_of_changes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("masterplan_version.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="version", order_by="Chapter.position", cascade="all, delete-orphan"
    )
    based_on: Mapped[MasterplanVersion | None] = relationship(remote_side=[id])

    @property
    def status_label(self) -> str:
        return str(VERSION_STATUSES[self.status])

    @property
    def is_public(self) -> bool:
        return self.status != PREPARING


class Chapter(db.Model):
    __tablename__ = "chapter"
    __table_args__ = (Index("ix_chapter_version_id_position", "version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("masterplan_version.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    introduction: Mapped[str] = mapped_column(Text, nullable=False, default="")
    topic: Mapped[str | None] = mapped_column(String(30), index=True)
    lineage_key: Mapped[str] = mapped_column(String(32), nullable=False, default=new_lineage_key, index=True)
    comment_count: Mapped[int] = mapped_column(nullable=False, default=0)
    # goes up with every change a reader could see (participation.drafts.revisions)
    revision: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    # a summary in easy language (Leichte Sprache) and one in plain English, shown beside the text
    easy_summary_de: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    easy_summary_en: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    version: Mapped[MasterplanVersion] = relationship(back_populates="chapters")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="chapter", order_by="Paragraph.position", cascade="all, delete-orphan"
    )

    @property
    def number(self) -> int:
        return self.position

    @property
    def topic_label(self) -> str:
        return str(TOPICS.get(self.topic, "")) if self.topic else ""


class Paragraph(db.Model):
    __tablename__ = "paragraph"
    __table_args__ = (Index("ix_paragraph_chapter_id_position", "chapter_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False)
    subheading: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    lineage_key: Mapped[str] = mapped_column(String(32), nullable=False, default=new_lineage_key, index=True)
    # kept in the transaction that changes a vote or a comment, so lists need no counting
    agree_count: Mapped[int] = mapped_column(nullable=False, default=0)
    neutral_count: Mapped[int] = mapped_column(nullable=False, default=0)
    disagree_count: Mapped[int] = mapped_column(nullable=False, default=0)
    comment_count: Mapped[int] = mapped_column(nullable=False, default=0)

    chapter: Mapped[Chapter] = relationship(back_populates="paragraphs")

    @property
    def number(self) -> str:
        return f"{self.chapter.position}.{self.position}"

    @property
    def anchor(self) -> str:
        """Stable across versions: the same paragraph keeps its anchor when it is carried over."""
        return f"p-{self.lineage_key[:10]}"

    @property
    def vote_count(self) -> int:
        return self.agree_count + self.neutral_count + self.disagree_count


class DraftVote(db.Model):
    __tablename__ = "draft_vote"
    __table_args__ = (
        UniqueConstraint("user_id", "paragraph_id"),
        CheckConstraint("value IN (-1, 0, 1)", name="value_known"),
        Index("ix_draft_vote_paragraph_id_group", "paragraph_id", "stakeholder_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # empty once the account is deleted: the vote stays counted, pointing at nobody (privacy.deletion)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"), nullable=False)
    value: Mapped[int] = mapped_column(nullable=False)
    # the voter's group when voting: figures stay as they were if a profile changes later
    stakeholder_group: Mapped[str] = mapped_column(String(30), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class PendingImport(db.Model):
    """A draft read from an uploaded file and shown as a preview, kept here until the planner who
    uploaded it confirms it (or it expires): the confirmation carries only the token, not the text."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    target: Mapped[str] = mapped_column(String(20), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    draft: Mapped[str] = mapped_column(Text, nullable=False)  # the parsed draft as JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


# the audit log's names for the planners' decisions on masterplan versions and their text
register_actions(
    {
        "version_created": _l("Masterplan version created"),
        "version_opened": _l("Masterplan version opened for comments"),
        "version_closed": _l("Masterplan consultation closed"),
        "version_final": _l("Masterplan version marked final"),
        "version_changed": _l("Title or summary of a masterplan version changed"),
        "chapter_added": _l("Chapter added"),
        "chapter_changed": _l("Chapter changed"),
        "chapter_deleted": _l("Chapter deleted"),
        "chapter_moved": _l("Chapter moved"),
        "chapter_easy_language_changed": _l("Easy-language summary of a chapter changed"),
        "paragraph_added": _l("Paragraph added"),
        "paragraph_changed": _l("Paragraph changed"),
        "paragraph_deleted": _l("Paragraph deleted"),
        "paragraph_moved": _l("Paragraph moved"),
    }
)
register_targets(
    {"masterplan_version": _l("Masterplan version"), "chapter": _l("Chapter"), "paragraph": _l("Paragraph")}
)
