"""Queue an announcement's mails in the outbox: one INSERT … SELECT per batch of subscribers.

Each batch runs in its own transaction, which first takes the announcement's row lock (an UPDATE),
reads the cursor (the last account number queued), queues the next BATCH_SIZE subscribers after it
and moves the cursor past them. The caller commits each batch; a sender that crashes leaves the
cursor where its last committed batch ended, so the next run starts right after it, and two
senders at once queue batch after batch in turn, never the same one twice.

Nobody is mailed who did not confirm the subscription, whose account is blocked, deleted
(anonymised) or without a confirmed address. The texts are rendered once per language; the
per-person part (address, stop link, Message-ID) is put together by the database."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, func, insert, literal, or_, select, update

from participation.accounts.models import LOCALES, User
from participation.announcements.models import Announcement, AnnouncementSubscription
from participation.announcements.subscriptions import stop_url
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import PENDING, OutboxMessage

KIND = "announcement"
BATCH_SIZE = 5_000
_MARKER = "STOPTOKENMARKER"


def mail_texts(announcement: Announcement, locale: str) -> tuple[str, str, str]:
    """(subject, text before the stop token, text after it) in `locale`, as every subscriber of
    that language gets them."""
    with force_locale(locale):
        subject = _("Announcement: %(title)s", title=announcement.localized("title", locale))
        body = render_template(
            f"emails/{KIND}.txt",
            announcement=announcement,
            locale=locale,
            stop_link=stop_url(_MARKER),
            page_link=_page_url(announcement),
        )
    head, _marker, tail = body.partition(_MARKER)
    return " ".join(subject.split())[:200], head, tail  # one line: a header cannot take a line break


def _page_url(announcement: Announcement) -> str:
    from participation.core.links import public_url

    return public_url("announcements.show", announcement_id=announcement.id)


def mail_preview(announcement: Announcement, locale: str) -> tuple[str, str]:
    """(subject, text) of the mail as a subscriber reads it, with a stop link of the example kind."""
    subject, head, tail = mail_texts(announcement, locale)
    return subject, head + "…" + tail


def _by_locale(texts: dict, index: int):
    """The text of the recipient's language, German for any other."""
    return case(
        {locale: literal(values[index]) for locale, values in texts.items()},
        value=User.locale,
        else_=literal(texts["de"][index]),
    )


def _recipients(after: int = 0, through: int | None = None):
    """Who gets the mails: confirmed subscribers with a usable account (not blocked, not deleted)."""
    now = utcnow()
    return and_(
        AnnouncementSubscription.user_id > after,
        AnnouncementSubscription.user_id <= through if through is not None else True,
        AnnouncementSubscription.confirmed_at.is_not(None),
        AnnouncementSubscription.stop_token.is_not(None),
        User.anonymised_at.is_(None),
        User.email_confirmed_at.is_not(None),
        or_(User.blocked_at.is_(None), and_(User.blocked_until.is_not(None), User.blocked_until <= now)),
    )


def _lock(announcement_id: int) -> int | None:
    """Take the announcement's row lock; its cursor as committed, or None when there is nothing to
    send (not published, or every mail queued)."""
    row = db.session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id)
        .values(queued_through_user_id=Announcement.queued_through_user_id, updated_at=Announcement.updated_at)
        .returning(Announcement.queued_through_user_id, Announcement.published_at, Announcement.queued_at),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if row is None or row.published_at is None or row.queued_at is not None:
        return None
    return row.queued_through_user_id


def queue_batch(announcement: Announcement, batch_size: int = BATCH_SIZE) -> int | None:
    """Queue the next batch; how many mails it queued, or None when all are queued (then marked).
    Never commits: the caller commits each batch (the cursor moves in the same transaction)."""
    after = _lock(announcement.id)
    if after is None:
        return None
    through = db.session.scalar(
        select(func.max(AnnouncementSubscription.user_id)).where(
            AnnouncementSubscription.user_id.in_(
                select(AnnouncementSubscription.user_id)
                .where(AnnouncementSubscription.user_id > after, AnnouncementSubscription.confirmed_at.is_not(None))
                .order_by(AnnouncementSubscription.user_id)
                .limit(batch_size)
                .scalar_subquery()
            )
        )
    )
    done = update(Announcement).where(Announcement.id == announcement.id)
    if through is None:
        db.session.execute(
            done.values(queued_at=utcnow(), updated_at=Announcement.updated_at),
            execution_options={"synchronize_session": False},
        )
        return None
    texts = {locale: mail_texts(announcement, locale) for locale in LOCALES}
    base = stop_url(_MARKER).partition(_MARKER)
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ") or "localhost"
    link = literal(base[0]) + AnnouncementSubscription.stop_token + literal(base[2])
    person = cast(User.id, String)
    rows = (
        select(
            User.email,
            User.id,
            _by_locale(texts, 0),
            _by_locale(texts, 1) + link + _by_locale(texts, 2),
            literal(KIND),
            literal(PENDING),
            literal(0),
            literal(utcnow(), OutboxMessage.created_at.type),
            link,
            # one per announcement and person: a copy queued twice would look the same to the receiver
            literal(f"<announcement.{announcement.id}.") + person + literal(f"@{domain}>"),
        )
        .join(User, User.id == AnnouncementSubscription.user_id)
        .where(_recipients(after, through))
    )
    columns = ("recipient", "user_id", "subject", "body_text", "kind", "status", "attempts", "created_at")
    written = db.session.execute(
        insert(OutboxMessage)
        .from_select([*columns, "unsubscribe_url", "message_id"], rows)
        .returning(OutboxMessage.id),  # counted from what it returns: rowcount is -1 on psycopg here
        execution_options={"synchronize_session": False},
    )
    queued = len(written.all())
    db.session.execute(
        done.values(
            queued_through_user_id=through,
            queued_count=Announcement.queued_count + queued,
            updated_at=Announcement.updated_at,
        ),
        execution_options={"synchronize_session": False},
    )
    return queued


def recipient_count() -> int:
    """How many accounts a new announcement would be mailed to now."""
    return db.session.scalar(
        select(func.count())
        .select_from(AnnouncementSubscription)
        .join(User, User.id == AnnouncementSubscription.user_id)
        .where(_recipients())
    )


def queue_all(announcement: Announcement, batch_size: int = BATCH_SIZE, commit=None) -> int:
    """Queue batch after batch until every subscriber's mail is queued; `commit` is called after
    each batch (the command passes db.session.commit). Returns how many mails it queued."""
    total = 0
    while True:
        queued = queue_batch(announcement, batch_size)
        if commit is not None:
            commit()
        if queued is None:
            return total
        total += queued


def waiting_announcements() -> list[Announcement]:
    """Published announcements whose mails are not all queued yet (oldest first)."""
    return list(
        db.session.scalars(
            select(Announcement)
            .where(Announcement.published_at.is_not(None), Announcement.queued_at.is_(None))
            .order_by(Announcement.published_at, Announcement.id)
        )
    )
