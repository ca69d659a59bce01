"""A page of Markdown text in German and English."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import BilingualMixin, TimestampMixin
from participation.extensions import db

PAGE_BODY_MAX = 100_000


class Page(BilingualMixin, TimestampMixin, db.Model):
    __tablename__ = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    title_de: Mapped[str] = mapped_column(String(150), nullable=False)
    title_en: Mapped[str] = mapped_column(String(150), nullable=False)
    body_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
