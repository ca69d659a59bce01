"""A comment and its place in a thread."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_targets
from participation.core.hiding import HideableMixin
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.core.premoderation import register_contribution
from participation.extensions import db

KINDS = {
    "agree": _l("Agreement"),
    "object": _l("Objection"),
    "addition": _l("Addition"),
    "question": _l("Question"),
}
PUBLISHED, DELETED, HIDDEN, PENDING = "published", "deleted", "hidden", "pending"
# what planners answer on a comment on the draft, as on a proposal (participation.proposals.models
# takes these labels into its statuses)
ANSWERS = {
    "under_review": _l("under review"),
    "accepted": _l("accepted"),
    "partly_accepted": _l("partly accepted"),
    "not_accepted": _l("not accepted"),
}
ANSWER_STATUSES = tuple(ANSWERS)
MAX_DEPTH = 2  # a comment, a reply, a reply to the reply
BODY_MAX = 5_000
EDIT_MINUTES = 15


class Comment(HideableMixin, db.Model):
    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint(f"kind IS NULL OR kind IN ({sql_list(KINDS)})", name="kind_known"),
        CheckConstraint(f"status IN ({sql_list((PUBLISHED, DELETED, HIDDEN, PENDING))})", name="status_known"),
        CheckConstraint("depth >= 0 AND depth <= 2", name="depth_range"),
        CheckConstraint(
            f"answer_status IS NULL OR answer_status IN ({sql_list(ANSWER_STATUSES)})", name="answer_status_known"
        ),
        # a paragraph's (or a chapter's) top-level comments in order
        Index("ix_comment_paragraph_thread", "paragraph_id", "depth", "created_at"),
        Index("ix_comment_chapter_thread", "chapter_id", "paragraph_id", "depth", "created_at"),
        Index("ix_comment_proposal_thread", "proposal_id", "depth", "created_at"),
        Index("ix_comment_measure_thread", "measure_id", "depth", "created_at"),
        # an organisation's official statements, newest first (its public page)
        Index("ix_comment_organisation_statements", "organisation_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_group: Mapped[str] = mapped_column(String(30), nullable=False)
    # input from a workshop, letter or phone call that staff recorded on its behalf (no author then)
    offline_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("offline_source.id", ondelete="RESTRICT"), index=True
    )
    # set when a verified member wrote it as the organisation's statement
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    # a comment on a measure of the action concept (participation.measures, which sits above)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    # the top-level comment of the thread (None for a top-level comment): one query loads a thread
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    depth: Mapped[int] = mapped_column(nullable=False, default=0)
    kind: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=PUBLISHED, index=True)
    # why pre-moderation or the spam signals hold it back (empty when they did not)
    held_because: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # when others could first read it (None while it waits for review)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a planner's public answer to a comment on the draft (the statuses of proposals' answers)
    answer_status: Mapped[str | None] = mapped_column(String(20), index=True)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # threads show names only: the author's roles are not loaded with them
    author = relationship("User", foreign_keys=[author_id], lazy="joined", innerjoin=False)
    organisation = relationship("Organisation", lazy="joined", innerjoin=False)
    offline_source = relationship("OfflineSource", lazy="joined", innerjoin=False)
    chapter = relationship("Chapter", foreign_keys=[chapter_id])
    paragraph = relationship("Paragraph", foreign_keys=[paragraph_id])
    proposal = relationship("Proposal", foreign_keys=[proposal_id])
    # named by string: measures sit above comments
    measure = relationship("Measure", foreign_keys=[measure_id])
    parent = relationship("Comment", remote_side=[id], foreign_keys=[parent_id])

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind]) if self.kind else ""

    @property
    def answer_label(self) -> str:
        return str(ANSWERS[self.answer_status]) if self.answer_status else ""

    @property
    def is_visible(self) -> bool:
        return self.status == PUBLISHED

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"


register_targets({"comment": _l("Comment")})
register_contribution(Comment)
