"""Account operations. They change the session and flush; the request commits once."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from participation.accounts.models import (
    ReservedDisplayName,
    User,
    UserRole,
    canonical_display_name,
    find_user_by_email,
)
from participation.accounts.models import display_name_taken as display_name_taken  # used by `users create-admin`
from participation.auth.tokens import TokenInvalid, make_token, read_token
from participation.core.i18n import N_
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.services import last_mailed, mailed_since, queue_mail

CONFIRM, RESET = "confirm-email", "reset-password"


def create_user(
    email: str,
    display_name: str,
    password: str,
    stakeholder_group: str,
    locale: str = "de",
    roles=("participant",),
    confirmed: bool = False,
) -> User:
    now = utcnow()
    user = User(
        email=email.strip().lower(),
        display_name=" ".join(display_name.split()),
        display_name_canonical=canonical_display_name(display_name),
        stakeholder_group=stakeholder_group,
        locale=locale,
        terms_accepted_at=now,
        email_confirmed_at=now if confirmed else None,
    )
    user.set_password(password)
    user.role_rows = [UserRole(role=role) for role in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def register(email, display_name, password, stakeholder_group, locale) -> User | None:
    """A new account, with its confirmation mail; for an address that has an account already,
    a mail to its owner instead, and None. The caller answers the same either way, so that
    registering tells nobody which addresses have an account."""
    owner = find_user_by_email(email)
    if owner is not None:
        # hashed all the same, so that the answer takes as long as for a new account
        generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
        refer_to_owner(owner, display_name)
        return None
    user = create_user(email, display_name, password, stakeholder_group, locale)
    send_confirmation(user)
    return user


def refer_to_owner(owner: User, display_name: str) -> None:
    """Someone registered with the owner's address: keep the display name they asked for taken,
    as a new account would, and tell the owner."""
    canonical = canonical_display_name(display_name)
    if db.session.get(ReservedDisplayName, canonical) is None:
        db.session.add(ReservedDisplayName(canonical=canonical, user_id=owner.id))
        db.session.flush()
    tell_owner_of_registration_attempt(owner)


def tell_owner_of_registration_attempt(owner: User) -> None:
    """Mail the owner (in their language) that someone tried to register with their address;
    at most once per ACCOUNT_MAIL_INTERVAL, so strangers cannot flood the inbox this way."""
    if not owner.is_active or mailed_recently(owner, "register_existing"):
        return
    # an owner who never confirmed (the first mail got lost, or someone else registered the
    # address) gets a fresh confirmation link, which leads to choosing the password
    queue_mail(
        owner,
        "register_existing",
        N_("Someone tried to register with your email address"),
        login_link=public_url("auth.login"),
        reset_link=public_url("auth.forgot_password"),
        confirm_link=None
        if owner.email_confirmed
        else public_url("auth.confirm_email", token=confirmation_token(owner)),
    )


def user_of_token(purpose: str, token: str, max_age_setting: str) -> tuple[User, dict]:
    """The active account a token names; raise TokenInvalid / TokenExpired."""
    payload = read_token(purpose, token, current_app.config[max_age_setting])
    user = db.session.get(User, payload["u"]) if isinstance(payload.get("u"), int) else None
    if user is None or not user.is_active:
        raise TokenInvalid(token)
    return user, payload


def _mail_token_link(user: User, kind: str, subject: str, purpose: str, payload: dict, endpoint: str, **context):
    token = make_token(purpose, payload)
    queue_mail(user, kind, subject, link=public_url(endpoint, token=token), **context)


def confirmation_token(user: User) -> str:
    return make_token(CONFIRM, {"u": user.id, "e": user.email})


def send_confirmation(user: User) -> None:
    hours = int(current_app.config["EMAIL_CONFIRM_MAX_AGE"].total_seconds() // 3600)
    _mail_token_link(
        user,
        "confirm_email",
        N_("Please confirm your email address"),
        CONFIRM,
        {"u": user.id, "e": user.email},
        "auth.confirm_email",
        hours=hours,
    )


def user_for_confirmation_token(token: str) -> User:
    """The account whose address a token was made for; raise TokenInvalid / TokenExpired."""
    user, payload = user_of_token(CONFIRM, token, "EMAIL_CONFIRM_MAX_AGE")
    if user.email != payload.get("e"):
        raise TokenInvalid(token)
    return user


def confirm_email(user: User, password: str) -> None:
    """Confirm the address, with the password the person holding the link chooses now. The
    password given at registration is not enough: anyone can register someone else's address,
    and the owner who then confirms it must not confirm a stranger's password with it."""
    user.set_password(password)  # also ends every session of the account
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made like real ones, checked when no account matches, so that a wrong address
    takes as long as a wrong password and timing tells nobody which addresses exist."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("no account has this password", method=method)
    return _dummy_hashes[method]


def authenticate(email: str, password: str) -> User | None:
    """The account, if the password is right and its address is confirmed. An unconfirmed
    address gets the same answer as a wrong password, after the same hash check: otherwise
    registering an address and logging in with it would tell whether it had an account."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.email_confirmed:
        return None
    user.last_login_at = utcnow()
    return user


def mailed_recently(user: User, kind: str) -> bool:
    """Whether a mail of this kind went to the account within ACCOUNT_MAIL_INTERVAL. Mails that
    strangers can make us send to someone are spaced so, rather than counted per hour or day:
    no inbox is flooded, and the owner's own request is answered within minutes. A reset link
    dies when the password changes (by that link or otherwise); reset mails from before the
    change do not count, so a request right after gets a live link at once."""
    since = utcnow() - current_app.config["ACCOUNT_MAIL_INTERVAL"]
    if kind == "reset_password":
        changed = last_mailed(user.email, "password_changed")
        if changed is not None and changed > since:
            since = changed
    return mailed_since(user.email, kind, since)


def password_fingerprint(user: User) -> str:
    """Names the password a reset token was made under, without carrying its hash in the link:
    the token dies when the password changes, also by the link itself, but not at logout."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def address_fingerprint(user: User) -> str:
    """Names the address a link was mailed to: a link made for one address dies when the account
    takes another, so a reset link in a mailbox the account left behind opens nothing."""
    return hashlib.sha256(user.email.encode()).hexdigest()[:24]


def reset_payload(user: User) -> dict:
    return {"u": user.id, "p": password_fingerprint(user), "m": address_fingerprint(user)}


def reset_token(user: User) -> str:
    return make_token(RESET, reset_payload(user))


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or mailed_recently(user, "reset_password"):
        return
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)
    _mail_token_link(
        user,
        "reset_password",
        N_("Reset your password"),
        RESET,
        reset_payload(user),
        "auth.reset_password",
        minutes=minutes,
    )


def user_for_reset_token(token: str) -> User:
    """The account a reset token is for; a used token is void (the password changed with it), and
    so is every token made before any change of the password or of the address (it was mailed to
    the address before); logging out leaves them valid."""
    user, payload = user_of_token(RESET, token, "PASSWORD_RESET_MAX_AGE")
    if not hmac.compare_digest(str(payload.get("p", "")), password_fingerprint(user)):
        raise TokenInvalid(token)
    if not hmac.compare_digest(str(payload.get("m", "")), address_fingerprint(user)):
        raise TokenInvalid(token)
    return user


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    # following the mailed link proves the address
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    queue_mail(user, "password_changed", N_("Your password was changed"))


def change_password(user: User, password: str) -> None:
    user.set_password(password)
    queue_mail(user, "password_changed", N_("Your password was changed"))
