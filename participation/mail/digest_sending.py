"""Daily and weekly digests, the sending half: `flask --app wsgi mail digest`, run daily, writes
one mail per person whose digest is due into the outbox (participation.mail.digest gathers).

Running it twice, or on several hosts at once, sends nothing twice: each person's choice row is
locked (on PostgreSQL with SKIP LOCKED, so another host takes the next person), checked again,
and their digest, the deletion of the notifications it holds and the time it was sent are
committed together."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete, or_, select

from participation.core import composition
from participation.core.i18n import N_
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.digest import IMMEDIATELY, PERIODS, SLACK
from participation.mail.models import DAILY, MailDigestChoice, PendingNotification
from participation.mail.notifications import KINDS, opt_out_token, stopped_kinds
from participation.mail.services import queue_mail


def choose(user, frequency: str) -> None:
    """The profile's choice. Going back to "immediately" queues what waits at once, in one mail."""
    choice = db.session.get(MailDigestChoice, user.id)
    if frequency == IMMEDIATELY:
        if choice is not None:
            send_one(user.id, utcnow(), whenever=True)
            db.session.execute(delete(MailDigestChoice).where(MailDigestChoice.user_id == user.id))
        return
    assert frequency in PERIODS, frequency
    if choice is None:
        db.session.add(MailDigestChoice(user_id=user.id, frequency=frequency, chosen_at=utcnow()))
    else:
        choice.frequency = frequency
    db.session.flush()


def _due(choice: MailDigestChoice, now: datetime) -> bool:
    since = choice.last_sent_at or choice.chosen_at
    return now - since >= PERIODS[choice.frequency] - SLACK


def _lock(user_id: int, wait: bool = False) -> MailDigestChoice | None:
    """The person's choice under a row lock; None when another host works on it (unless `wait`)."""
    statement = select(MailDigestChoice).where(MailDigestChoice.user_id == user_id)
    if db.engine.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=not wait)
    return db.session.scalars(statement.execution_options(populate_existing=True)).first()


def _still_public(items: list[PendingNotification]) -> list[PendingNotification]:
    """Notifications about a comment hidden or deleted meanwhile are left out (the comments lend
    which of their comments are no longer public: participation.lend_parts)."""
    ids = {item.comment_id for item in items if item.comment_id is not None}
    gone: set[int] = set()
    for part in composition.parts("mail.comments_not_public"):
        gone |= set(part(ids)) if ids else set()
    return [item for item in items if item.comment_id not in gone]


def send_one(user_id: int, now: datetime, whenever: bool = False) -> bool:
    """Queue the digest of one person if it is due (or `whenever`); True if a mail was queued.
    The caller commits."""
    from participation.accounts.models import User
    from participation.core.links import public_url

    choice = _lock(user_id, wait=whenever)
    if choice is None or not (whenever or _due(choice, now)):
        return False
    items = list(
        db.session.scalars(
            select(PendingNotification)
            .where(PendingNotification.user_id == user_id, PendingNotification.created_at <= now)
            .order_by(PendingNotification.created_at, PendingNotification.id)
        )
    )
    db.session.execute(delete(PendingNotification).where(PendingNotification.id.in_([i.id for i in items])))
    user = db.session.get(User, user_id)
    if user is None or not user.email:
        return False
    # a kind stopped since its notification waited here is stopped for the digest too
    stopped = stopped_kinds(user)
    shown = [item for item in _still_public(items) if item.kind not in stopped]
    if not shown:
        return False
    choice.last_sent_at = now
    kinds = sorted({item.kind for item in shown if item.kind in KINDS})
    link = public_url("mail.stop", token=opt_out_token(user, "+".join(kinds))) if kinds else None
    with force_locale(user.locale):
        labels = ", ".join(str(KINDS[kind]) for kind in kinds)
    message = queue_mail(
        user,
        "digest",
        N_("Your daily digest") if choice.frequency == DAILY else N_("Your weekly digest"),
        items=shown,
        frequency=choice.frequency,
        stop_link=link,
        kind_label=labels,
    )
    message.unsubscribe_url = link
    return True


def send_due(now: datetime | None = None) -> int:
    """Every due digest, one person per transaction; returns how many were queued."""
    now = now or utcnow()
    earliest = {frequency: now - period + SLACK for frequency, period in PERIODS.items()}
    due = select(MailDigestChoice.user_id).where(
        or_(
            *(
                (MailDigestChoice.frequency == frequency)
                & (db.func.coalesce(MailDigestChoice.last_sent_at, MailDigestChoice.chosen_at) <= cutoff)
                for frequency, cutoff in earliest.items()
            )
        ),
        MailDigestChoice.user_id.in_(select(PendingNotification.user_id)),
    )
    sent = 0
    for user_id in list(db.session.scalars(due.order_by(MailDigestChoice.user_id))):
        try:
            sent += send_one(user_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("digest of account %s failed", user_id)
    return sent
