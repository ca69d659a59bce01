"""A phase of the masterplan process (collecting ideas, commenting a draft, ...) and what it opens.

Comments and votes on the draft are opened for one version: the phase names it (`version_id`),
so that opening version 2 opens nothing on version 1. Proposals and supports belong to no version.
"""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, UTCDateTime, utcnow
from participation.extensions import db

# the actions a phase can open, named as the columns that open them
ACTIONS = ("proposals", "draft_comments", "draft_votes", "supports", "measure_comments")
VERSION_ACTIONS = ("draft_comments", "draft_votes")  # opened on the phase's version only


class Phase(BilingualMixin, db.Model):
    __tablename__ = "phase"
    __table_args__ = (CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(nullable=False, default=0, index=True)
    title_de: Mapped[str] = mapped_column(String(150), nullable=False)
    title_en: Mapped[str] = mapped_column(String(150), nullable=False)
    description_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    description_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    opens_proposals: Mapped[bool] = mapped_column(nullable=False, default=False)
    opens_draft_comments: Mapped[bool] = mapped_column(nullable=False, default=False)
    opens_draft_votes: Mapped[bool] = mapped_column(nullable=False, default=False)
    opens_supports: Mapped[bool] = mapped_column(nullable=False, default=False)
    # comments on the measures of the action concept (participation.measures)
    opens_measure_comments: Mapped[bool] = mapped_column(nullable=False, default=False, server_default=false())
    # the masterplan version whose comments and votes the phase opens (drafts sit above phases,
    # so the version is found by its id: participation.drafts.services.phase_versions)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("masterplan_version.id", ondelete="SET NULL"), index=True)

    def is_running(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def is_over(self, now: datetime | None = None) -> bool:
        return self.ends_at is not None and self.ends_at <= (now or utcnow())

    def opens(self, action: str, version_id: int | None = None) -> bool:
        """Whether the phase opens `action`; for comments and votes on the draft, on `version_id`."""
        if action not in ACTIONS:
            raise ValueError(f"unknown phase action {action!r}")
        if action in VERSION_ACTIONS and (self.version_id is None or self.version_id != version_id):
            return False
        return bool(getattr(self, f"opens_{action}"))

    @property
    def opened_actions(self) -> list[str]:
        return [action for action in ACTIONS if getattr(self, f"opens_{action}")]


def _phases_of_request() -> tuple[datetime, list[Phase]]:
    """Every phase (a few rows), read once per request with the moment it was read: a page asks
    several times (votes open? comments open? what comes next?)."""
    if "phases_read" not in g:
        g.phases_read = (utcnow(), all_phases())
    return g.phases_read


def running_phases(now: datetime | None = None) -> list[Phase]:
    if now is None and has_request_context():
        now, phases = _phases_of_request()
        return [phase for phase in phases if phase.starts_at <= now and (phase.ends_at is None or phase.ends_at > now)]
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Phase)
            .where(Phase.starts_at <= now, or_(Phase.ends_at.is_(None), Phase.ends_at > now))
            .order_by(Phase.position, Phase.starts_at)
        )
    )


def is_action_open(action: str, version_id: int | None = None, now: datetime | None = None) -> bool:
    """Whether a running phase opens `action` (one of ACTIONS); comments and votes on the draft
    only on the version `version_id`."""
    return any(phase.opens(action, version_id) for phase in running_phases(now))


def next_phase(now: datetime | None = None) -> Phase | None:
    """The phase that starts next (after `now`), if one is planned."""
    if now is None and has_request_context():
        now, phases = _phases_of_request()
        later = [phase for phase in phases if phase.starts_at > now]
        return min(later, key=lambda phase: (phase.starts_at, phase.position)) if later else None
    now = now or utcnow()
    return db.session.scalar(select(Phase).where(Phase.starts_at > now).order_by(Phase.starts_at, Phase.position))


def all_phases() -> list[Phase]:
    return list(db.session.scalars(select(Phase).order_by(Phase.position, Phase.starts_at)))


# the audit log's names for the admins' decisions on phases (participation.phases.services)
register_actions(
    {
        "phase_created": _l("Phase created"),
        "phase_changed": _l("Phase changed"),
        "phase_moved": _l("Phase moved"),
        "phase_ended": _l("Phase ended"),
        "phase_deleted": _l("Phase deleted"),
    }
)
register_targets({"phase": _l("Phase")})
