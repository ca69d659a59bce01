"""Queue mail in the current transaction; deliver it right after commit (development) or from a worker."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event

from participation.core.i18n import N_
from participation.extensions import db
from participation.mail.delivery import BACKENDS, deliver_pending, new_message_id
from participation.mail.models import OutboxMessage

__all__ = [
    "BACKENDS",
    "deliver_pending",
    "last_mailed",
    "mailed_since",
    "new_message_id",
    "queue_mail",
    "register_delivery_after_commit",
]

_QUEUED_KEY = "participation_outbox_ids"


def queue_mail(recipient, kind: str, subject: str, locale: str = "de", **context) -> OutboxMessage:
    """Write a message to the outbox. `recipient` is a User or an address; nothing is sent yet.
    The mail is the account's that the context names as `user` (the recipient, or the account a
    mail to another address is about: a new address to confirm, the previous one told).

    The subject is a msgid marked with N_(), translated into the recipient's language with the body
    from templates/emails/<kind>.txt.
    """
    address = recipient if isinstance(recipient, str) else recipient.email
    if not isinstance(recipient, str):
        locale = recipient.locale
        context.setdefault("user", recipient)
    with force_locale(locale):
        subject_text = _(subject)
        body = render_template(f"emails/{kind}.txt", **context)
    message = OutboxMessage(
        recipient=address,
        user_id=getattr(context.get("user"), "id", None),
        subject=subject_text[:200],
        body_text=body,
        kind=kind,
        message_id=new_message_id(),
    )
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_QUEUED_KEY, []).append(message.id)
    return message


def mailed_since(address: str, kind: str, since: datetime) -> bool:
    """Whether a mail of this kind to this address was queued after `since`."""
    statement = db.select(OutboxMessage.id).where(
        OutboxMessage.recipient == address, OutboxMessage.kind == kind, OutboxMessage.created_at > since
    )
    return db.session.scalar(statement.limit(1)) is not None


def last_mailed(address: str, kind: str) -> datetime | None:
    """When the newest mail of this kind to this address was queued."""
    statement = db.select(db.func.max(OutboxMessage.created_at)).where(
        OutboxMessage.recipient == address, OutboxMessage.kind == kind
    )
    return db.session.scalar(statement)


_COMMITTED_KEY = "participation_outbox_committed"


@event.listens_for(db.session, "after_commit")
def _remember_committed(session):
    ids = session.info.pop(_QUEUED_KEY, None)
    if ids:
        session.info.setdefault(_COMMITTED_KEY, []).extend(ids)


@event.listens_for(db.session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_QUEUED_KEY, None)


def register_delivery_after_commit(app) -> None:
    """With MAIL_DELIVER_ON_COMMIT (development), mail queued by a request goes out right after."""

    @app.teardown_request
    def _deliver(exc):
        ids = db.session.info.pop(_COMMITTED_KEY, None)
        if ids and exc is None and app.config["MAIL_DELIVER_ON_COMMIT"]:
            try:
                deliver_pending(limit=len(ids), only_ids=ids)
            except Exception:  # the worker picks them up later
                app.logger.exception("delivering mail after commit failed")
                db.session.rollback()


def tell_blocked_person(user, reason: str, until) -> None:
    """Blocking lives in accounts, below the mail; the blocked person hears of it from here, in
    the same transaction as the block (connected to accounts.blocking.account_blocked in
    participation.lend_parts)."""
    queue_mail(user, "account_blocked", N_("Your account has been blocked"), reason=reason, until=until)
