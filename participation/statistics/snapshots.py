"""One worker makes a report's figures; the others read what it made.

A report page's body is kept in the database (ReportSnapshot) with the time it was made. A worker
that finds it older than REPORT_CACHE_SECONDS makes it anew under a PostgreSQL advisory lock for
that page; meanwhile the others serve the older body, or, when there is none yet, wait for the
lock and then read the new one. So the figures are computed once per period for all workers and
servers, not once per worker. (SQLite has one writer and no such locks: there it is simply made.)
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, text

from participation.core.models import utcnow
from participation.extensions import db
from participation.statistics.models import ReportSnapshot


def _lock_id(key: str) -> int:
    return zlib.crc32(f"report:{key}".encode())


def _stored(key: str) -> ReportSnapshot | None:
    return db.session.scalar(
        select(ReportSnapshot).where(ReportSnapshot.key == key).execution_options(populate_existing=True)
    )


def body(key: str, render: Callable[[], str], seconds: int) -> str:
    """The page body under `key`, at most `seconds` old; `render` makes it anew."""
    if seconds <= 0:
        return render()
    stored = _stored(key)
    if stored is not None and stored.made_at > utcnow() - timedelta(seconds=seconds):
        return stored.html
    if db.engine.dialect.name == "postgresql":
        claimed = db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": _lock_id(key)})
        if not claimed:
            if stored is not None:
                db.session.rollback()
                return stored.html  # another worker is making it: the older one for a moment
            db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _lock_id(key)})
            made = _stored(key)
            db.session.commit()  # releases the lock
            if made is not None:
                return made.html
    html = render()
    stored = _stored(key)
    if stored is None:
        db.session.add(ReportSnapshot(key=key, html=html, made_at=utcnow()))
    else:
        stored.html, stored.made_at = html, utcnow()
    db.session.commit()  # the new body for everyone, and the lock released
    return html
