"""Announcements and the accounts that asked for them by mail (double opt-in)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.audit import register_actions, register_targets
from participation.core.models import BilingualMixin, TimestampMixin, UTCDateTime, utcnow
from participation.extensions import db

TITLE_MAX, BODY_MAX = 150, 20_000


class Announcement(BilingualMixin, TimestampMixin, db.Model):
    """Written by a planner or admin (who wrote and published it is in the audit log); public
    once published_at is set, and mailed to the subscribers from then on.

    Queuing the mails runs in batches of subscribers in the order of their account numbers;
    `queued_through_user_id` is the last account of the batches queued so far, committed in the
    same transaction as that batch's mails. A sender that stopped is followed by one that starts
    after it, so nobody gets a second copy; two senders at once take turns on the row's lock."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_de: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False)
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), nullable=False, default="")
    body_de: Mapped[str] = mapped_column(Text, nullable=False)
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # the cursor of the sending (an account number, no reference: it outlives the account)
    queued_through_user_id: Mapped[int] = mapped_column(nullable=False, default=0)
    queued_count: Mapped[int] = mapped_column(nullable=False, default=0)
    # every subscriber's mail is queued (the outbox workers deliver them)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AnnouncementSubscription(db.Model):
    """An account that asked for announcements by mail: subscribed only once it opened the link
    mailed to it (confirmed_at). Unsubscribing deletes the row."""

    __tablename__ = "announcement_subscription"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the signed one-click link's token (set on confirmation): stored so that the queuing can put
    # it into each mail in SQL; a new subscription gets a new one, and the old links stop working
    stop_token: Mapped[str | None] = mapped_column(String(200))


register_actions(
    {
        "announcement_created": _l("Announcement written"),
        "announcement_changed": _l("Announcement changed"),
        "announcement_published": _l("Announcement published and sent"),
    }
)
register_targets({"announcement": _l("Announcement")})
