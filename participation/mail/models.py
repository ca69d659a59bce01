"""Outgoing mail waiting for, or done with, delivery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db

PENDING, SENT, FAILED = "pending", "sent", "failed"
MAX_ATTEMPTS = 5


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_id", "status", "id"),
        # the mails to one address: its owner's data download (participation.privacy), the
        # checks of how recently an address was mailed
        Index("ix_outbox_message_recipient_id", "recipient", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    # the account it was written to (empty for mail to a bare address, and once the account is
    # deleted): its mail stays its own after a change of address, for the data download and the
    # deletion (participation.privacy)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # after a failure: not before this time (backs off with every attempt)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # for notifications: the one-click link that stops this kind (List-Unsubscribe, RFC 2369)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    # given when queued and sent with every attempt: a copy sent again after a crash is the same
    # message to the receiver, which drops it (empty only on rows queued before it existed)
    message_id: Mapped[str | None] = mapped_column(String(250))
    # the worker delivering it, committed before it sends; another worker takes the message
    # over only once claimed_until has passed (the first one stopped)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # when `privacy purge` blanked the address, subject and text of this finished mail (sent or
    # given up long ago, participation.privacy.retention); such a mail is never sent or queued again
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MailOptOut(db.Model):
    """A kind of notification someone no longer wants (one-click link in each such mail)."""

    __tablename__ = "mail_opt_out"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


DAILY, WEEKLY = "daily", "weekly"


class MailDigestChoice(db.Model):
    """Someone who wants their notifications gathered into one mail a day or a week (no row:
    each notification at once). `last_sent_at` is when their last digest was queued: the next
    is due a day or a week after it (participation.mail.digest)."""

    __tablename__ = "mail_digest_choice"
    __table_args__ = (CheckConstraint(f"frequency IN ('{DAILY}', '{WEEKLY}')", name="frequency_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10), nullable=False)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PendingNotification(db.Model):
    """A notification waiting for its person's next digest: its subject and text in their
    language, written when the event happened. The digest that takes it deletes it in the same
    transaction, so no notification goes out twice."""

    __tablename__ = "pending_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    # the comment it is about, if any: dropped from the digest when it is no longer public
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
