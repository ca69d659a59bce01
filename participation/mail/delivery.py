"""Deliver queued mail: claim a batch, send each message with its own Message-ID, record the outcome.

A worker first commits its claim on a batch (claimed_by, claimed_until), then before each message
counts the attempt and renews the claim (committed), sends, and commits the result. Another
worker takes a message over only after its claim has expired, so a worker killed while sending
leads at most to the same message (same Message-ID) once more, which receivers drop, never to
a second copy that looks different. On PostgreSQL the batch is picked with FOR UPDATE SKIP
LOCKED, so workers on several hosts do not wait for each other; on SQLite the claim is one
UPDATE statement, which SQLite runs alone.

A worker asked to stop (SIGTERM, see `outbox work`) finishes the message it is sending, records
it, and gives the rest of its claim back at once, so another worker need not wait for it to expire.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import socket
import ssl
import sys
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import and_, or_, select, update

from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import FAILED, MAX_ATTEMPTS, PENDING, SENT, OutboxMessage

# messages one claim takes: the rest stay free for other workers, and a crash holds back few
CLAIM_SIZE = 20
# after the server could not be reached: try again this soon; it costs one connection attempt
RECONNECT_DELAY = timedelta(seconds=5)
INTERRUPTED = "interrupted: the worker stopped while sending, too often"
# the body of a mail program's one-click unsubscribe (RFC 8058), which every stop link's POST needs
ONE_CLICK_FIELD, ONE_CLICK_VALUE = "List-Unsubscribe", "One-Click"
# set when the worker is asked to stop (the SIGTERM handler of `outbox work`): deliver_pending
# returns after the message at hand
STOP = threading.Event()


class ServerUnreachable(Exception):
    """The mail server did not answer or refused the connection: nothing was handed over."""


def new_message_id() -> str:
    """A Message-ID in the sender's domain, given once per message and kept for every attempt."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ")
    return make_msgid(domain=domain or "localhost")


def _console_send(message) -> None:
    print(
        f"\n----- mail to {message.recipient} -----\nSubject: {message.subject}\n\n"
        f"{message.body_text}\n----- end of mail -----",
        file=sys.stdout,
        flush=True,
    )


def _connect(config) -> smtplib.SMTP:
    tls = ssl.create_default_context()  # verifies the server's certificate and name
    try:
        if config["MAIL_USE_SSL"]:
            return smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30, context=tls)
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    except ssl.SSLError:  # a certificate problem is no outage: it counts against the message
        raise
    except (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as exc:
        raise ServerUnreachable(f"{type(exc).__name__}: {exc}") from exc
    if config["MAIL_USE_TLS"]:
        try:
            connection.starttls(context=tls)
        except Exception:
            connection.close()
            raise
    return connection


def _smtp_send(message) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    if message.unsubscribe_url:
        # the mail program's own "unsubscribe" (RFC 2369) posts to the link, without asking the
        # reader again (one-click, RFC 8058: participation.mail.views.stop)
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = f"{ONE_CLICK_FIELD}={ONE_CLICK_VALUE}"
    email.set_content(message.body_text)
    with _connect(config) as smtp:
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _no_send(message) -> None:
    """The "none" backend: mail stays readable in the outbox table (tests read it there)."""


BACKENDS = {"console": _console_send, "smtp": _smtp_send, "none": _no_send}


def _backend():
    name = current_app.config["MAIL_BACKEND"]
    try:
        return BACKENDS[name]
    except KeyError:
        raise RuntimeError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}") from None


