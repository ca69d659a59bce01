"""Reports of proposals and comments. Services flush; the request commits once."""

from __future__ import annotations

from sqlalchemy import select

from participation.core.models import insert_ignoring_conflict, utcnow
from participation.extensions import db
from participation.moderation.models import Report


def _target_column(target):
    from participation.comments.models import Comment

    return ("comment_id", Report.comment_id) if isinstance(target, Comment) else ("proposal_id", Report.proposal_id)


def report(user, target, reason: str, note: str = "") -> bool:
    """One report per person and item, even when the form is sent twice at once; True if new."""
    name, _column = _target_column(target)
    values = {"reporter_id": user.id, name: target.id, "reason": reason, "note": note, "created_at": utcnow()}
    return insert_ignoring_conflict(Report, ("reporter_id", name), dict(values, status="open"))


def report_by(user, target) -> Report | None:
    """The person's own earlier report of the item, if any."""
    _name, column = _target_column(target)
    return db.session.scalar(select(Report).where(Report.reporter_id == user.id, column == target.id))
