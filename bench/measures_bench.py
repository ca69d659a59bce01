"""The action concept's rows of the benchmark (bench/run.py adds them): its pages at scale, and
the time to freeze an interim report of 2,000 measures, to write its Word file and to apply an
upload that changes every measure's status.

`python -m bench.measures_bench` measures only these, in-process against an already seeded
database (BENCH_DATABASE_URL; `flask seed demo` and `flask seed scale` first), one request at
a time: a quick check of the rows without the whole `make bench`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

REPORT_BUDGET_S, DOCX_BUDGET_S, IMPORT_BUDGET_S = 5.0, 10.0, 30.0


def measure_figures(connection) -> dict:
    """The measure with the longest timeline, the latest published report and its rows."""
    row = connection.execute(
        "SELECT measure_id, count(*) FROM measure_change GROUP BY measure_id ORDER BY count(*) DESC, measure_id LIMIT 1"
    ).fetchone()
    report = connection.execute(
        "SELECT r.id, count(rm.id) FROM interim_report r LEFT JOIN interim_report_measure rm ON rm.report_id = r.id "
        "WHERE r.status = 'published' GROUP BY r.id, r.period_end ORDER BY r.period_end DESC, r.id DESC LIMIT 1"
    ).fetchone()
    measures = connection.execute("SELECT count(*) FROM measure WHERE published_at IS NOT NULL").fetchone()[0]
    return {
        "busiest_measure": row[0] if row else 0,
        "busiest_changes": row[1] if row else 0,
        "latest_report": report[0] if report else 0,
        "report_rows": report[1] if report else 0,
        "public_measures": measures,
    }


def measure_pages(figures: dict) -> list[tuple[str, str, None]]:
    """(name, path, cookie) rows for bench/run.py's page table: public pages, no cookie."""
    return [
        (f"measures: the action concept, {figures['public_measures']:,} measures", "/measures/", None),
        ("measures: filtered by field of action and status", "/measures/?topic=smart_city&status=implementing", None),
        (
            f"measure with {figures['busiest_changes']:,} timeline entries, values and updates",
            f"/measures/{figures['busiest_measure']}",
            None,
        ),
        (
            f"interim report of {figures['report_rows']:,} measures",
            f"/measures/reports/{figures['latest_report']}",
            None,
        ),
    ]


# run in a fresh process: create_report inside a transaction that is rolled back (the bench
# database keeps its ten reports), then the Word file of the latest published report
REPORT_PROBE = """
import json, time
from datetime import date
from sqlalchemy import select
from participation import create_app
from participation.accounts.models import User, UserRole
from participation.extensions import db
from participation.reporting.models import InterimReport
from participation.reporting.services import create_report
from participation.reporting.word import report_docx

app = create_app()
with app.test_request_context():
    planner = db.session.scalar(select(User).join(UserRole, UserRole.user_id == User.id)
                                .where(UserRole.role == "planner").order_by(User.id).limit(1))
    started = time.perf_counter()
    report = create_report(planner, {"title_de": "Bench", "title_en": "Bench",
                                     "period_start": date(2026, 7, 1), "period_end": date(2026, 12, 31)})
    db.session.flush()
    created = time.perf_counter() - started
    db.session.rollback()
    latest = db.session.scalar(select(InterimReport).where(InterimReport.status == "published")
                               .order_by(InterimReport.period_end.desc(), InterimReport.id.desc()).limit(1))
    started = time.perf_counter()
    size = len(report_docx(latest, "de"))
    docx = time.perf_counter() - started

    # an upload that changes the status of every measure: preview and apply, then rolled back
    import csv, io, zipfile
    from participation.measures import transfer
    from participation.measures.transfer_apply import apply_plan
    from participation.measures.transfer_plan import make_plan
    with zipfile.ZipFile(io.BytesIO(b"".join(transfer.zip_chunks()))) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("measures.csv").decode("utf-8-sig"))))
    for row in rows:
        row["status"] = "paused" if row["status"] == "implementing" else "implementing"
        row["status_reason"] = "Bench"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("measures.csv", text.getvalue())
    started = time.perf_counter()
    plan = make_plan("bench.zip", upload.getvalue())
    assert plan.ok, plan.problems[:3]
    apply_plan(plan, planner)
    db.session.flush()
    imported = time.perf_counter() - started
    db.session.rollback()
    print(json.dumps({"create_s": created, "docx_s": docx, "docx_bytes": size,
                      "import_s": imported, "import_rows": len(rows)}))
"""


def report_timings(python: str, env: dict, cwd) -> dict:
    """Create a report snapshot of every measure (budget 5 s) and its Word file (budget 10 s)."""
    done = subprocess.run([python, "-c", REPORT_PROBE], env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the interim report probe failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_lines(timings: dict, figures: dict) -> list[str]:
    """The report's section on the interim report (bench/report.md)."""
    created, docx, imported = timings["create_s"], timings["docx_s"], timings["import_s"]
    return [
        "## Interim report",
        "",
        "In-process, one at a time:",
        "",
        "| step | seconds | budget |",
        "|---|---:|---|",
        f"| create a report snapshot of {figures['public_measures']:,} measures "
        f"(`reporting.services.create_report`) | {created:.2f} | "
        f"{'met' if created < REPORT_BUDGET_S else 'MISSED'} (under {REPORT_BUDGET_S:.0f} s) |",
        f"| its Word file (`reporting.word.report_docx`, {timings['docx_bytes'] / 1e6:.1f} MB) | {docx:.2f} | "
        f"{'met' if docx < DOCX_BUDGET_S else 'MISSED'} (under {DOCX_BUDGET_S:.0f} s) |",
        f"| an upload that changes the status of all {timings['import_rows']:,} measures: preview and apply "
        f"(`measures.transfer_plan.make_plan`, `transfer_apply.apply_plan`) | {imported:.2f} | "
        f"{'met' if imported < IMPORT_BUDGET_S else 'MISSED'} (under {IMPORT_BUDGET_S:.0f} s, the request timeout) |",
        "",
    ]


def main() -> None:
    """Only the action concept's rows, in-process, against the seeded bench database."""
    import psycopg

    from bench.run import DATABASE, ENV, ROOT

    with psycopg.connect(DATABASE) as connection:
        figures = measure_figures(connection)
    print(f"figures: {figures}", flush=True)
    os.environ.update(APP_ENV="development", DATABASE_URL=DATABASE)
    from participation import create_app

    client = create_app({"RATELIMIT_ENABLED": False}).test_client()
    for name, path, _cookie in measure_pages(figures):
        runs, status = [], None
        for _ in range(5):
            started = time.perf_counter()
            status = client.get(path).status_code
            runs.append((time.perf_counter() - started) * 1000)
        print(f"{name}: {path} -> {status}, median {sorted(runs)[2]:.0f} ms", flush=True)
    try:
        timings = report_timings(sys.executable, ENV, ROOT)
    except RuntimeError as failed:
        print(f"interim report: {failed}", flush=True)
        return
    print("\n".join(report_lines(timings, figures)))


if __name__ == "__main__":
    main()
