"""The audit log: every moderation and administration decision, appended and never changed."""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db

# what each action is called on screen; later areas add theirs
ACTION_LABELS = {
    "set_roles": _l("Roles changed"),
    "block_user": _l("Account blocked"),
    "unblock_user": _l("Block lifted"),
}


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
