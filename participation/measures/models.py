"""A measure (Maßnahme, Einzelprojekt) of the action concept: who carries it out, where it stands,
how its progress is measured (milestones, indicators), what led to it (paragraphs of the plan,
proposals, comments), and every change to it, kept for its public timeline."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, UTCDateTime, sql_list, utcnow
from participation.extensions import db

TITLE_MAX, SOURCE_MAX, REASON_MAX, EXTERNAL_ID_MAX, UNIT_MAX = 200, 300, 500, 64, 40
DESCRIPTION_MAX, UPDATE_MAX = 20_000, 10_000

PLANNED, PREPARING, IMPLEMENTING, COMPLETED, PAUSED, STOPPED = (
    "planned",
    "preparing",
    "implementing",
    "completed",
    "paused",
    "stopped",
)
STATUSES = {
    PLANNED: _l("planned"),
    PREPARING: _l("in preparation"),
    IMPLEMENTING: _l("in implementation"),
    COMPLETED: _l("completed"),
    PAUSED: _l("paused"),
    STOPPED: _l("stopped"),
}
FINISHED = (COMPLETED, STOPPED)  # no longer delayed, whatever their dates say

# how a measure's progress is found: typed in, or computed with weights from its milestones
# (reached or not) or from its sub-measures' progress
DIRECT, BY_MILESTONES, BY_SUBMEASURES = "direct", "milestones", "submeasures"
PROGRESS_MODES = {
    DIRECT: _l("set directly"),
    BY_MILESTONES: _l("computed from the milestones"),
    BY_SUBMEASURES: _l("computed from the sub-measures"),
}


class Measure(BilingualMixin, db.Model):
    __tablename__ = "measure"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(STATUSES)})", name="status_known"),
        CheckConstraint(f"progress_mode IN ({sql_list(PROGRESS_MODES)})", name="progress_mode_known"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("progress_set >= 0 AND progress_set <= 100", name="progress_set_range"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget_not_negative"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # the public list: published measures by field of action, newest first
        Index("ix_measure_public", "published_at", "topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the id in the city's own systems: an import with it updates instead of duplicating
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX), unique=True)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    description_de: Mapped[str] = mapped_column(Text, nullable=False, default="")  # Markdown
    description_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # a summary in easy language (Leichte Sprache) and one in plain English, written by planners
    easy_summary_de: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    easy_summary_en: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # the field of action: a topic of the plan (participation.drafts.models.TOPICS) and, where
    # it belongs to one, the chapter, followed across versions by its lineage key
    topic: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    chapter_lineage: Mapped[str | None] = mapped_column(String(32), index=True)
    # the responsible body: a city office or an organisation (a municipal company, ...)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    inside_administration: Mapped[bool] = mapped_column(nullable=False, default=True, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PLANNED, index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    planned_end_on: Mapped[date | None] = mapped_column(Date, index=True)
    budget_eur: Mapped[float | None] = mapped_column(Float)
    # a city district (participation.proposals.models.DISTRICTS) or "citywide"
    district: Mapped[str] = mapped_column(String(20), nullable=False, default="citywide", index=True)
    progress_mode: Mapped[str] = mapped_column(String(12), nullable=False, default=DIRECT)
    progress_set: Mapped[int] = mapped_column(nullable=False, default=0)  # as typed in (mode "direct")
    # the progress in percent as shown and rolled up, kept by services.recompute_progress
    progress: Mapped[int] = mapped_column(nullable=False, default=0)
    weight: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)  # in roll-ups
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"), index=True)
    # None while it is a draft, which only its editors see
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    organisation = relationship("Organisation", lazy="joined", innerjoin=True)
    parent: Mapped[Measure | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Measure]] = relationship(back_populates="parent", order_by="Measure.id")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="(Milestone.planned_on, Milestone.id)"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="(Indicator.position, Indicator.id)"
    )

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def progress_mode_label(self) -> str:
        return str(PROGRESS_MODES[self.progress_mode])

    def title(self, locale: str) -> str:
        return self.localized("title", locale)


class Milestone(BilingualMixin, db.Model):
    __tablename__ = "measure_milestone"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True)
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX), unique=True)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    planned_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    achieved_on: Mapped[date | None] = mapped_column(Date)  # the actual date, once reached
    weight: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)

    measure: Mapped[Measure] = relationship(back_populates="milestones")


class Indicator(BilingualMixin, db.Model):
    """What measures a measure's progress: a unit, where it started and where it shall be when."""

    __tablename__ = "measure_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True)
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX), unique=True)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    unit_de: Mapped[str] = mapped_column(String(UNIT_MAX), nullable=False, default="")
    unit_en: Mapped[str] = mapped_column(String(UNIT_MAX), nullable=False, default="")
    baseline: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    baseline_on: Mapped[date | None] = mapped_column(Date)
    target: Mapped[float] = mapped_column(Float, nullable=False)
    target_on: Mapped[date | None] = mapped_column(Date)

    measure: Mapped[Measure] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="IndicatorValue.measured_on",
    )


