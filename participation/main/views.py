"""Home, language switch, health check and the error pages."""

from __future__ import annotations

import contextlib

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from participation.accounts.models import LOCALES
from participation.announcements import services as announcements
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.i18n import N_
from participation.core.security import safe_next
from participation.events.services import HOME_LIMIT
from participation.events.services import upcoming as upcoming_events
from participation.extensions import db, login_manager
from participation.main import outcomes, personal, process
from participation.main.health import health
from participation.phases.models import all_phases

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What is open now and how to take part, the key figures, what came of the input, and for
    a person logged in their own waiting input and news. The public part is shared by everyone
    of a kind and language for a short while (it is the most visited page); the personal part is
    read and rendered per request and goes into its hole."""

    def context() -> dict:
        return {
            "running": process.open_now(),
            "upcoming": process.upcoming(),
            "timeline": process.timeline(all_phases()),
            "figures": outcomes.key_figures(),
            "answers": outcomes.latest_answers(),
            "incorporations": outcomes.latest_incorporations(),
            "events": events,
        }

    events = upcoming_events(HOME_LIMIT)
    # a changed, new or past event changes what the shared part shows
    events_stamp = tuple((event.id, event.updated_at.isoformat()) for event in events)
    key = (str(get_locale()), *process.state(), outcomes.stamp(), events_stamp)
    fragment = fragments.shared("main/_home_body.html", key, context)
    mine = ""
    if current_user.is_authenticated:
        mine = render_template(
            "main/_home_mine.html",
            mine={"waiting": personal.waiting(current_user), "news": personal.news(current_user)},
        )
    return render_template(
        "main/home.html", body=fragments.fill(fragment, holes={0: mine}), announcement=announcements.newest()
    )


@bp.route("/language", methods=["POST"])
def set_language():
    form = EmptyForm()
    locale = request.form.get("locale", "")
    target = safe_next(request.form.get("next"), url_for("main.home"))
    if form.validate_on_submit() and locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
        refresh()
    return redirect(target)


@bp.route("/healthz")
def healthz():
    report, status = health()
    response = jsonify(report)
    response.headers["Cache-Control"] = "no-store"
    return response, status


ERROR_TITLES = {
    400: (N_("Bad request"), N_("The request could not be understood. Please go back and try again.")),
    403: (N_("Access denied"), N_("You are not allowed to do this.")),
    404: (N_("Page not found"), N_("There is no page at this address. It may have been moved or removed.")),
    405: (N_("Not allowed"), N_("This page cannot be used that way.")),
    413: (N_("Too large"), N_("What you sent is too large.")),
    429: (
        N_("Too many attempts"),
        N_("You have tried this too often in a short time. Please wait a few minutes and try again."),
    ),
    500: (
        N_("Something went wrong"),
        N_("An error occurred on our side. It has been recorded. Please try again later."),
    ),
}


# what a program reading the API gets as `error`: every answer under /api/ is JSON, also when no
# route of the API matched or something failed
API_ERRORS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
}


def _own_message(error) -> str | None:
    """The message an `abort(code, description=…)` gave, not Werkzeug's generic English one nor
    Flask-Limiter's, which is the limit itself ("2 per 1 minute") in English."""
    if isinstance(error, RateLimitExceeded):
        return None
    description = getattr(error, "description", None)
    return description if description and description != type(error).description else None


def render_error(code: int, message: str | None = None):
    title, default_message = ERROR_TITLES[code]
    if request.path.startswith("/api/"):
        return jsonify(error=API_ERRORS[code], message=str(message or default_message)), code
    return render_template("errors/error.html", code=code, title=_(title), message=message or _(default_message)), code


def register_error_handlers(app) -> None:
    for code in ERROR_TITLES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda error, code=code: render_error(code, _own_message(error)))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "The form has expired or was not sent from this site. "
                "Please reload the page and send it again; what you typed may need to be entered again."
            ),
        )

    @app.errorhandler(500)
    def server_error(error):
        # The failure is logged already (participation.Participation.log_exception). Render
        # the page without needing the database: when it failed, the person cannot be loaded
        # (or is expired by the rollback), so the page shows as to a visitor, in the language
        # the request asks for; if even that fails, a fixed bilingual page. Never a second error.
        for as_visitor in dict.fromkeys((failed_in_database(error), True)):
            _rollback_quietly()
            if as_visitor:
                g._login_user = login_manager.anonymous_user()  # what Flask-Login's current_user reads
            try:
                return render_error(500)
            except Exception as exc:  # any failure here would replace our page with gunicorn's
                problem = exc
        current_app.logger.error("the error page fell back to plain HTML: %s", type(problem).__name__)
        return PLAIN_SERVER_ERROR, 500, {"Content-Type": "text/html; charset=utf-8"}


def failed_in_database(error) -> bool:
    return isinstance(getattr(error, "original_exception", None), SQLAlchemyError)


def _rollback_quietly() -> None:
    with contextlib.suppress(Exception):  # the connection is gone; the failure is logged already
        db.session.rollback()


PLAIN_SERVER_ERROR = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Etwas ist schiefgelaufen / Something went wrong</title></head>
<body><h1>Etwas ist schiefgelaufen</h1>
<p>Auf unserer Seite ist ein Fehler aufgetreten. Er wurde aufgezeichnet. Bitte versuchen Sie es später noch einmal.</p>
<h1 lang="en">Something went wrong</h1>
<p lang="en">An error occurred on our side. It has been recorded. Please try again later.</p>
<p><a href="/">Startseite / Home page</a></p></body></html>
"""
