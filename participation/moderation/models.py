"""Reports of proposals and comments, the moderation's actions in the audit log, and what a
hidden proposal or comment keeps of the moderation's decision."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

# ACTION_LABELS and ModerationDecision are still imported from here by the statistics (reports/)
from participation.core.audit import ACTION_LABELS, ModerationDecision, register_actions  # noqa: F401
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
# hidden by the reports alone, until a moderator decides
BY_REPORTS = "reports"


class HideableMixin:
    """What a proposal or comment keeps when the moderation hides it: nothing is deleted, the
    reason and note stay with it, and admins can restore it."""

    moderation_reason: Mapped[str | None] = mapped_column(String(20))
    # what it was before the moderation hid it, so that a restore brings back that state
    status_before_hidden: Mapped[str | None] = mapped_column(String(20))
    moderation_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def hidden_by_reports(self) -> bool:
        return self.moderation_reason == BY_REPORTS

    @property
    def moderation_reason_label(self) -> str:
        if self.moderation_reason == BY_REPORTS:
            return str(_l("Reported several times; hidden until the moderation has looked at it"))
        return str(HIDE_REASONS.get(self.moderation_reason or "", ""))


REPORT_REASONS = {
    "spam": _l("Spam or advertising"),
    "insult": _l("Insulting or discriminating"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "other": _l("Something else"),
}
OPEN, DISMISSED, UPHELD = "open", "dismissed", "upheld"
REPORT_NOTE_MAX = 1000


class Report(db.Model):
    """Someone's report of a proposal or a comment; each person reports an item once."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("reporter_id", "proposal_id"),
        UniqueConstraint("reporter_id", "comment_id"),
        CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
        CheckConstraint(f"reason IN ({sql_list(REPORT_REASONS)})", name="reason_known"),
        CheckConstraint(f"status IN ({sql_list((OPEN, DISMISSED, UPHELD))})", name="status_known"),
        Index("ix_report_open_proposal", "status", "proposal_id"),
        Index("ix_report_open_comment", "status", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(String(REPORT_NOTE_MAX), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reporter = relationship("User", foreign_keys=[reporter_id])

    @property
    def reason_label(self) -> str:
        return str(REPORT_REASONS[self.reason])
