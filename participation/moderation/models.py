"""Flags (proposals and comments reported to the moderation), and the moderation's actions in
the audit log."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_actions
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.extensions import db

register_actions(
    {
        "approve": _l("Approved"),
        "hide": _l("Hidden"),
        "dismiss_reports": _l("Reports dismissed"),
        "merge": _l("Merged as a duplicate"),
        "hide_and_block": _l("Hidden and author blocked"),
        "restore": _l("Restored"),
    }
)


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
