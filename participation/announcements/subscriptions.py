"""Asking for announcements by mail (double opt-in) and stopping them (one-click link, profile).

Ticking the box on the profile only records the wish (requested_at) and mails a signed link; the
account is subscribed when that link is opened (confirmed_at). Each announcement mail carries a
signed stop link (List-Unsubscribe, RFC 8058); stopping deletes the subscription."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete

from participation.announcements.models import AnnouncementSubscription
from participation.auth.tokens import TokenInvalid, make_token, read_token
from participation.core.i18n import N_
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import PENDING, OutboxMessage
from participation.mail.services import queue_mail

CONFIRM = "announcements.confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
_STOP_SALT = "participation.announcements.stop"


def subscription_of(user) -> AnnouncementSubscription | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.get(AnnouncementSubscription, user.id)


def is_subscribed(user) -> bool:
    found = subscription_of(user)
    return found is not None and found.confirmed_at is not None


def confirm_token(subscription: AnnouncementSubscription, email: str) -> str:
    # bound to this request and this address: a later request or a change of address retires it
    return make_token(
        CONFIRM, {"u": subscription.user_id, "r": subscription.requested_at.isoformat(), "e": email.lower()}
    )


def request_subscription(user) -> bool:
    """Record the wish and mail the confirmation link; False when already subscribed."""
    subscription = db.session.get(AnnouncementSubscription, user.id)
    if subscription is not None and subscription.confirmed_at is not None:
        return False
    if subscription is None:
        subscription = AnnouncementSubscription(user_id=user.id)
        db.session.add(subscription)
    subscription.requested_at = utcnow()
    db.session.flush()
    link = public_url("announcements.confirm", token=confirm_token(subscription, user.email))
    queue_mail(user, "announcement_confirm", N_("Please confirm: announcements by mail"), confirm_link=link)
    return True


def confirm(token: str):
    """Subscribe the account the link names; the account, or None for a link that is forged,
    expired, superseded by a newer one, or meant for an address the account no longer has."""
    from participation.accounts.models import User

    try:
        payload = read_token(CONFIRM, token, CONFIRM_MAX_AGE)
    except TokenInvalid:
        return None
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    subscription = db.session.get(AnnouncementSubscription, user.id) if user is not None else None
    if (
        subscription is None
        or payload.get("r") != subscription.requested_at.isoformat()
        or payload.get("e") != user.email.lower()
    ):
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = utcnow()
        subscription.stop_token = _stop_serializer().dumps([user.id, secrets.token_urlsafe(12)])
    return user


def _stop_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STOP_SALT)


def subscription_for_stop_token(token: str) -> AnnouncementSubscription | None:
    """The subscription whose mails carry this link; None when forged or stopped already."""
    if not token or len(token) > 200:
        return None
    try:
        user_id, _nonce = _stop_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int):
        return None
    subscription = db.session.get(AnnouncementSubscription, user_id)
    if subscription is None or not hmac.compare_digest(subscription.stop_token or "", token):
        return None
    return subscription


def stop_url(token: str) -> str:
    return public_url("announcements.stop", token=token)


def unsubscribe(user_id: int) -> bool:
    """Stop announcements (also a wish not yet confirmed); True when there was something to stop.
    Announcement mails queued for the account and not yet taken by a worker are withdrawn: nothing
    reaches someone after they unsubscribed."""
    db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.user_id == user_id,
            OutboxMessage.kind == "announcement",
            OutboxMessage.status == PENDING,
            OutboxMessage.claimed_by.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        delete(AnnouncementSubscription)
        .where(AnnouncementSubscription.user_id == user_id)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)
