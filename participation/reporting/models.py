"""The interim report to the committee: a frozen snapshot of every measure at the reporting date,
the planners' text per field of action, the participation figures of the period; and the
advisory boards' official statements on reports and on published versions of the plan.

A published report never changes: a correction is a new revision (`corrects_id`, with a note),
and both are kept. The guard below refuses any change to a published report or its rows."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship
from sqlalchemy.orm.util import identity_key

from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, UTCDateTime, sql_list, utcnow
from participation.extensions import db

DRAFT, PUBLISHED = "draft", "published"
REPORT_STATUSES = {DRAFT: _l("draft"), PUBLISHED: _l("published")}
TITLE_MAX, NOTE_MAX, STATEMENT_MAX = 200, 2_000, 20_000


class InterimReport(BilingualMixin, db.Model):
    __tablename__ = "interim_report"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(REPORT_STATUSES)})", name="status_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False, index=True)  # the reporting date
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=DRAFT, index=True)
    # a correction of a published report is a new revision that names the one it corrects
    revision: Mapped[int] = mapped_column(nullable=False, default=1)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("interim_report.id", ondelete="RESTRICT"), index=True)
    correction_note: Mapped[str] = mapped_column(String(NOTE_MAX), nullable=False, default="")
    # the report this one is compared with ("what changed since"), chosen when it is created
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("interim_report.id", ondelete="SET NULL"))
    # the participation figures of the period, frozen with the snapshot (JSON)
    participation: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    snapshot_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    corrects: Mapped[InterimReport | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])
    previous: Mapped[InterimReport | None] = relationship(remote_side=[id], foreign_keys=[previous_id])
    sections: Mapped[list[ReportSection]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSection.topic"
    )

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUSES[self.status])

    @property
    def participation_figures(self) -> dict:
        return json.loads(self.participation or "{}")


class ReportMeasure(db.Model):
    """One measure as it stood at the report's reporting date. The columns serve filters and
    comparisons; `data` (JSON) holds the rest: titles, responsible body, milestones, indicators
    with their values up to the reporting date."""

    __tablename__ = "interim_report_measure"
    __table_args__ = (UniqueConstraint("report_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("interim_report.id", ondelete="CASCADE"), nullable=False)
    # kept when the measure is deleted later: the report still says what it was
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"), index=True)
    topic: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    progress: Mapped[int] = mapped_column(nullable=False)
    weight: Mapped[float] = mapped_column(nullable=False, default=1.0)
    planned_end_on: Mapped[date | None] = mapped_column(Date)
    data: Mapped[str] = mapped_column(Text, nullable=False, default="{}")

    @property
    def values(self) -> dict:
        return json.loads(self.data or "{}")


class ReportSection(db.Model):
    """The planners' editorial text on one field of action."""

    __tablename__ = "interim_report_section"
    __table_args__ = (UniqueConstraint("report_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("interim_report.id", ondelete="CASCADE"), nullable=False)
    topic: Mapped[str] = mapped_column(String(30), nullable=False)
    text_de: Mapped[str] = mapped_column(Text, nullable=False, default="")  # Markdown
    text_en: Mapped[str] = mapped_column(Text, nullable=False, default="")

    report: Mapped[InterimReport] = relationship(back_populates="sections")


class Statement(db.Model):
    """An advisory board's one official statement on an interim report or on a published version."""

    __tablename__ = "advisory_statement"
    __table_args__ = (
        CheckConstraint("(report_id IS NULL) <> (version_id IS NULL)", name="one_subject"),
        UniqueConstraint("organisation_id", "report_id"),
        UniqueConstraint("organisation_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("interim_report.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("masterplan_version.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # Markdown
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = relationship("Organisation", lazy="joined", innerjoin=True)


def _was_published(report: InterimReport) -> bool:
    history = inspect(report).attrs.status.history
    before = history.deleted[0] if history.deleted else report.status
    return before == PUBLISHED and report.id is not None


@event.listens_for(InterimReport, "before_update")
def _published_reports_never_change(mapper, connection, target):
    if _was_published(target):
        raise RuntimeError("a published interim report never changes: publish a corrected revision")


@event.listens_for(InterimReport, "before_delete")
def _published_reports_stay(mapper, connection, target):
    if _was_published(target):
        raise RuntimeError("a published interim report is kept")


def _report_published(connection, row) -> bool:
    """Whether the row's report was published before this flush: a report published in the same
    flush that writes its last rows still takes them."""
    session = object_session(row)
    loaded = session.identity_map.get(identity_key(InterimReport, row.report_id)) if session else None
    if loaded is not None:
        return _was_published(loaded)
    table = InterimReport.__table__
    status = connection.execute(db.select(table.c.status).where(table.c.id == row.report_id)).scalar()
    return status == PUBLISHED


@event.listens_for(ReportMeasure, "before_update")
@event.listens_for(ReportMeasure, "before_delete")
@event.listens_for(ReportSection, "before_update")
@event.listens_for(ReportSection, "before_delete")
@event.listens_for(ReportMeasure, "before_insert")
@event.listens_for(ReportSection, "before_insert")
def _published_rows_never_change(mapper, connection, target):
    if target.report_id is not None and _report_published(connection, target):
        raise RuntimeError("the rows of a published interim report never change")


register_actions(
    {
        "report_created": _l("Interim report created"),
        "report_changed": _l("Interim report changed"),
        "report_published": _l("Interim report published"),
        "report_deleted": _l("Interim report draft deleted"),
        "statement_published": _l("Advisory board statement published"),
        "statement_changed": _l("Advisory board statement changed"),
    }
)
register_targets({"interim_report": _l("Interim report"), "advisory_statement": _l("Advisory board statement")})
