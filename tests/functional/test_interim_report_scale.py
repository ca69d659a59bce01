"""The interim report at Cologne's scale ten times over: 2,000 measures with their timelines,
milestones and indicator values are snapshot, and the Word file written, with a bounded number
of statements (the bench times them against their budgets of 5 s and 10 s)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, insert

from participation.drafts.models import TOPICS
from participation.measures.models import Indicator, IndicatorValue, Measure, MeasureChange, Milestone
from participation.reporting import services
from participation.reporting.word import report_docx
from tests.measuring import organisation

MEASURES = 2_000


def _seed(db) -> None:
    owner = organisation(db).id
    start = datetime(2026, 1, 1, tzinfo=UTC)
    topics = list(TOPICS)
    db.session.execute(
        insert(Measure),
        [
            {
                "id": number,
                "title_de": f"Maßnahme {number}",
                "title_en": f"Measure {number}",
                "topic": topics[number % len(topics)],
                "organisation_id": owner,
                "status": "implementing",
                "progress": number % 100,
                "progress_set": number % 100,
                "planned_end_on": date(2027, 1, 1) + timedelta(days=number % 700),
                "published_at": start,
                "created_at": start,
                "updated_at": start,
            }
            for number in range(1, MEASURES + 1)
        ],
    )
    changes = []
    for number in range(1, MEASURES + 1):
        changes.append({"measure_id": number, "field": "created", "after": "x", "created_at": start})
        changes.append({"measure_id": number, "field": "published", "created_at": start})
        for step in range(4):
            moment = start + timedelta(days=60 * step + number % 50)
            changes.append(
                {
                    "measure_id": number,
                    "field": "progress",
                    "before": str(step * 10),
                    "after": str(step * 10 + 10),
                    "created_at": moment,
                }
            )
    db.session.execute(insert(MeasureChange), changes)
    db.session.execute(
        insert(Milestone),
        [
            {"measure_id": number, "title_de": f"Meilenstein {n}", "planned_on": date(2027, 1 + n, 1)}
            for number in range(1, MEASURES + 1)
            for n in range(2)
        ],
    )
    db.session.execute(
        insert(Indicator),
        [
            {"id": number, "measure_id": number, "title_de": "Anteil", "target": 100}
            for number in range(1, MEASURES + 1)
        ],
    )
    db.session.execute(
        insert(IndicatorValue),
        [
            {"indicator_id": number, "measured_on": date(2026, 1, 1) + timedelta(days=30 * n), "value": n * 5}
            for number in range(1, MEASURES + 1)
            for n in range(5)
        ],
    )
    db.session.commit()


def test_snapshot_and_word_file_of_2000_measures(app, db, users):
    planner = users(email="plan@example.org", roles=("participant", "planner"))
    _seed(db)
    statements = [0]

    def seen(*args):
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    began = time.perf_counter()
    report = services.create_report(
        planner, {"title_de": "Groß", "period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30)}
    )
    db.session.commit()
    snapshot_seconds = time.perf_counter() - began
    snapshot_statements, statements[0] = statements[0], 0
    assert len(services.rows_of(report)) == MEASURES
    began = time.perf_counter()
    body = report_docx(report, "de")
    word_seconds = time.perf_counter() - began
    word_statements = statements[0]
    event.remove(db.engine, "before_cursor_execute", seen)
    assert body[:2] == b"PK"
    print(
        f"snapshot {snapshot_seconds:.2f} s ({snapshot_statements} statements), "
        f"Word {word_seconds:.2f} s ({word_statements} statements)"
    )
    # The budgets (5 s and 10 s) are held by the bench (bench/measures_bench.py) on the bench's
    # database, where a noisy machine does not fail the suite; here the work is held to a bounded
    # number of statements: set-based reads, and rows written in batches, never one per measure.
    assert snapshot_statements < 50, snapshot_statements  # 19 when written
    assert word_statements < 20, word_statements  # 4 when written
