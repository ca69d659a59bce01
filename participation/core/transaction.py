"""One transaction per request: what a view changed is committed when it returns, undone when it raises.

As Indico's request handler does, the commit is in one place, around every view, instead of
in each view by hand: a view (and the services it calls) only changes the session and
flushes; a request is then all or nothing. A view that raises (abort() included) leaves
nothing behind, whatever it flushed before, and the error page is rendered from a clean
session. If the commit itself fails (a constraint checked at the final flush, the database
gone), the session is rolled back and the failure is handled as any other: the error page,
and no part of the request's changes stored.

Mail queued in the transaction goes out only after this commit (participation.mail.services
forgets what a rollback undid). A view that must commit earlier, for example to keep a failed
login counted although it then refuses, still calls db.session.commit() and says why. The
CLI and background work are not requests and commit themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar

from flask import has_request_context
from flask import session as flask_session
from sqlalchemy.exc import IntegrityError

from participation.extensions import db

ResponseValue = TypeVar("ResponseValue")


def run_in_transaction(view: Callable[[], ResponseValue]) -> ResponseValue:
    """Call the view (Flask's dispatch), commit if it returns, roll back if it raises.

    If the commit fails, the browser's session goes back to what it was before the view, too:
    a login, a logout or a new session salt that the view wrote into the cookie belongs to the
    changes that were just undone (before the boundary those views committed first)."""
    before = _session_as_it_is()
    try:
        response = view()
    except BaseException:
        _rollback()
        raise
    try:
        commit_request()
    except BaseException:
        if before is not None:
            flask_session.clear()
            flask_session.update(before)
        raise
    return response


def commit_request() -> None:
    """Commit the request's transaction; on failure roll it back and let the error propagate.

    The view's response is made already (a rendered page, or a streamed body whose generator
    runs after this): objects it holds stay loaded rather than expired by the commit, as they
    were before the boundary existed, so a streamed body reads no row twice.
    """
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    except BaseException:
        _rollback()
        raise
    finally:
        session.expire_on_commit = keep


def flush_unless_refused(operation: Callable[[], object] | None = None) -> bool:
    """Run `operation` (a service call that may flush itself), then send the request's changes
    to the database; False when a constraint refuses them (typically a unique index: someone
    else took the name, or sent the same request, a moment ago). Then the request's whole
    transaction is rolled back, as the view's own commit did before the boundary: the view
    answers as for a conflict found before saving, and the boundary has nothing left to
    commit. A unique index is checked when the row is written, so the flush finds every
    conflict the commit would."""
    try:
        if operation is not None:
            operation()
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _session_as_it_is() -> dict | None:
    """A copy of the browser's session, taken without counting as a read (a read would add
    "Vary: Cookie" to every answer, also to the pages shared with everyone)."""
    if not has_request_context():
        return None
    session = flask_session._get_current_object()
    accessed = session.accessed
    copy = dict.copy(session)
    session.accessed = accessed
    return copy


def _rollback() -> None:
    # the original error (the view's, or the commit's) is the one to report; a rollback on a
    # connection that is already gone must not replace it
    with contextlib.suppress(Exception):
        db.session.rollback()