class IndicatorValue(db.Model):
    """One measurement: its date, the value and where it comes from."""

    __tablename__ = "measure_indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "measured_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("measure_indicator.id", ondelete="CASCADE"), nullable=False, index=True
    )
    measured_on: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    source: Mapped[str] = mapped_column(String(SOURCE_MAX), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class MeasureUpdate(BilingualMixin, db.Model):
    """A dated public update on a measure, written by its editors; followers are told."""

    __tablename__ = "measure_update"
    __table_args__ = (Index("ix_measure_update_feed", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # the body it was written for (the responsible organisation, or None for the coordinating unit)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    body_de: Mapped[str] = mapped_column(Text, nullable=False)  # Markdown
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    measure: Mapped[Measure] = relationship()
    organisation = relationship("Organisation")


class MeasureChange(db.Model):
    """One changed value of a measure or of one of its parts, for the public timeline: who (as
    which body), when, what, from what to what, and why. Appended, never changed."""

    __tablename__ = "measure_change"
    __table_args__ = (Index("ix_measure_change_timeline", "measure_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # the body the person acted for: the responsible organisation, or None for the coordinating unit
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    # what was changed: the measure itself, or one of its parts (services.SUBJECTS)
    subject: Mapped[str] = mapped_column(String(20), nullable=False, default="measure")
    subject_id: Mapped[int | None] = mapped_column()
    subject_title: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    field: Mapped[str] = mapped_column(String(40), nullable=False)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(REASON_MAX), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor = relationship("User", foreign_keys=[actor_id])
    organisation = relationship("Organisation")


class MeasureParagraph(db.Model):
    """A paragraph of the plan the measure implements, by lineage: it follows the paragraph
    into every later version."""

    __tablename__ = "measure_paragraph"
    __table_args__ = (UniqueConstraint("measure_id", "lineage_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False)
    lineage_key: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class MeasureSource(db.Model):
    """A proposal or a comment that led to the measure."""

    __tablename__ = "measure_source"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_contribution"),
        UniqueConstraint("measure_id", "proposal_id"),
        UniqueConstraint("measure_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    proposal = relationship("Proposal")
    comment = relationship("Comment")


class MeasureFollow(db.Model):
    """Someone who wants to hear of a measure's updates."""

    __tablename__ = "measure_follow"
    __table_args__ = (UniqueConstraint("user_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class MeasureImport(db.Model):
    """An uploaded import file waiting for its confirmation (participation.measures.transfer_views):
    kept for the planner who uploaded it, for a limited time, so that the preview and the
    confirmation read the same bytes. Confirming deletes it, so a second confirmation finds nothing."""

    __tablename__ = "measure_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


register_actions(
    {
        "measure_created": _l("Measure created"),
        "measure_changed": _l("Measure changed"),
        "measure_published": _l("Measure published"),
        "measure_deleted": _l("Measure deleted"),
        "measure_imported": _l("Measures imported"),
    }
)
register_targets({"measure": _l("Measure"), "measure_import": _l("Import of measures")})
