"""Flask-Login wiring: how a session cookie becomes a user."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.extensions import db, login_manager


class AnonymousUser(AnonymousUserMixin):
    roles: frozenset[str] = frozenset()
    email_confirmed = False
    is_blocked = False

    def has_role(self, role: str) -> bool:
        return False


def load_user(user_id: str) -> User | None:
    """The cookie holds "<id>.<session salt>": a changed password voids older cookies."""
    ident, _, salt = (user_id or "").partition(".")
    if not ident.isdigit() or not salt:
        return None
    # roles come in the same query: nearly every page asks for them
    user = db.session.get(User, int(ident), options=[joinedload(User.role_rows)])
    if user is None or user.session_salt != salt or not user.is_active:
        return None
    return user


def configure_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
