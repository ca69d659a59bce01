"""Blocking an account and lifting the block; both are logged in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time

from blinker import Namespace

from participation.accounts.models import User
from participation.core.audit import record_decision
from participation.core.i18n import CITY_TIME
from participation.core.models import utcnow

# sent with the user, reason= and until= once a block is set; the mail (a layer up) tells the person
account_blocked = Namespace().signal("account-blocked")


def block_end(day) -> datetime:
    """A block "until" a day ends with that day in Cologne, as a UTC moment."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=CITY_TIME).astimezone(UTC)


def _block_state(user: User) -> dict:
    return {"blocked_at": user.blocked_at, "blocked_until": user.blocked_until, "reason": user.blocked_reason}


def block_user(actor: User, user: User, reason: str, until) -> None:
    before = _block_state(user)
    user.blocked_at = utcnow()
    user.blocked_until = until
    user.blocked_reason = reason
    user.blocked_by_id = actor.id
    record_decision(actor, "block_user", user, reason=reason, before=before, after=_block_state(user))
    account_blocked.send(user, reason=reason, until=until)


def unblock_user(actor: User, user: User) -> None:
    before = _block_state(user)
    user.blocked_at = None
    user.blocked_until = None
    user.blocked_reason = None
    user.blocked_by_id = None
    record_decision(actor, "unblock_user", user, before=before, after=_block_state(user))
