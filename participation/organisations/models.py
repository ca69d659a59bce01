"""Organisations (businesses, universities, municipal companies, associations) and the people
who may speak for them once an admin has verified their membership."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, UTCDateTime, sql_list, utcnow
from participation.extensions import db

NAME_MAX = 150
KINDS = {
    "business": _l("Business"),
    "university": _l("University or research institute"),
    "municipal_company": _l("Municipal company"),
    "city_office": _l("City office"),
    # a Beirat (business, science, civil society) that states its view on reports and versions
    "advisory_board": _l("Advisory board"),
    "association": _l("Association or initiative"),
    "other": _l("Other organisation"),
}
REQUESTED, VERIFIED, REJECTED = "requested", "verified", "rejected"
MEMBERSHIP_STATUSES = {
    REQUESTED: _l("asked to join, waiting for verification"),
    VERIFIED: _l("verified member"),
    REJECTED: _l("not verified"),
}


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_list(KINDS)})", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")  # German
    description_en: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Membership.requested_at"
    )

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def description_lang(self, locale: str) -> str:
        """The language of what description_in() shows, for a lang attribute."""
        return "en" if locale == "en" and self.description_en else "de"

    def description_in(self, locale: str) -> str:
        """English falls back to German where it is empty."""
        return self.description_en if self.description_lang(locale) == "en" else self.description


class Membership(db.Model):
    """A person's request to speak for an organisation, and the admin's decision on it."""

    __tablename__ = "organisation_membership"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        CheckConstraint(f"status IN ({sql_list(MEMBERSHIP_STATUSES)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=REQUESTED)
    # what the person says about their role there, for the admin who verifies it
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    user = relationship("User", foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    @property
    def status_label(self) -> str:
        return str(MEMBERSHIP_STATUSES[self.status])


DOCUMENT_TITLE_MAX, FILENAME_MAX = 200, 150


class StrategyDocument(BilingualMixin, db.Model):
    """A PDF an organisation's verified member published (its digital strategy, say). Its bytes
    lie in the database (StrategyDocumentChunk), where every app host reads the same ones."""

    __tablename__ = "strategy_document"
    __table_args__ = (
        CheckConstraint("size >= 0", name="size_not_negative"),
        CheckConstraint("year >= 1900 AND year <= 2200", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title_de: Mapped[str] = mapped_column(String(DOCUMENT_TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(DOCUMENT_TITLE_MAX), nullable=False, default="")
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    # the name it is saved under: ASCII letters, digits, dots, dashes (services.safe_filename)
    filename: Mapped[str] = mapped_column(String(FILENAME_MAX), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    organisation: Mapped[Organisation] = relationship()

    def title(self, locale: str) -> str:
        return self.localized("title", locale)


class StrategyDocumentChunk(db.Model):
    """One piece of a document's bytes (documents.CHUNK bytes each but the last), read one at a
    time when sent."""

    __tablename__ = "strategy_document_chunk"

    document_id: Mapped[int] = mapped_column(ForeignKey("strategy_document.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


register_actions(
    {
        "create_organisation": _l("Organisation created"),
        "change_organisation": _l("Organisation changed"),
        "verify_membership": _l("Membership verified"),
        "refuse_membership": _l("Membership refused or taken back"),
        "upload_strategy_document": _l("Strategy document published"),
        "delete_strategy_document": _l("Strategy document deleted"),
        "change_organisation_description": _l("Organisation's description changed"),
    }
)
register_targets(
    {
        "organisation": _l("Organisation"),
        "organisation_membership": _l("Membership"),
        "strategy_document": _l("Strategy document"),
    }
)
