"""A change of email address: asked for on the account page with the password, confirmed with a
link mailed to the new address, told to the old one. They change the session and flush; the
request commits.

Until the link is opened, the account keeps its address for login and mail. The link names the
account, the new address and the moment it was asked for, which the account stores
(`User.pending_email`, `pending_email_requested_at`): a newer request, a cancellation, a new
password or the confirmation itself replaces or clears them, and every earlier link dies.

An address that is another account's gets the same answer as a free one, as at registration:
its owner is told that someone asked for it, no link goes there, and nothing tells the asker
which of the two happened. An address that another account has asked for but not confirmed is
not kept from anyone: refusing it would tell that someone asked for it, and would let anyone
block a person's change to their own address by asking for it first. The first confirmation
wins; the address is unique among accounts (`uq_user_email`), so two can never both have it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from participation.accounts.models import User, find_user_by_email
from participation.auth import revert
from participation.auth.services import mailed_recently, user_of_token
from participation.auth.tokens import TokenInvalid, make_token
from participation.core.audit import record_decision
from participation.core.i18n import N_
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.core.transaction import flush_unless_refused
from participation.extensions import db
from participation.mail.services import queue_mail

CHANGE = "change-email"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _max_age() -> timedelta:
    return current_app.config["EMAIL_CHANGE_MAX_AGE"]


def _stamp(moment: datetime) -> int:
    """The moment of a request in microseconds, exactly as both databases keep it."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def pending_email(user: User) -> str | None:
    """The new address waiting for its confirmation, while its link is valid."""
    if user.pending_email is None or user.pending_email_requested_at is None:
        return None
    if pending_until(user) <= utcnow():
        return None
    return user.pending_email


def pending_until(user: User) -> datetime:
    return user.pending_email_requested_at + _max_age()


def change_token(user: User) -> str:
    """The link's token for the account's pending address, as asked for at that moment."""
    return make_token(CHANGE, {"u": user.id, "e": user.pending_email, "t": _stamp(user.pending_email_requested_at)})


def request_change(user: User, new_email: str) -> bool:
    """Ask for `new_email` (not the account's own, which the form refuses): a link to it, or to
    its owner a word that someone asked for it; to the current address, a notice of the request
    (without the link), so that an owner whose password someone else knows hears of it.

    False when the same address was asked for less than ACCOUNT_MAIL_INTERVAL ago: nothing is
    sent again and its link stays valid (a new link would kill the one on its way, and the new
    mail could come first or not at all)."""
    new_email = new_email.strip().lower()
    now = utcnow()
    if (
        user.pending_email == new_email
        and user.pending_email_requested_at is not None
        and user.pending_email_requested_at > now - current_app.config["ACCOUNT_MAIL_INTERVAL"]
    ):
        return False
    user.pending_email, user.pending_email_requested_at = new_email, now
    owner = find_user_by_email(new_email)
    if owner is None:
        queue_mail(
            new_email,
            "email_change_confirm",
            N_("Please confirm your new email address"),
            locale=user.locale,
            user=user,
            link=public_url("auth.confirm_email_change", token=change_token(user)),
            hours=int(_max_age().total_seconds() // 3600),
        )
    else:
        _tell_owner(owner)
    queue_mail(
        user,
        "email_change_requested",
        N_("A change of your email address was requested"),
        new_email=new_email,
        reset_link=public_url("auth.forgot_password"),
    )
    db.session.flush()
    return True


def _tell_owner(owner: User) -> None:
    """Someone asked for the address of `owner`'s account for another one: tell the owner, as a
    registration with it would, at most once per ACCOUNT_MAIL_INTERVAL."""
    if not owner.is_active or mailed_recently(owner, "email_change_taken"):
        return
    queue_mail(
        owner,
        "email_change_taken",
        N_("Someone asked to use your email address for another account"),
        login_link=public_url("auth.login"),
        reset_link=public_url("auth.forgot_password"),
    )


def cancel_change(user: User) -> bool:
    """Forget the pending address; its link dies. False when none was pending."""
    had = pending_email(user) is not None
    user.pending_email = user.pending_email_requested_at = None
    db.session.flush()
    return had


def user_for_change_token(token: str, lock: bool = False) -> User:
    """The account whose pending change a link confirms; raise TokenExpired, or TokenInvalid for
    a forged link and for one that was used, replaced by a newer request, or cancelled.

    With `lock`, the account's row is locked (FOR UPDATE on PostgreSQL) until the request ends,
    and what it holds is read again under the lock: of two confirmations at once, or one racing
    a new password, the second sees what the first wrote and finds its link used or void."""
    user, payload = user_of_token(CHANGE, token, "EMAIL_CHANGE_MAX_AGE")
    if lock:
        db.session.refresh(user, with_for_update=True)
    if (
        user.pending_email is None
        or user.pending_email_requested_at is None
        or payload.get("e") != user.pending_email
        or payload.get("t") != _stamp(user.pending_email_requested_at)
    ):
        raise TokenInvalid(token)
    return user


def taken_by_another(user: User) -> bool:
    """Whether the pending address is another account's by now (its owner confirmed it first,
    or registered with it)."""
    owner = find_user_by_email(user.pending_email)
    return owner is not None and owner is not user


def confirm_change(user: User) -> bool:
    """Make the pending address the account's: the old one no longer logs in, every session of
        the account ends, the audit log records that the address changed (not the addresses: the log
        is kept for good), and the old address is told, with a link that undoes the change
    (participation.auth.revert) for EMAIL_CHANGE_REVERT_MAX_AGE. False, with the request's changes undone,
        when the address belongs to another account by now; of two confirmations at the same moment
        the unique index lets one through."""
    if taken_by_another(user):
        return False
    new_email, old_email = user.pending_email, user.email
    user.email = new_email
    user.pending_email = user.pending_email_requested_at = None
    if user.email_confirmed_at is None:  # following the link proves the address
        user.email_confirmed_at = utcnow()
    user.end_sessions()
    if not flush_unless_refused():  # uq_user_email: the other one was written first
        return False
    decision = record_decision(user, "change_email", user)
    db.session.flush()
    queue_mail(
        old_email,
        "email_changed",
        N_("Your email address was changed"),
        locale=user.locale,
        user=user,
        new_email=new_email,
        imprint_link=public_url("pages.show", slug="imprint"),
        revert_link=public_url("auth.revert_email_change", token=revert.revert_token(user, old_email, decision)),
        days=revert.max_age().days,
    )
    return True
