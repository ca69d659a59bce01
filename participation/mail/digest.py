"""Daily and weekly digests, the gathering half: who chose a digest gets their notifications
written here (participation.mail.notifications.notify) instead of into the outbox; the sending
half is participation.mail.digest_sending."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from participation.extensions import db
from participation.mail.models import DAILY, WEEKLY, MailDigestChoice, PendingNotification

# the command runs once a day, never at quite the same minute: a digest is due a little before
# a whole day (or week) has passed since the last
PERIODS = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=3)
IMMEDIATELY = "immediately"


def frequency_of(user) -> str:
    choice = db.session.get(MailDigestChoice, user.id)
    return choice.frequency if choice else IMMEDIATELY


def gathering(user_ids) -> set[int]:
    """Of these people, those who chose a digest."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(MailDigestChoice.user_id).where(MailDigestChoice.user_id.in_(user_ids))))


def collect(user, kind: str, subject: str, body_text: str, comment_id: int | None = None) -> PendingNotification:
    item = PendingNotification(
        user_id=user.id, kind=kind, subject=subject[:200], body_text=body_text, comment_id=comment_id
    )
    db.session.add(item)
    db.session.flush()
    return item


def render_item_text(template: str, locale: str, **context) -> str:
    """A notification's text for a digest: its mail without the greeting, the signature and the
    stop link, which the digest has once."""
    with force_locale(locale):
        body = render_template(f"emails/{template}.txt", stop_link="", kind_label="", **context)
        signature = _("City of Cologne, digitalisation unit")
    body = body.split("\n\n", 1)[1] if "\n\n" in body else body
    body = body.split(signature, 1)[0].strip()
    return body[:1].upper() + body[1:]  # it went on from the greeting: now it starts the item
