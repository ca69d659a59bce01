"""The audit log: every moderation and administration decision, appended and never changed, and
the registry of what its actions and targets are called on screen (each area adds its own)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db

# what each action is called on screen, by its stored key; filled by register_actions
ACTION_LABELS: dict = {}
# what the decisions concern, by table name; filled by register_targets
TARGET_LABELS: dict = {}


def _register(registry: dict, labels: dict) -> None:
    """Add labels; a key means one thing, so two areas claiming it is a mistake found at start."""
    for key, label in labels.items():
        if registry.get(key, label) is not label:
            raise ValueError(f"audit log label {key!r} registered twice")
        registry[key] = label


def register_actions(labels: dict) -> None:
    """An area names its actions here, in the module that is imported when the app starts. The
    keys are stored in the log: they never change, the labels may."""
    _register(ACTION_LABELS, labels)


def register_targets(labels: dict) -> None:
    """An area names its tables that decisions concern."""
    _register(TARGET_LABELS, labels)


class ModerationDecision(db.Model):
    __tablename__ = "moderation_decision"
    __table_args__ = (Index("ix_moderation_decision_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    target_type: Mapped[str] = mapped_column(String(30), nullable=False)
    target_id: Mapped[int] = mapped_column(nullable=False)
    reason: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    state_before: Mapped[str | None] = mapped_column(Text)
    state_after: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def target_label(self) -> str:
        return str(TARGET_LABELS.get(self.target_type, self.target_type))


def record_decision(actor, action: str, target, reason=None, note=None, before=None, after=None) -> ModerationDecision:
    """Append one decision; the caller's transaction commits it with the change it describes."""
    decision = ModerationDecision(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target.__tablename__,
        target_id=target.id,
        reason=reason,
        note=note,
        state_before=json.dumps(before, sort_keys=True, default=str) if before is not None else None,
        state_after=json.dumps(after, sort_keys=True, default=str) if after is not None else None,
    )
    db.session.add(decision)
    return decision


@event.listens_for(ModerationDecision, "before_update")
@event.listens_for(ModerationDecision, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("the audit log is append-only")
