"""Demo interim reports for `flask seed demo`: the second half of 2025 and the first half of 2026,
made from the demo measures' dated history (participation/measures/demo.py), so the second
report shows new, completed, stopped and delayed measures against the first. Call it after
seed_demo_measures; running it again adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from participation.accounts.models import find_user_by_email
from participation.extensions import db
from participation.reporting.models import InterimReport
from participation.reporting.services import create_report, publish_report

DEMO_REPORTS = [
    (
        "Zwischenbericht zum Handlungskonzept, 2. Halbjahr 2025",
        "Interim report on the action concept, second half of 2025",
        date(2025, 7, 1),
        date(2025, 12, 31),
    ),
    (
        "Zwischenbericht zum Handlungskonzept, 1. Halbjahr 2026",
        "Interim report on the action concept, first half of 2026",
        date(2026, 1, 1),
        date(2026, 6, 30),
    ),
]


def seed_demo_reports() -> list[InterimReport]:
    """Both reports, published, oldest first; only those that are missing."""
    planner = find_user_by_email("planung@example.org")
    existing = set(db.session.scalars(select(InterimReport.title_de)))
    made = []
    for title_de, title_en, start, end in DEMO_REPORTS:
        if title_de in existing:
            continue
        report = create_report(
            planner, {"title_de": title_de, "title_en": title_en, "period_start": start, "period_end": end}
        )
        publish_report(planner, report)
        made.append(report)
    db.session.flush()
    return made
