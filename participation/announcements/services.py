"""Writing, changing and publishing announcements (planners and admins). Never commits."""

from __future__ import annotations

from sqlalchemy import select

from participation.announcements import sending
from participation.announcements.models import Announcement
from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.extensions import db

FIELDS = ("title_de", "title_en", "body_de", "body_en")


class AnnouncementError(Exception):
    """A change the announcement's state refuses (it is published already)."""


def _state(announcement: Announcement) -> dict:
    return {name: getattr(announcement, name) for name in FIELDS}


def create(actor, values: dict) -> Announcement:
    announcement = Announcement(**{name: values.get(name) or "" for name in FIELDS})
    db.session.add(announcement)
    db.session.flush()
    record_decision(actor, "announcement_created", announcement, after=_state(announcement))
    return announcement


def change(actor, announcement: Announcement, values: dict) -> None:
    if announcement.is_published:
        raise AnnouncementError("published")
    before = _state(announcement)
    for name in FIELDS:
        setattr(announcement, name, values.get(name) or "")
    if _state(announcement) != before:
        db.session.flush()
        record_decision(actor, "announcement_changed", announcement, before=before, after=_state(announcement))


# batches the publishing request queues itself (a site of a few thousand subscribers is done then)
REQUEST_BATCHES = 2


def publish(actor, announcement: Announcement) -> tuple[int, bool]:
    """Make it public and queue its mails, the first REQUEST_BATCHES batches in the same
    transaction; (how many were queued, whether that was everyone). The rest is queued by
    `flask announcements send` (README: run it beside the outbox worker)."""
    if announcement.is_published:
        raise AnnouncementError("published")
    announcement.published_at = utcnow()
    db.session.flush()
    record_decision(actor, "announcement_published", announcement, after={"published_at": announcement.published_at})
    queued = 0
    for _batch in range(REQUEST_BATCHES):
        count = sending.queue_batch(announcement)
        if count is None:
            return queued, True
        queued += count
    return queued, False


def newest() -> Announcement | None:
    return db.session.scalar(
        select(Announcement)
        .where(Announcement.published_at.is_not(None))
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
        .limit(1)
    )
