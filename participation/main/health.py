"""GET /healthz: the state of each dependency, for a load balancer and for monitoring.

status "ok" (200): everything answers. "degraded" (200): the site serves, but a dependency
needs attention: the rate-limit store (Redis) does not answer, so each process counts its
limits in memory, or mail waits longer than MAIL_BACKLOG_WARN_SECONDS. "error" (503): the
database does not answer, so the site cannot serve; a load balancer takes the host out.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select, text

from participation.core.models import utcnow
from participation.extensions import db, rate_limit_store_answers, rate_limits_in_memory
from participation.mail.models import PENDING, OutboxMessage


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means unhealthy
        current_app.logger.error("health check: database unreachable", exc_info=True)
        db.session.rollback()
        return "unreachable"
    return "ok"


def rate_limit_store_state() -> str:
    """ "not configured" (no REDIS_URL: each process counts on its own, by configuration),
    "ok", "down" (no answer within the short timeout), or "memory fallback" (the store
    answers again, and this process goes back to it at its next check)."""
    answers = rate_limit_store_answers()
    if answers is None:
        return "not configured"
    if not answers:
        return "down"
    return "memory fallback" if rate_limits_in_memory() else "ok"


def mail_backlog() -> dict:
    pending, oldest = db.session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(OutboxMessage.status == PENDING)
    ).one()
    age = None
    if oldest is not None:
        age = max(0, int((utcnow() - oldest).total_seconds()))
    return {"pending": pending, "oldest_pending_seconds": age}


def health() -> tuple[dict, int]:
    report: dict = {"status": "ok", "database": database_state(), "rate_limit_store": rate_limit_store_state()}
    if report["database"] != "ok":
        report.update(status="error", mail=None)
        return report, 503
    report["mail"] = mail_backlog()
    degraded = report["rate_limit_store"] in {"down", "memory fallback"}
    age = report["mail"]["oldest_pending_seconds"]
    if age is not None and age > current_app.config["MAIL_BACKLOG_WARN_SECONDS"]:
        degraded = True
    if degraded:
        report["status"] = "degraded"
    return report, 200
