"""Retention: what the platform keeps only for a while, and the purge (`flask --app wsgi privacy
purge`) that removes it once that while is over.

- An account whose address was never confirmed is deleted UNCONFIRMED_ACCOUNT_RETENTION after it
  registered, with its own rows (roles, a display name kept taken for it, mail choices) and the
  address, subject and text of the mail sent to it. Such an account cannot log in or contribute
  (auth.services.authenticate, core.permissions.can_contribute), so normally nothing refers to
  it. One that something does refer to is kept, never deleted under that something: content it
  wrote, a vote or support (counted in columns), a membership, an audit entry about it or by it,
  a role beyond "participant", any foreign key to it (read from the models, so a table added
  later is respected without a change here). Kept too: an account that ever logged in (that
  needs a confirmed address: it was confirmed once), an anonymised one (the account deletion's
  business), and one with a confirmation or password link mailed to it that is still valid.
- A mail's address, subject and text are blanked MAIL_CONTENT_RETENTION after it was sent or
  given up; the row stays, with its kind, status, attempts, times and Message-ID, for the
  statistics and so that it is never sent again (the worker takes only pending mail, and
  `outbox retry` refuses a purged one). Pending mail is never touched. Mail queued within
  ACCOUNT_MAIL_INTERVAL is kept in any case: the spacing of account mail reads its address.
- A new address asked for on the account page and never confirmed (`User.pending_email`, with
  the moment it was asked for) is forgotten once its link has expired (EMAIL_CHANGE_MAX_AGE):
  the account page stops showing it then, and the row keeps it no longer.
- Client (IP) addresses: the database holds none (the login throttle and every rate limit count
  them in the rate-limit store, Redis or memory, where each count expires with its window; the
  request log writes none), so there is nothing to purge here; see tests/functional/test_retention.py.

Several hosts may purge at once on PostgreSQL. Each batch is one transaction that locks its
rows with FOR UPDATE SKIP LOCKED, so two purges never take the same row, never wait for each
other's rows and never count a row twice; a batch that locked a row deletes or blanks it only if
it still qualifies. Each batch that removed anything appends one audit entry with the count (no
ids, no addresses) in its own transaction. On SQLite a writer runs alone anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, or_, select, update

from participation.accounts.models import User, UserRole
from participation.core.audit import ModerationDecision, record_decision, register_actions, register_targets
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import FAILED, SENT, OutboxMessage

BATCH = 1000
# the account's own rows, which go with it; deleted here too, as SQLite does not cascade
OWN_ROWS = ("user_role.user_id", "reserved_display_name.user_id", "mail_opt_out.user_id")
# mail written to the account: its own too, blanked with it (see below) and no longer pointing at it
MAIL_OF_ACCOUNT = "outbox_message.user_id"
# mail that carries a link for the account (auth.services), by the setting that says how long
# it is valid: while one may still be valid, the account stays, so the person following it finds it
LINK_KINDS = {
    "confirm_email": "EMAIL_CONFIRM_MAX_AGE",
    "register_existing": "EMAIL_CONFIRM_MAX_AGE",
    "reset_password": "PASSWORD_RESET_MAX_AGE",
}
# a purged mail: its address, subject and text gone; kind, status, times and Message-ID kept
BLANK = {"recipient": "", "subject": "", "body_text": "", "unsubscribe_url": None, "last_error": None}

# what the audit log names as the target of a purge: the rule, not a record (hence no number)
RETENTION = SimpleNamespace(__tablename__="retention", id=0)

register_actions(
    {
        "delete_unconfirmed_accounts": _l("Unconfirmed accounts deleted"),
        "purge_mail_contents": _l("Content of old mail deleted"),
        "purge_pending_emails": _l("Unconfirmed new email addresses deleted"),
    }
)
register_targets({"retention": _l("Retention periods")})


@dataclass
class Purged:
    """What one purge removed, and what it left on purpose."""

    accounts_before: datetime
    mail_before: datetime
    accounts: int = 0
    mail_of_accounts: int = 0
    accounts_kept: int = 0
    mail: int = 0
    pending_before: datetime | None = None
    pending_emails: int = 0


def account_cutoff(now: datetime) -> datetime:
    """Accounts registered before this are old enough (never before their first link expired)."""
    config = current_app.config
    return now - max(config["UNCONFIRMED_ACCOUNT_RETENTION"], config["EMAIL_CONFIRM_MAX_AGE"])


def mail_cutoff(now: datetime) -> datetime:
    """Mail finished before this is old enough; never what the spacing of account mail still
    reads (auth.services.mailed_recently), whatever the settings say."""
    config = current_app.config
    return now - max(config["MAIL_CONTENT_RETENTION"], config["ACCOUNT_MAIL_INTERVAL"])


def _execute(statement):
    return db.session.execute(statement, execution_options={"synchronize_session": False})


def _references():
    """Every column that points at an account, from the models' foreign keys (all of them are
    loaded by create_app), except the account's own rows."""
    account_id = User.__table__.c.id
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column is account_id and f"{table.name}.{key.parent.name}" not in (*OWN_ROWS, MAIL_OF_ACCOUNT):
                yield key.parent


