"""The rate limits of the account forms and the login, and the keys they count by.

Read from the configuration at each request; kept outside the view modules so that other
areas' views (the profile's password change) use the same limit without importing a view.
"""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from participation.extensions import client_address, submitted_email


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def account_form_limit() -> str:
    return current_app.config["RATELIMIT_ACCOUNT_FORMS"]


def mail_limit() -> str:
    return current_app.config["RATELIMIT_MAIL_PER_ADDRESS"]


def email_and_address() -> str:
    return f"{submitted_email()}|{client_address()}"


def current_user_key() -> str:
    return f"user:{current_user.id}"


def failed(response) -> bool:
    """Only failed attempts count against the login limit (a success redirects)."""
    return response.status_code != 302
