"""Logging, set up once for the app and its commands: one format, one level, and a line per request.

Everything the platform logs goes to the logger "participation" (the app's logger) or below it:
"participation.requests" for the request lines, "participation.mail" for the mail worker. A
line says what happened without the personal data it happened to: the request line holds the
method, the path (never the query string; a token in the path is masked), the status, the
duration and the account's id (none for visitors), never an address or what a form sent.
"""

from __future__ import annotations

import logging
import re
import time
import traceback

from flask import Flask, Response, g, request
from flask.logging import default_handler

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
requests = logging.getLogger("participation.requests")
# a path segment that looks like a token (signed links are longer), also where no route matched
TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_.=-]{32,}")


def configure_logging(app: Flask) -> None:
    """The app's handler (Flask's, to stderr, where gunicorn and systemd collect it) with one
    format, and the level from LOG_LEVEL; then the request line. The handler is Flask's one
    object for every app, so a second app in one process (the tests) adds no second handler."""
    default_handler.setFormatter(logging.Formatter(FORMAT))
    app.logger.setLevel(app.config["LOG_LEVEL"])
    # first of all, so that its clock starts before any other hook runs
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)
    app.after_request(_log_request)


def database_trace(error: BaseException) -> str | None:
    """One short traceback for a database error, None for any other. A database error's chain
    (the driver's own exception, and the pool's InvalidatePoolError before it) tells the same
    story in three more tracebacks of SQLAlchemy internals, about 430 lines with the database
    down; its message names the driver's error, so it stands alone, with the frames up to the
    call into SQLAlchemy: which line needed the database."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(error, DBAPIError):
        return None
    frames = traceback.extract_tb(error.__traceback__)
    inside = next((n for n, frame in enumerate(frames) if "/sqlalchemy/" in frame.filename), len(frames))
    trace = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames[: inside + 1]))
    if inside + 1 < len(frames):
        trace += f"  [{len(frames) - inside - 1} more frames inside SQLAlchemy]\n"
    trace += "".join(traceback.format_exception_only(type(error), error))
    return trace.rstrip()


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def logged_path() -> str:
    """The path without its query string, and with a token in it (a link from a mail) masked."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and value:
            path = path.replace(str(value), "[token]")
    return TOKEN_LIKE.sub("[token]", path)


def _user_id() -> str:
    """The account the request was served to, if the request asked who it is; loading the user
    only for this line would cost a query on pages that never need one (static files)."""
    user = g.get("_login_user")
    return str(user.id) if user is not None and user.is_authenticated else "-"


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    took = f"{(time.perf_counter() - started) * 1000:.1f}" if started is not None else "-"
    requests.info("%s %s %s %s ms user=%s", request.method, logged_path(), response.status_code, took, _user_id())
    return response
