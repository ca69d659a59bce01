"""The person's account and what concerns it: roles, reserved names, memberships, mail settings,
the mails sent to them, and the decisions of the moderation and administration about them and
their contributions (from the audit log)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select

from participation.accounts.models import LOCALES, ROLES, STAKEHOLDER_GROUPS, ReservedDisplayName, UserRole
from participation.announcements.models import AnnouncementSubscription
from participation.comments.models import Comment
from participation.core.audit import ACTION_LABELS, TARGET_LABELS, ModerationDecision
from participation.core.hiding import BY_FLAGS, HIDE_REASONS
from participation.mail import notifications
from participation.mail.models import MailDigestChoice, MailOptOut, OutboxMessage, PendingNotification
from participation.organisations.models import KINDS as ORGANISATION_KINDS
from participation.organisations.models import MEMBERSHIP_STATUSES, Membership, Organisation
from participation.privacy.kinds import Field, Kind, streamed
from participation.proposals.models import Proposal

# a signed token in a link (itsdangerous: base64 parts joined by dots), as a path segment or a
# query value: confirmation, password reset and one-click stop links. Whoever holds the file
# must not be able to use them.
_TOKEN = re.compile(r"(?<=[/=])[A-Za-z0-9_\-.]{20,}(?=[/?#&]|$)")
_LINK = re.compile(r"https?://\S+")
REMOVED = "[…]"


def without_tokens(text: str | None) -> str:
    """`text` with every token in a link (20 characters or more of a token's alphabet, with a
    dot, after the host) replaced by REMOVED."""

    def clean(match: re.Match) -> str:
        scheme, _sep, rest = match.group(0).partition("://")
        host, slash, path = rest.partition("/")
        path = _TOKEN.sub(lambda token: REMOVED if "." in token.group(0) else token.group(0), slash + path)
        return f"{scheme}://{host}{path}"

    return _LINK.sub(clean, text or "")


def hide_reason(code) -> str:
    if code == BY_FLAGS:
        return str(_l("Reported several times; hidden until the moderation has looked at it"))
    return str(HIDE_REASONS.get(code, code or ""))


YES_NO = {True: _l("yes"), False: _l("no")}

ACCOUNT = Kind(
    "account",
    _l("Account"),
    _l(
        "Your account: email address (and a new one waiting for its confirmation), display name, group, "
        "language, when you registered, confirmed your address and last logged in, and a block if there is one."
    ),
    (
        Field("id", _l("Account no.")),
        Field("email", _l("Email address")),
        Field("display_name", _l("Display name")),
        Field("stakeholder_group", _l("Stakeholder group"), labels=STAKEHOLDER_GROUPS),
        Field("locale", _l("Language"), labels=LOCALES),
        Field("created_at", _l("Registered")),
        Field("updated_at", _l("Last changed")),
        Field("terms_accepted_at", _l("Terms accepted")),
        Field("email_confirmed_at", _l("Email confirmed")),
        Field("pending_email", _l("New email address waiting for confirmation")),
        Field("pending_email_requested_at", _l("New email address asked for")),
        Field("last_login_at", _l("Last login")),
        Field("blocked_at", _l("Blocked since")),
        Field("blocked_until", _l("Blocked until")),
        Field("blocked_reason", _l("Reason for the block")),
        Field("anonymised_at", _l("Anonymised")),
    ),
    lambda user: [user],
    single=True,
)

ROLE_ROWS = Kind(
    "roles",
    _l("Roles"),
    _l("The roles your account holds, and since when."),
    (Field("role", _l("Role"), labels=ROLES), Field("granted_at", _l("Since"))),
    lambda user: streamed(
        select(UserRole.role, UserRole.granted_at).where(UserRole.user_id == user.id).order_by(UserRole.granted_at)
    ),
)

RESERVED_NAMES = Kind(
    "reserved_names",
    _l("Reserved display names"),
    _l("Display names asked for when someone registered again with your address: they stay reserved for you."),
    (Field("name", _l("Display name (as compared)")), Field("created_at", _l("Reserved on"))),
    lambda user: streamed(
        select(ReservedDisplayName.canonical.label("name"), ReservedDisplayName.created_at)
        .where(ReservedDisplayName.user_id == user.id)
        .order_by(ReservedDisplayName.created_at)
    ),
)

MEMBERSHIPS = Kind(
    "organisation_memberships",
    _l("Organisation memberships"),
    _l("The organisations you asked to speak for, what you wrote about your role there, and the decision on it."),
    (
        Field("organisation", _l("Organisation")),
        Field("organisation_kind", _l("Kind of organisation"), labels=ORGANISATION_KINDS),
        Field("status", _l("Status"), labels=MEMBERSHIP_STATUSES),
        Field("note", _l("Your note")),
        Field("requested_at", _l("Asked on")),
        Field("decided_at", _l("Decided on")),
    ),
    lambda user: streamed(
        select(
            Organisation.name.label("organisation"),
            Organisation.kind.label("organisation_kind"),
            Membership.status,
            Membership.note,
            Membership.requested_at,
            Membership.decided_at,
        )
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.requested_at, Membership.id)
    ),
)


def _mail_settings(user):
    rows = streamed(select(MailOptOut.kind, MailOptOut.created_at).where(MailOptOut.user_id == user.id))
    stopped = {row.kind: row.created_at for row in rows}
    return [
        {"kind": kind, "wanted": kind not in stopped, "stopped_at": stopped.get(kind)} for kind in notifications.KINDS
    ]


MAIL_SETTINGS = Kind(
    "mail_settings",
    _l("Mail settings"),
    _l("Each kind of notification, whether you want it, and since when you do not."),
    (
        Field("kind", _l("Kind of mail"), get=lambda row: row["kind"], labels=notifications.KINDS),
        Field("wanted", _l("Wanted"), get=lambda row: row["wanted"], labels=YES_NO),
        Field("stopped_at", _l("Stopped on"), get=lambda row: row["stopped_at"]),
    ),
    _mail_settings,
)

ANNOUNCEMENTS = Kind(
    "announcement_subscription",
    _l("Announcements by mail"),
    _l("Whether you asked for the city's announcements by mail, when you asked, and when you confirmed it."),
    (
        Field("requested_at", _l("Asked for on")),
        Field("confirmed_at", _l("Confirmed on")),
    ),
    lambda user: streamed(
        select(AnnouncementSubscription.requested_at, AnnouncementSubscription.confirmed_at).where(
            AnnouncementSubscription.user_id == user.id
        )
    ),
)

MAILS = Kind(
    "mails",
    _l("Mails to you"),
    _l(
        "Every mail the platform wrote to you (also to an earlier address of yours, or to a new one while it "
        "waited for its confirmation), with its text; the secret tokens in its links are shortened to […]."
    ),
    (
        Field("id", _l("No.")),
        Field("created_at", _l("Written")),
        Field("kind", _l("Kind of mail")),
        Field("subject", _l("Subject")),
        Field("body", _l("Text"), get=lambda row: without_tokens(row.body_text)),
        Field("status", _l("Delivery")),
        Field("sent_at", _l("Sent")),
    ),
    lambda user: streamed(
        select(
            OutboxMessage.id,
            OutboxMessage.created_at,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.body_text,
            OutboxMessage.status,
            OutboxMessage.sent_at,
        )
        .where(
            or_(
                OutboxMessage.user_id == user.id,
                and_(OutboxMessage.recipient == user.email, OutboxMessage.created_at >= _address_since(user)),
            )
        )
        .order_by(OutboxMessage.id)
    ),
)


DIGEST_FREQUENCIES = {"daily": _l("one mail a day"), "weekly": _l("one mail a week")}

MAIL_DIGEST = Kind(
    "mail_digest",
    _l("Mail digest"),
    _l("Whether you get your notifications gathered into one mail a day or a week, and when the last went out."),
    (
        Field("frequency", _l("How often"), labels=DIGEST_FREQUENCIES),
        Field("chosen_at", _l("Chosen on")),
        Field("last_sent_at", _l("Last digest")),
    ),
    lambda user: streamed(
        select(MailDigestChoice.frequency, MailDigestChoice.chosen_at, MailDigestChoice.last_sent_at).where(
            MailDigestChoice.user_id == user.id
        )
    ),
)

NOTIFICATIONS_WAITING = Kind(
    "notifications_waiting",
    _l("Notifications waiting for your digest"),
    _l("The notifications written for your next digest, with their text."),
    (
        Field("created_at", _l("Written")),
        Field("kind", _l("Kind of mail"), labels=notifications.KINDS),
        Field("subject", _l("Subject")),
        Field("body", _l("Text"), get=lambda row: without_tokens(row.body_text)),
    ),
    lambda user: streamed(
        select(
            PendingNotification.created_at,
            PendingNotification.kind,
            PendingNotification.subject,
            PendingNotification.body_text,
        )
        .where(PendingNotification.user_id == user.id)
        .order_by(PendingNotification.created_at, PendingNotification.id)
    ),
)


def _address_since(user):
    """When the account's address became its own: its registration, or its latest change of
    address (the audit log keeps the moment, never the addresses). An address is free again once
    an account leaves it, so mail to it from before went to whoever had it then."""
    changed = (
        select(func.max(ModerationDecision.created_at))
        .where(
            ModerationDecision.action == "change_email",
            ModerationDecision.target_type == "user",
            ModerationDecision.target_id == user.id,
        )
        .scalar_subquery()
    )
    return func.coalesce(changed, user.created_at)


def _about(user):
    """The audit log's entries about the account, its proposals, comments and memberships."""
    of = ModerationDecision
    return or_(
        and_(of.target_type == "user", of.target_id == user.id),
        and_(of.target_type == "proposal", of.target_id.in_(select(Proposal.id).where(Proposal.author_id == user.id))),
        and_(of.target_type == "comment", of.target_id.in_(select(Comment.id).where(Comment.author_id == user.id))),
        and_(
            of.target_type == "organisation_membership",
            of.target_id.in_(select(Membership.id).where(Membership.user_id == user.id)),
        ),
    )


