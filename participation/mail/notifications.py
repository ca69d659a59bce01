"""Notifications: mail about what happened to someone's contributions and to what they follow.
Each kind can be stopped with the one-click link every such mail carries (and on the profile);
account mails (confirmation, password, blocks) are not notifications and always go."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from participation.core.models import insert_ignoring_conflict, utcnow
from participation.extensions import db
from participation.mail.models import MailOptOut
from participation.mail.services import queue_mail

KINDS = {
    "moderation": _l("Decisions of the moderation on my contributions"),
    "answers": _l("Answers of the city to my contributions and to proposals I follow"),
    "incorporation": _l("My input taken into the masterplan"),
    "measures": _l("Updates on measures of the action concept I follow"),
    "replies": _l("Replies to my comments"),
    "followed_comments": _l("New comments on chapters, proposals, measures and organisations I follow"),
}
_SALT = "mail-opt-out"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def opt_out_token(user, kind: str) -> str:
    """Does not expire (a link in a mail from last year still stops that kind of mail), but is
    bound to the address it went to: after a change of address old links stop working."""
    return _serializer().dumps([user.id, kind, _address_digest(user.email)])


def read_opt_out_token(token: str):
    """The account and the kind a link names, or None when it is forged or outdated. A digest's
    link names the kinds it holds, joined by "+" (participation.mail.digest)."""
    from participation.accounts.models import User

    try:
        user_id, kind, digest = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str) or not set(kind.split("+")) <= set(KINDS):
        return None
    user = db.session.get(User, user_id)
    if user is None or not isinstance(digest, str) or digest != _address_digest(user.email):
        return None
    return user, kind


def stopped_kinds(user) -> set[str]:
    return set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))


def label(kind: str) -> str:
    """What a link's kind (or "+"-joined kinds) is called, in the request's language."""
    return ", ".join(str(KINDS[one]) for one in kind.split("+"))


def stop(user_id: int, kind: str) -> None:
    for one in kind.split("+"):
        insert_ignoring_conflict(
            MailOptOut, ("user_id", "kind"), {"user_id": user_id, "kind": one, "created_at": utcnow()}
        )


def resume(user_id: int, kind: str) -> None:
    db.session.execute(
        delete(MailOptOut)
        .where(MailOptOut.user_id == user_id, MailOptOut.kind.in_(kind.split("+")))
        .execution_options(synchronize_session=False)
    )


def set_wanted(user, wanted: set[str]) -> None:
    """The profile's choice: exactly the kinds in `wanted` are sent."""
    for kind in KINDS:
        (resume if kind in wanted else stop)(user.id, kind)


def notify(users, kind: str, subject: str, template: str, **context) -> int:
    """Queue one mail per person (once each, never to someone without an account or address),
    unless they stopped this kind; returns how many were queued. Who chose a daily or weekly
    digest gets it gathered into that instead (participation.mail.digest)."""
    from participation.core.links import public_url
    from participation.mail import digest

    assert kind in KINDS, kind
    people = {user.id: user for user in users if user is not None and user.email}
    if not people:
        return 0
    stopped = set(
        db.session.scalars(
            select(MailOptOut.user_id).where(MailOptOut.kind == kind, MailOptOut.user_id.in_(list(people)))
        )
    )
    gathering = digest.gathering(list(people))
    comment = context.get("comment")
    queued = 0
    for user in people.values():
        if user.id in stopped:
            continue
        if user.id in gathering:
            with force_locale(user.locale):
                subject_text = _(subject)
            text = digest.render_item_text(template, user.locale, user=user, **context)
            digest.collect(user, kind, subject_text, text, comment_id=getattr(comment, "id", None))
            queued += 1
            continue
        link = public_url("mail.stop", token=opt_out_token(user, kind))
        message = queue_mail(user, template, subject, stop_link=link, kind_label=KINDS[kind], **context)
        message.unsubscribe_url = link
        queued += 1
    return queued
