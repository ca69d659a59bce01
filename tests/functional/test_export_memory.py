"""Exports stream: 100,000 rows go out without the worker's memory growing with them.

Measured in processes of their own: one fills an SQLite database, a fresh one exports it, so its
peak resident size is the export's and not the test run's or the filling's. The batches by
primary key and the writers are the same on PostgreSQL, where the bench measures the full
Cologne-sized data."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

ROWS = 100_000
PROBE = textwrap.dedent(
    """
    import json, re, sys
    from datetime import UTC, datetime
    from sqlalchemy import insert
    from participation import create_app
    from participation.config import TESTING
    from participation.core.spreadsheet import csv_chunks, json_chunks, xlsx_chunks
    from participation.exports import datasets
    from participation.extensions import db
    from participation.proposals.models import Proposal

    def fill(rows):
        db.create_all()
        now = datetime.now(UTC)
        for start in range(0, rows, 10_000):
            db.session.execute(insert(Proposal), [
                {"author_group": "residents", "title": f"Vorschlag {n} für Köln", "body": "Text " * 40,
                 "topic": "education", "status": "accepted", "answer": "=Antwort " * 20, "created_at": now,
                 "published_at": now, "support_count": n % 50, "comment_count": 0}
                for n in range(start, min(start + 10_000, rows))
            ])
        db.session.commit()

    def peak_kb():
        # the peak resident size of this process image (ru_maxrss would count the parent's, from before exec)
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))

    def export(fmt):
        before = peak_kb()
        sheets = datasets.sheets("proposals", datasets.Filters())
        counted = [0]
        def counting(rows):
            for row in rows:
                counted[0] += 1
                yield row
        sheets[0].rows = counting(sheets[0].rows)
        chunks = {"csv": lambda: csv_chunks(sheets[0]), "xlsx": lambda: xlsx_chunks(sheets),
                  "json": lambda: json_chunks(sheets)}[fmt]()
        sent = sum(len(chunk) for chunk in chunks)
        after = peak_kb()
        print(json.dumps({"before_kb": before, "peak_kb": after, "bytes": sent, "rows": counted[0]}))

    url, what = sys.argv[1], sys.argv[2]
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=url))
    with app.test_request_context():
        fill(int(sys.argv[3])) if what == "fill" else export(what)
    """
)


def probe(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def filled(tmp_path_factory, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the probe makes its own SQLite database; the bench measures PostgreSQL")
    url = f"sqlite:///{tmp_path_factory.mktemp('export-memory') / 'probe.db'}"
    probe(url, "fill", str(ROWS))
    return url


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_a_hundred_thousand_rows_export_in_flat_memory(filled, fmt):
    measured = json.loads(probe(filled, fmt).strip().splitlines()[-1])
    assert measured["rows"] == ROWS and measured["bytes"] > ROWS * 20  # every row went out
    # the worker as a whole stays under 150 MB, and the export adds little to what it had
    assert measured["peak_kb"] < 150 * 1024, measured
    assert measured["peak_kb"] - measured["before_kb"] < 30 * 1024, measured
