"""Which language a request is answered in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_login import current_user

# the city's time: days a person picks in a form (a block's end, a filter) start and end in it
CITY_TIME = ZoneInfo("Europe/Berlin")


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def select_locale() -> str:
    """The user's setting, else the switcher's choice in the session, else Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or a worker: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
