"""The link that feeds input into the plan: a proposal or a comment taken (fully or partly)
into a paragraph of a masterplan version, with the planner's note."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_actions, register_targets
from participation.core.models import UTCDateTime, sql_list, utcnow
from participation.drafts.models import Chapter, MasterplanVersion, Paragraph
from participation.extensions import db

EXTENTS = {"full": _l("fully"), "partly": _l("partly")}
NOTE_MAX = 2_000


class Incorporation(db.Model):
    __tablename__ = "incorporation"
    __table_args__ = (
        UniqueConstraint("proposal_id", "paragraph_id"),
        UniqueConstraint("comment_id", "paragraph_id"),
        CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_contribution"),
        CheckConstraint(f"extent IN ({sql_list(EXTENTS)})", name="extent_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    # a paragraph of the version being prepared; published with that version
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraph.id", ondelete="CASCADE"), nullable=False, index=True
    )
    extent: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # the home page's latest incorporations, newest first
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    proposal = relationship("Proposal")
    comment = relationship("Comment")
    paragraph = relationship("Paragraph")

    @property
    def extent_label(self) -> str:
        return str(EXTENTS[self.extent])

    @property
    def contribution(self):
        return self.proposal or self.comment


register_actions(
    {
        "incorporate": _l("Taken into the masterplan"),
        "remove_incorporation": _l("Taken out of the masterplan again"),
    }
)
register_targets({"incorporation": _l("Incorporation")})


def into_versions(statement):
    """`statement` over Incorporation joined to the paragraph, chapter and version the input
    went into (to filter by the version, e.g. only published ones)."""
    return (
        statement.join(Paragraph, Paragraph.id == Incorporation.paragraph_id)
        .join(Chapter, Chapter.id == Paragraph.chapter_id)
        .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
    )