def _nothing_refers_to_it() -> list:
    conditions = []
    for column in _references():
        other = column.table.alias()  # the user table refers to itself (blocked_by_id)
        conditions.append(~exists().where(other.c[column.name] == User.id))
    conditions.append(~exists().where(UserRole.user_id == User.id, UserRole.role != "participant"))
    # the audit log names its targets without a foreign key
    conditions.append(
        ~exists().where(ModerationDecision.target_type == "user", ModerationDecision.target_id == User.id)
    )
    return conditions


def _never_confirmed(cutoff: datetime) -> list:
    return [
        User.email_confirmed_at.is_(None),
        User.last_login_at.is_(None),
        User.anonymised_at.is_(None),
        User.created_at < cutoff,
    ]


def _audit(action: str, after: dict) -> None:
    """One entry for a batch: counts and the cutoff, nothing about whom or what."""
    record_decision(None, action, RETENTION, after=after)


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _blank_mail(*conditions, now: datetime) -> list[int]:
    """Blank the finished mail that meets `conditions`; the ids blanked."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status.in_((SENT, FAILED)), OutboxMessage.purged_at.is_(None), *conditions)
        .values(**BLANK, purged_at=now)
        .returning(OutboxMessage.id)
    )
    return list(_execute(statement).scalars())


def delete_unconfirmed_accounts(purged: Purged, now: datetime, batch: int = BATCH) -> None:
    """Delete the old unconfirmed accounts nothing refers to, one committed batch at a time."""
    cutoff = purged.accounts_before
    deletable = [*_never_confirmed(cutoff), *_nothing_refers_to_it()]
    config = current_app.config
    live_link = or_(
        *(
            and_(OutboxMessage.kind == kind, OutboxMessage.created_at > now - config[lifetime])
            for kind, lifetime in LINK_KINDS.items()
        )
    )
    after = 0
    while True:
        rows = db.session.execute(
            select(User.id, User.email)
            .where(User.id > after, *deletable)
            .order_by(User.id)
            .limit(batch)
            .with_for_update(of=User, skip_locked=True)
        ).all()
        if not rows:
            db.session.commit()
            return
        after = rows[-1].id
        linked = set(
            db.session.scalars(
                select(OutboxMessage.recipient).where(
                    OutboxMessage.recipient.in_([row.email for row in rows]),
                    OutboxMessage.kind.in_(LINK_KINDS),
                    live_link,
                )
            )
        )
        ids = [row.id for row in rows if row.email not in linked]
        deleted = []
        if ids:  # checked again: all of it must still hold for the rows this batch holds
            deleted = _execute(delete(User).where(User.id.in_(ids), *deletable).returning(User.id, User.email)).all()
        if deleted:
            gone = [row.id for row in deleted]
            for name in OWN_ROWS:
                table = db.metadata.tables[name.split(".")[0]]
                _execute(delete(table).where(table.c.user_id.in_(gone)))
            theirs = or_(OutboxMessage.recipient.in_([row.email for row in deleted]), OutboxMessage.user_id.in_(gone))
            mail = _blank_mail(theirs, now=now)
            _execute(update(OutboxMessage).where(OutboxMessage.user_id.in_(gone)).values(user_id=None))
            _audit(
                "delete_unconfirmed_accounts",
                {"accounts": len(deleted), "registered_before": _moment(cutoff), "their_mail_blanked": len(mail)},
            )
            purged.accounts += len(deleted)
            purged.mail_of_accounts += len(mail)
        db.session.commit()


def count_kept_accounts(purged: Purged) -> None:
    """Old unconfirmed accounts left on purpose: something refers to them, they logged in once,
    or a link mailed to them is still valid."""
    purged.accounts_kept = db.session.scalar(
        select(func.count(User.id)).where(
            User.email_confirmed_at.is_(None), User.anonymised_at.is_(None), User.created_at < purged.accounts_before
        )
    )


def _finished_before(cutoff: datetime):
    return or_(
        and_(OutboxMessage.status == SENT, func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < cutoff),
        and_(
            OutboxMessage.status == FAILED,
            func.coalesce(OutboxMessage.last_attempt_at, OutboxMessage.created_at) < cutoff,
        ),
    )


def _batches(model, due: tuple, batch: int):
    """The ids of `model`'s rows that are due, a batch at a time in ascending order, locked so
    that another host purging at once takes other rows (SKIP LOCKED); each batch is committed
    once the caller has dealt with it, who checks `due` again for the rows it holds."""
    after = 0
    while True:
        ids = list(
            db.session.scalars(
                select(model.id)
                .where(model.id > after, *due)
                .order_by(model.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            db.session.commit()
            return
        after = ids[-1]
        yield ids
        db.session.commit()


def purge_mail_contents(purged: Purged, now: datetime, batch: int = BATCH) -> None:
    """Blank the mail sent or given up before the cutoff, one committed batch at a time."""
    cutoff = purged.mail_before
    due = (OutboxMessage.purged_at.is_(None), _finished_before(cutoff))
    for ids in _batches(OutboxMessage, due, batch):
        blanked = _blank_mail(OutboxMessage.id.in_(ids), *due, now=now)
        if blanked:
            _audit("purge_mail_contents", {"messages": len(blanked), "finished_before": _moment(cutoff)})
            purged.mail += len(blanked)


def purge_pending_emails(purged: Purged, batch: int = BATCH) -> None:
    """Forget the new addresses whose confirmation link has expired, one committed batch at a
    time (a request in the same moment as the purge keeps its new address and time)."""
    cutoff = purged.pending_before
    due = (
        or_(User.pending_email.is_not(None), User.pending_email_requested_at.is_not(None)),
        or_(User.pending_email_requested_at.is_(None), User.pending_email_requested_at <= cutoff),
    )
    for ids in _batches(User, due, batch):
        cleared = list(
            _execute(
                update(User)
                .where(User.id.in_(ids), *due)
                .values(pending_email=None, pending_email_requested_at=None)
                .returning(User.id)
            ).scalars()
        )
        if cleared:
            _audit("purge_pending_emails", {"requests": len(cleared), "asked_before": _moment(cutoff)})
            purged.pending_emails += len(cleared)


def purge(batch: int = BATCH, now: datetime | None = None) -> Purged:
    """Everything past its retention period, each batch committed on its own (a job of many
    transactions, like the mail worker, not a request's one)."""
    now = now or utcnow()
    purged = Purged(
        accounts_before=account_cutoff(now),
        mail_before=mail_cutoff(now),
        pending_before=now - current_app.config["EMAIL_CHANGE_MAX_AGE"],
    )
    delete_unconfirmed_accounts(purged, now, batch)
    count_kept_accounts(purged)
    purge_mail_contents(purged, now, batch)
    purge_pending_emails(purged, batch)
    db.session.commit()
    return purged
