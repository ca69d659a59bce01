"""Flask-Login wiring: how a session cookie becomes a user."""

from __future__ import annotations

import time

from flask import Flask, current_app
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
    """The session or remember-me cookie holds "<id>.<session salt>.<log-in time>" (User.get_id):
    logging out or changing the password changes the salt and voids every copy of the cookie,
    and no login lasts longer than REMEMBER_COOKIE_DURATION."""
    parts = (user_id or "").split(".")
    if len(parts) != 3:
        return None
    ident, salt, logged_in_at = parts
    if not ident.isdigit() or not salt or not logged_in_at.isdigit():
        return None
    if time.time() - int(logged_in_at) > current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds():
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