def _refused_for_good(exc: Exception) -> bool:
    """The server refused this message with a permanent (5xx) answer: trying again cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _error_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):  # without the address: the list shows errors
        answers = "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values())
        return f"SMTPRecipientsRefused: {answers}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def _claim_seconds() -> timedelta:
    return timedelta(seconds=current_app.config.get("MAIL_CLAIM_SECONDS", 120))


def _claimable(now):
    return and_(
        OutboxMessage.status == PENDING,
        OutboxMessage.purged_at.is_(None),
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    )


def _execute(statement):
    return db.session.execute(statement, execution_options={"synchronize_session": False})


def _claim(worker: str, size: int, only_ids: list[int] | None) -> list:
    """Claim up to `size` due messages for `worker` and commit; return them as rows."""
    now = utcnow()
    # a message whose every attempt ended with its worker gone would otherwise go round forever
    _execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == PENDING,
            OutboxMessage.attempts >= MAX_ATTEMPTS,
            OutboxMessage.claimed_until <= now,
        )
        .values(status=FAILED, last_error=INTERRUPTED, claimed_by=None, claimed_until=None)
    )
    candidates = (
        select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    if only_ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(only_ids))
    ids = list(
        _execute(
            update(OutboxMessage)
            # checked again in the UPDATE: on SQLite the subquery locks nothing
            .where(OutboxMessage.id.in_(candidates.scalar_subquery()), _claimable(now))
            .values(claimed_by=worker, claimed_until=now + _claim_seconds())
            .returning(OutboxMessage.id)
        ).scalars()
    )
    if ids:
        for message_id in db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.id.in_(ids), OutboxMessage.message_id.is_(None))
        ):  # queued before Message-IDs were given at queueing: give one now, before any attempt
            _execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(message_id=new_message_id()))
    db.session.commit()
    if not ids:
        return []
    rows = select(*OutboxMessage.__table__.c).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    return list(db.session.execute(rows))


def _start_attempt(message, worker: str) -> int | None:
    """Count the attempt and renew the claim (committed before sending); None if the claim was lost."""
    now = utcnow()
    attempts = _execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == worker, OutboxMessage.status == PENDING)
        .values(attempts=OutboxMessage.attempts + 1, last_attempt_at=now, claimed_until=now + _claim_seconds())
        .returning(OutboxMessage.attempts)
    ).scalar_one_or_none()
    db.session.commit()
    return attempts


def _record_sent(message) -> None:
    """Sent is sent: also when another worker, finding the claim of a send that outlasted it,
    had given the message up as interrupted meanwhile."""
    _execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            or_(
                OutboxMessage.status == PENDING,
                and_(OutboxMessage.status == FAILED, OutboxMessage.last_error == INTERRUPTED),
            ),
        )
        .values(
            status=SENT,
            sent_at=utcnow(),
            last_error=None,
            next_attempt_at=None,
            claimed_by=None,
            claimed_until=None,
        )
    )
    db.session.commit()


def _record_failure(message, attempts: int, worker: str, exc: Exception) -> None:
    values = {"last_error": _error_text(exc), "claimed_by": None, "claimed_until": None}
    if attempts >= MAX_ATTEMPTS or _refused_for_good(exc):
        values["status"] = FAILED
    else:
        values["next_attempt_at"] = utcnow() + timedelta(minutes=2**attempts)
    _execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == worker, OutboxMessage.status == PENDING)
        .values(**values)
    )
    db.session.commit()


def _postpone(messages: list, worker: str, error: str) -> None:
    """The server is unreachable: this costs none of the messages an attempt; try again soon."""
    mine = (OutboxMessage.claimed_by == worker, OutboxMessage.status == PENDING)
    _execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == messages[0].id, *mine)
        .values(attempts=OutboxMessage.attempts - 1)
    )
    _execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([message.id for message in messages]), *mine)
        .values(last_error=error[:500], next_attempt_at=utcnow() + RECONNECT_DELAY, claimed_by=None, claimed_until=None)
    )
    db.session.commit()
    current_app.logger.warning(
        "mail server unreachable (%s); %d messages wait, next try in %d s",
        error,
        len(messages),
        RECONNECT_DELAY.total_seconds(),
    )


def _release(messages: list, worker: str) -> None:
    """Give claimed messages back untouched (no attempt counted): the worker is stopping."""
    _execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_([message.id for message in messages]),
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == PENDING,
        )
        .values(claimed_by=None, claimed_until=None)
    )
    db.session.commit()


def worker_name() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def deliver_pending(limit: int = 100, only_ids: list[int] | None = None) -> tuple[int, int]:
    """Deliver up to `limit` due messages, committing each outcome; return (sent, not sent).

    Stops early when the server cannot be reached: the claimed messages wait RECONNECT_DELAY;
    and when STOP is set: the claimed messages not yet begun are released.
    """
    send = _backend()
    worker = worker_name()
    sent = failed = handled = 0
    while handled < limit and not STOP.is_set():
        batch = _claim(worker, min(CLAIM_SIZE, limit - handled), only_ids)
        if not batch:
            break
        for position, message in enumerate(batch):
            if STOP.is_set():
                _release(batch[position:], worker)
                return sent, failed
            handled += 1
            attempts = _start_attempt(message, worker)
            if attempts is None:  # our claim expired and another worker has the message now
                continue
            try:
                send(message)
            except ServerUnreachable as exc:
                _postpone(batch[position:], worker, str(exc))
                return sent, failed + len(batch) - position
            except Exception as exc:  # refused or broken off: counts against this message
                _record_failure(message, attempts, worker, exc)
                failed += 1
                continue
            _record_sent(message)
            sent += 1
    return sent, failed


def failed_messages(limit: int | None = None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).where(OutboxMessage.status == FAILED).order_by(OutboxMessage.id).limit(limit)
    return list(db.session.scalars(statement))


def requeue_failed(ids: list[int] | None = None) -> list[int]:
    """Queue failed messages again (all when `ids` is None), with fresh attempts and their Message-ID;
    not those whose content was deleted (purged_at): nothing is left to send."""
    statement = update(OutboxMessage).where(OutboxMessage.status == FAILED, OutboxMessage.purged_at.is_(None))
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(ids))
    statement = statement.values(
        status=PENDING, attempts=0, next_attempt_at=None, claimed_by=None, claimed_until=None
    ).returning(OutboxMessage.id)
    return sorted(_execute(statement).scalars())


def masked_address(address: str) -> str:
    """k***@example.org: enough for an operator to see the domain, not who it is."""
    local, _at, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"
