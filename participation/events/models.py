"""Events (workshops, information evenings) and offline sources: a workshop, an event, a letter or
a phone call whose input staff record on the platform on its behalf (participation.offline)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, UTCDateTime, sql_list, utcnow
from participation.extensions import db

TITLE_MAX, PLACE_MAX, LINK_MAX, CONTACT_MAX, NOTE_MAX = 150, 200, 500, 200, 2000
SOURCE_NAME_MAX = 150

SOURCE_KINDS = {
    "workshop": _l("Workshop"),
    "event": _l("Event"),
    "letter": _l("Letter"),
    "phone_call": _l("Phone call"),
    "other": _l("Other source"),
}


class Event(BilingualMixin, db.Model):
    __tablename__ = "event"
    __table_args__ = (CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    description_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    description_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # stored in UTC, entered and shown in Cologne's time
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(PLACE_MAX), nullable=False)
    accessibility: Mapped[str] = mapped_column(Text, nullable=False, default="")
    step_free: Mapped[bool] = mapped_column(nullable=False, default=False)
    hearing_loop: Mapped[bool] = mapped_column(nullable=False, default=False)
    sign_language: Mapped[bool] = mapped_column(nullable=False, default=False)
    registration_url: Mapped[str] = mapped_column(String(LINK_MAX), nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    @property
    def last_moment(self) -> datetime:
        return self.ends_at or self.starts_at


class OfflineSource(db.Model):
    """Where offline input came from, e.g. "Workshop Chorweiler" with 12 participants. Proposals
    and comments recorded on its behalf point at it (offline_source_id)."""

    __tablename__ = "offline_source"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_list(SOURCE_KINDS)})", name="kind_known"),
        CheckConstraint(f"stakeholder_group IN ({sql_list(STAKEHOLDER_GROUPS)})", name="group_known"),
        CheckConstraint("participants IS NULL OR participants > 0", name="participants_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(SOURCE_NAME_MAX), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    participants: Mapped[int | None] = mapped_column()
    # who the input speaks for, in the report's split by group
    stakeholder_group: Mapped[str] = mapped_column(String(30), nullable=False, default="residents")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event = relationship("Event")

    @property
    def kind_label(self) -> str:
        return str(SOURCE_KINDS[self.kind])


register_actions(
    {
        "create_event": _l("Event created"),
        "change_event": _l("Event changed"),
        "delete_event": _l("Event deleted"),
        "create_offline_source": _l("Offline source created"),
        "record_offline": _l("Offline input recorded"),
    }
)
register_targets({"event": _l("Event"), "offline_source": _l("Offline source")})
