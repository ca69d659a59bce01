"""Undoing a confirmed change of email address, with the link in the notice to the previous one
(participation.auth.address.confirm_change). They change the session and flush; the request
commits.

Whoever knew the password could change the address and so take the account; the notice to the
previous address carries a link, valid for EMAIL_CHANGE_REVERT_MAX_AGE, that gives the address
back, ends every session, forgets a pending change and replaces the password with one nobody
knows: the owner chooses a new one at once (the page after it leads to the reset form) or later
with "Forgot your password?" at the restored address. An address another account has taken
meanwhile is not taken from it: the page says so and names the way to the platform's staff.

The link names the account, the previous address and the audit entry of the change it undoes.
Undoing a change voids its own link and the links of every later change made before the undoing
(they went to addresses the change brought in, perhaps a stranger's), read from the audit log's
entries of earlier undoings; the links of earlier changes stay valid: an owner whose address was
changed twice still gets the account back with the first link. Used under a lock of the
account's row, two at once undo once.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participation.accounts.models import User, find_user_by_email
from participation.auth.services import user_of_token
from participation.auth.tokens import TokenInvalid, make_token
from participation.core.audit import ModerationDecision, record_decision, register_actions
from participation.core.transaction import flush_unless_refused
from participation.extensions import db

REVERT = "revert-email"
ACTION = "revert_email"
# without the addresses, as the change itself: the entry of the change undone, by its number
register_actions({ACTION: _l("Email address change undone")})


def max_age() -> timedelta:
    return current_app.config["EMAIL_CHANGE_REVERT_MAX_AGE"]


def revert_token(user: User, old_email: str, change: ModerationDecision) -> str:
    return make_token(REVERT, {"u": user.id, "o": old_email, "d": change.id})


def _undone(user: User) -> list[tuple[int, int]]:
    """(the change's entry, the undoing's entry) for every change of the account undone so far."""
    rows = db.session.execute(
        select(ModerationDecision.id, ModerationDecision.state_after).where(
            ModerationDecision.action == ACTION,
            ModerationDecision.target_type == "user",
            ModerationDecision.target_id == user.id,
        )
    ).all()
    return [(json.loads(row.state_after or "{}").get("undid", 0), row.id) for row in rows]


def change_to_revert(token: str, lock: bool = False) -> tuple[User, str, int]:
    """The account, its previous address and the audit entry of the change a link undoes; raise
    TokenExpired, or TokenInvalid for a forged link, a used one and one that an undoing of an
    earlier change voided. With `lock`, the account's row is locked and read again first."""
    user, payload = user_of_token(REVERT, token, "EMAIL_CHANGE_REVERT_MAX_AGE")
    old_email, change = payload.get("o"), payload.get("d")
    if not isinstance(old_email, str) or not isinstance(change, int):
        raise TokenInvalid(token)
    if lock:
        db.session.refresh(user, with_for_update=True)
    if not _is_change_of(user, change) or any(undid <= change < undoing for undid, undoing in _undone(user)):
        raise TokenInvalid(token)
    return user, old_email, change


def _is_change_of(user: User, change: int) -> bool:
    """Whether the entry the link names is a change of this account's address: an account made
    later with a number a deleted one had (whose entries no longer name it) is not undone."""
    entry = db.session.get(ModerationDecision, change)
    return entry is not None and (entry.action, entry.target_type, entry.target_id) == ("change_email", "user", user.id)


def taken_by_another(user: User, old_email: str) -> bool:
    owner = find_user_by_email(old_email)
    return owner is not None and owner is not user


def revert_change(user: User, old_email: str, change: int) -> bool:
    """Give the account `old_email` back, with a password nobody knows (which also ends every
    session and forgets a pending change); the audit log names the change undone, not the
    addresses. False, with nothing changed, when another account has the address by now."""
    if taken_by_another(user, old_email):
        return False
    user.email = old_email
    user.set_password(secrets.token_urlsafe(32))
    if not flush_unless_refused():  # uq_user_email: another account took it a moment ago
        return False
    record_decision(user, ACTION, user, after={"undid": change})
    db.session.flush()
    return True
