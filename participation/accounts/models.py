"""The User and the roles a user holds."""

from __future__ import annotations

import secrets
import time
import unicodedata
from datetime import datetime

from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from participation.core.audit import record_decision, register_actions, register_targets
from participation.core.models import TimestampMixin, UTCDateTime, sql_list, utcnow
from participation.extensions import db

# the groups the city consults; the order is the order of every select list.
STAKEHOLDER_GROUPS = {
    "residents": _l("Residents"),
    "businesses": _l("Businesses and start-ups"),
    "universities": _l("Universities and research"),
    "municipal_companies": _l("Municipal companies"),
    "civil_society": _l("Civil society"),
    "administration": _l("Public administration"),
    "other": _l("Other"),
}

ROLES = {
    "participant": _l("Participant"),
    "moderator": _l("Moderator"),
    "planner": _l("Planner"),
    "admin": _l("Administrator"),
}

LOCALES = {"de": "Deutsch", "en": "English"}

DISPLAY_NAME_MAX = 40

# sent with the user, before= and after= when a display name changes (set_display_name)
display_name_changed = Namespace().signal("display-name-changed")
EMAIL_MAX = 254


def new_session_salt() -> str:
    return secrets.token_hex(8)


def canonical_display_name(name: str) -> str:
    """Two display names that look the same to people must not both exist: compatibility
    forms folded (NFKC), invisible formatting characters dropped, case and spaces ignored."""
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", name) if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(f"role IN ({sql_list(ROLES)})", name="role_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship(back_populates="role_rows", foreign_keys=[user_id])


class User(TimestampMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(f"stakeholder_group IN ({sql_list(STAKEHOLDER_GROUPS)})", name="stakeholder_group_known"),
        CheckConstraint(f"locale IN ({sql_list(LOCALES)})", name="locale_known"),
        # the admin list's order; the substring search has trigram indexes on PostgreSQL
        # (migration 0002, see SEARCH_INDEXES)
        Index("ix_user_created_at_id", "created_at", "id"),
        # on SQLite too, the number of a deleted account is never given to a new one (a link or
        # cookie made for the deleted one must not fit the new one); PostgreSQL's sequence never does
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # stored lower-cased: unique regardless of case
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), nullable=False)
    display_name_canonical: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), unique=True, nullable=False)
    stakeholder_group: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    locale: Mapped[str] = mapped_column(String(5), nullable=False, default="de")
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # changes with the password: signs out every other session and remember-me cookie
    session_salt: Mapped[str] = mapped_column(String(32), nullable=False, default=new_session_salt)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(String(500))
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a new address asked for on the account page, and when: it replaces `email` once the link
    # mailed to it is opened (participation.auth.address); until then login and mail use `email`.
    # Not unique: an address asked for by one account is not kept from another (see there)
    pending_email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    pending_email_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user",
        foreign_keys=[UserRole.user_id],
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    # Flask-Login
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.anonymised_at is None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie when someone logs in:
        the account, its session salt (a new one signs out every session and cookie) and the
        time of the log-in (after which a login expires, remembered or not)."""
        return f"{self.id}.{self.session_salt}.{int(time.time())}"

    def end_sessions(self) -> None:
        """Sign out every session and remember-me cookie of this account, on every device."""
        self.session_salt = new_session_salt()

    # passwords
    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
        self.session_salt = new_session_salt()
        # whoever asked for a new address knew the old password: a new one ends that request
        # (after "a change was requested" the owner sets a new password, and the link dies)
        self.pending_email = self.pending_email_requested_at = None

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # roles
    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, role: str) -> bool:
        return role in self.roles

    # state
    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_blocked(self) -> bool:
        if self.blocked_at is None:
            return False
        return self.blocked_until is None or self.blocked_until > utcnow()

    @property
    def stakeholder_group_label(self) -> str:
        return str(STAKEHOLDER_GROUPS.get(self.stakeholder_group, self.stakeholder_group))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.display_name!r}>"


class ReservedDisplayName(db.Model):
    """A display name someone asked for when registering with an address that has an account
    already. A new account would have taken the name; so it is kept as taken too, or trying the
    name again would tell whether the first registration made an account. The address's owner
    may still use it."""

    __tablename__ = "reserved_display_name"

    canonical: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def display_name_taken(name: str, except_user: User | None = None) -> bool:
    """Whether another account has this name (as people see it), or it is reserved for one."""
    canonical = canonical_display_name(name)
    existing = db.session.scalar(select(User).where(User.display_name_canonical == canonical))
    if existing is not None and existing is not except_user:
        return True
    reserved = db.session.get(ReservedDisplayName, canonical)
    return reserved is not None and (except_user is None or reserved.user_id != except_user.id)


def set_display_name(user: User, name: str) -> None:
    """Give the account a new display name and tell display_name_changed (the audit log listens,
    below) what it was and what it is now."""
    name = " ".join(name.split())
    before = user.display_name
    user.display_name = name
    user.display_name_canonical = canonical_display_name(name)
    if name != before:
        display_name_changed.send(user, before=before, after=name)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


# the audit log's names for what is decided on accounts (set_roles and blocks: admin, moderation)
register_actions(
    {
        "set_roles": _l("Roles changed"),
        "block_user": _l("Account blocked"),
        "unblock_user": _l("Block lifted"),
        "change_display_name": _l("Display name changed"),
        # without the addresses: the log is kept for good, an address must not outlive the account
        "change_email": _l("Email address changed"),
    }
)
register_targets({"user": _l("Account")})


@display_name_changed.connect
def _record_display_name_change(user, before: str, after: str) -> None:
    """A new display name goes to the audit log, with the old one: who wrote what stays traceable
    for the moderation, also when someone renames themselves after a warning or a block."""
    record_decision(user, "change_display_name", user, before={"display_name": before}, after={"display_name": after})