DECISIONS_ABOUT_YOU = Kind(
    "decisions_about_you",
    _l("Decisions about you"),
    _l(
        "The audit log's entries about your account and your contributions: blocks, hidden and restored "
        "contributions with their reasons, answers, role changes, name changes, downloads of your data."
    ),
    (
        Field("created_at", _l("Time")),
        Field("action", _l("Decision"), labels=ACTION_LABELS),
        Field("target_type", _l("Concerns"), labels=TARGET_LABELS),
        Field("target_id", _l("Its no.")),
        Field("reason", _l("Reason"), text=hide_reason),
        Field("note", _l("Note")),
        Field("state_before", _l("Before")),
        Field("state_after", _l("After")),
        Field("by_you", _l("By you"), get=lambda row: bool(row.by_you), labels=YES_NO),
    ),
    lambda user: streamed(
        select(
            ModerationDecision.created_at,
            ModerationDecision.action,
            ModerationDecision.target_type,
            ModerationDecision.target_id,
            ModerationDecision.reason,
            ModerationDecision.note,
            ModerationDecision.state_before,
            ModerationDecision.state_after,
            case((ModerationDecision.actor_id == user.id, True), else_=False).label("by_you"),
        )
        .where(_about(user))
        .order_by(ModerationDecision.created_at, ModerationDecision.id)
    ),
)

KINDS = (
    ACCOUNT,
    ROLE_ROWS,
    RESERVED_NAMES,
    MEMBERSHIPS,
    MAIL_SETTINGS,
    MAIL_DIGEST,
    ANNOUNCEMENTS,
    MAILS,
    NOTIFICATIONS_WAITING,
    DECISIONS_ABOUT_YOU,
)
