"""Queue mail in the current transaction; deliver pending mail after commit or from a worker."""

from __future__ import annotations

import smtplib
import ssl
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, or_, select

from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import FAILED, MAX_ATTEMPTS, PENDING, SENT, OutboxMessage

_QUEUED_KEY = "participation_outbox_ids"


def queue_mail(recipient, kind: str, subject: str, locale: str = "de", **context) -> OutboxMessage:
    """Write a message to the outbox. `recipient` is a User or an address; nothing is sent yet.

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
    message = OutboxMessage(recipient=address, subject=subject_text[:200], body_text=body, kind=kind)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_QUEUED_KEY, []).append(message.id)
    return message


def _console_send(message: OutboxMessage) -> None:
    print(
        f"\n----- mail to {message.recipient} -----\nSubject: {message.subject}\n\n"
        f"{message.body_text}\n----- end of mail -----",
        file=sys.stdout,
        flush=True,
    )


def _smtp_send(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ") or None)
    if message.unsubscribe_url:  # the mail program's own "unsubscribe" opens the link (RFC 2369)
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    email.set_content(message.body_text)
    tls = ssl.create_default_context()  # verifies the server's certificate and name
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30, context=tls)
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    with connection as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=tls)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _no_send(message: OutboxMessage) -> None:
    """The "none" backend: mail stays readable in the outbox table (tests read it there)."""


BACKENDS = {"console": _console_send, "smtp": _smtp_send, "none": _no_send}


def _backend():
    name = current_app.config["MAIL_BACKEND"]
    try:
        return BACKENDS[name]
    except KeyError:
        raise RuntimeError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}") from None


def deliver_pending(limit: int = 100, only_ids: list[int] | None = None) -> tuple[int, int]:
    """Deliver up to `limit` pending messages, committing each; return (sent, failed).

    Rows are taken with FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers on several
    hosts never send the same message twice.
    """
    send = _backend()
    sent = failed = 0
    for _attempt in range(limit):
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == PENDING,
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= utcnow()),
            )
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if only_ids is not None:
            statement = statement.where(OutboxMessage.id.in_(only_ids))
        message = db.session.scalar(statement)
        if message is None:
            break
        message.attempts += 1
        message.last_attempt_at = utcnow()
        try:
            send(message)
        except Exception as exc:  # any transport failure: keep the message, try again later
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = FAILED
            else:
                message.next_attempt_at = utcnow() + timedelta(minutes=2**message.attempts)
            failed += 1
            db.session.commit()
            continue
        message.status = SENT
        message.sent_at = utcnow()
        message.last_error = None
        sent += 1
        db.session.commit()
    return sent, failed


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
