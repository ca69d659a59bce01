"""The audit log: every moderation and administration decision, appended and never changed;
flags (an item reported to the moderation); and what a hidden item keeps of the decision."""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import display_name_changed
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.extensions import db

# what each action is called on screen; later areas add theirs
ACTION_LABELS = {
    "set_roles": _l("Roles changed"),
    "block_user": _l("Account blocked"),
    "unblock_user": _l("Block lifted"),
    "change_display_name": _l("Display name changed"),
    "version_created": _l("Masterplan version created"),
    "version_opened": _l("Masterplan version opened for comments"),
    "version_closed": _l("Masterplan consultation closed"),
    "version_final": _l("Masterplan version marked final"),
    "answer_proposal": _l("Proposal answered"),
    "answer_comment": _l("Comment answered"),
    "incorporate": _l("Taken into the masterplan"),
    "remove_incorporation": _l("Taken out of the masterplan again"),
    "create_organisation": _l("Organisation created"),
    "change_organisation": _l("Organisation changed"),
    "verify_membership": _l("Membership verified"),
    "refuse_membership": _l("Membership refused or taken back"),
    "approve": _l("Approved"),
    "hide": _l("Hidden"),
    "dismiss_reports": _l("Reports dismissed"),
    "merge": _l("Merged as a duplicate"),
    "hide_and_block": _l("Hidden and author blocked"),
    "restore": _l("Restored"),
    "change_settings": _l("Settings changed"),
}


# what the decisions concern, by table name
TARGET_LABELS = {
    "user": _l("Account"),
    "organisation": _l("Organisation"),
    "organisation_membership": _l("Membership"),
    "masterplan_version": _l("Masterplan version"),
    "proposal": _l("Proposal"),
    "comment": _l("Comment"),
    "site_setting": _l("Settings"),
    "incorporation": _l("Incorporation"),
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


@display_name_changed.connect
def _record_display_name_change(user, before: str, after: str) -> None:
    """A new display name goes to the audit log, with the old one: who wrote what stays traceable
    for the moderation, also when someone renames themselves after a warning or a block."""
    record_decision(user, "change_display_name", user, before={"display_name": before}, after={"display_name": after})


@event.listens_for(ModerationDecision, "before_update")
@event.listens_for(ModerationDecision, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("the audit log is append-only")


# why the moderation hides something: shown to the author and, as a label, in the thread
HIDE_REASONS = {
    "spam": _l("Spam or advertising"),
    "insult": _l("Insulting or discriminating"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "illegal": _l("Unlawful content"),
    "netiquette": _l("Against the netiquette"),
    "other": _l("Another reason (see the note)"),
}
# hidden by the flags alone, until a moderator decides (the stored value keeps its old name)
BY_FLAGS = "reports"


class HideableMixin:
    """What a proposal or comment keeps when the moderation hides it: nothing is deleted, the
    reason and note stay with it, and admins can restore it."""

    moderation_reason: Mapped[str | None] = mapped_column(String(20))
    # what it was before the moderation hid it, so that a restore brings back that state
    status_before_hidden: Mapped[str | None] = mapped_column(String(20))
    moderation_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def hidden_by_flags(self) -> bool:
        return self.moderation_reason == BY_FLAGS

    @property
    def moderation_reason_label(self) -> str:
        if self.moderation_reason == BY_FLAGS:
            return str(_l("Reported several times; hidden until the moderation has looked at it"))
        return str(HIDE_REASONS.get(self.moderation_reason or "", ""))


FLAG_REASONS = {
    "spam": _l("Spam or advertising"),
    "insult": _l("Insulting or discriminating"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "other": _l("Something else"),
}
OPEN, DISMISSED, UPHELD = "open", "dismissed", "upheld"
FLAG_NOTE_MAX = 1000


class Flag(db.Model):
    """Someone's flag on a proposal or a comment (on screen: a report to the moderation); each
    person flags an item once."""

    __tablename__ = "flag"
    __table_args__ = (
        UniqueConstraint("reporter_id", "proposal_id"),
        UniqueConstraint("reporter_id", "comment_id"),
        CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
        CheckConstraint(f"reason IN ({sql_list(FLAG_REASONS)})", name="reason_known"),
        CheckConstraint(f"status IN ({sql_list((OPEN, DISMISSED, UPHELD))})", name="status_known"),
        Index("ix_flag_open_proposal", "status", "proposal_id"),
        Index("ix_flag_open_comment", "status", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(String(FLAG_NOTE_MAX), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reporter = relationship("User", foreign_keys=[reporter_id])

    @property
    def reason_label(self) -> str:
        return str(FLAG_REASONS[self.reason])
