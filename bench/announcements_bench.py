"""The announcements' row of the benchmark (bench/run.py adds it): the time to queue one
announcement to RECIPIENTS confirmed subscribers in the outbox (`flask announcements send`'s
work: one INSERT … SELECT per batch, each committed with its cursor). Budget: under 60 s.

`python -m bench.announcements_bench` runs it alone against BENCH_DATABASE_URL (migrated; on the
bench database after `seed scale`, or on an empty one): accounts are added for the subscribers
that are missing, and everything it added is removed again afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys

RECIPIENTS, BUDGET_S = 100_000, 60.0

PROBE = """
import json, time
from sqlalchemy import text
from participation import create_app
from participation.announcements import sending
from participation.announcements.models import Announcement
from participation.core.models import utcnow
from participation.extensions import db

RECIPIENTS = %(recipients)d
app = create_app()
with app.app_context():
    usable = "anonymised_at IS NULL AND email_confirmed_at IS NOT NULL AND blocked_at IS NULL"
    have = db.session.scalar(text(f'SELECT count(*) FROM "user" WHERE {usable}'))
    missing = max(0, RECIPIENTS - have)
    db.session.execute(text(
        "INSERT INTO \\"user\\" (email, password_hash, display_name, display_name_canonical, stakeholder_group, "
        "locale, session_salt, created_at, updated_at, email_confirmed_at) "
        "SELECT 'bench-announce-' || n || '@example.org', 'x', 'Bench Announce ' || n, 'bench announce ' || n, "
        "'residents', CASE WHEN n %% 5 = 0 THEN 'en' ELSE 'de' END, md5(n::text), now(), now(), now() "
        "FROM generate_series(1, :missing) AS n"), {"missing": missing})
    db.session.execute(text(
        "INSERT INTO announcement_subscription (user_id, requested_at, confirmed_at, stop_token) "
        f"SELECT id, now(), now(), 'bench.' || md5(id::text) FROM \\"user\\" WHERE {usable} "
        "ORDER BY id LIMIT :n ON CONFLICT DO NOTHING"), {"n": RECIPIENTS})
    announcement = Announcement(title_de="Entwurf 2 ist online", title_en="Draft 2 is online",
                                body_de="Ab heute **kommentieren**.", body_en="Comment **now**.",
                                published_at=utcnow())
    db.session.add(announcement)
    db.session.commit()
    subscribers = db.session.scalar(text("SELECT count(*) FROM announcement_subscription"))
    started = time.perf_counter()
    queued = sending.queue_all(announcement, commit=db.session.commit)
    seconds = time.perf_counter() - started
    # everything it added goes again
    prefix = f"<announcement.{announcement.id}.%%"
    db.session.execute(text("DELETE FROM outbox_message WHERE message_id LIKE :p"), {"p": prefix})
    db.session.execute(text("DELETE FROM announcement WHERE id = :id"), {"id": announcement.id})
    db.session.execute(text("DELETE FROM announcement_subscription WHERE stop_token LIKE 'bench.%%'"))
    db.session.execute(text("DELETE FROM \\"user\\" WHERE email LIKE 'bench-announce-%%@example.org'"))
    db.session.commit()
    print(json.dumps({"queued": queued, "subscribers": subscribers, "seconds": seconds,
                      "batch": sending.BATCH_SIZE}))
"""


def announcement_timing(python: str, env: dict, cwd) -> dict:
    """Queue one announcement to RECIPIENTS subscribers, in a fresh process (as the command runs)."""
    probe = PROBE % {"recipients": RECIPIENTS}
    done = subprocess.run([python, "-c", probe], env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the announcement probe failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def announcement_lines(timing: dict) -> list[str]:
    """The report's section on announcements (bench/report.md)."""
    seconds = timing["seconds"]
    return [
        "## Announcements",
        "",
        f"One announcement queued in the outbox for {timing['queued']:,} confirmed subscribers "
        f"(`announcements.sending.queue_all`: one INSERT … SELECT per batch of {timing['batch']:,}, each "
        f"committed with its cursor): {seconds:.1f} s, {timing['queued'] / seconds:,.0f} mails/s "
        f"(budget under {BUDGET_S:.0f} s: {'met' if seconds < BUDGET_S else 'MISSED'}).",
        "",
    ]


if __name__ == "__main__":
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
    environment = dict(
        os.environ,
        DATABASE_URL=url,
        APP_ENV="production",
        SECRET_KEY="benchmark-only-secret",
        PUBLIC_BASE_URL="http://127.0.0.1:8765",
        MAIL_BACKEND="none",
        LOG_LEVEL="WARNING",
    )
    result = announcement_timing(sys.executable, environment, root)
    print("\n".join(announcement_lines(result)))
