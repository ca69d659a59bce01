"""Benchmark the key pages under gunicorn on PostgreSQL with Cologne-scale data; write bench/report.md.

Steps: create the benchmark database, migrate, seed demo and scale data, start gunicorn on
127.0.0.1, log in, warm up, drive each page with wrk at 16 connections, compare each page's
throughput with a ceiling page that does no database work, read the workers' peak memory,
then race 200 clients against a unique constraint. Bounded in time; touches only 127.0.0.1.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.announcements_bench import announcement_lines, announcement_timing
from bench.measures_bench import measure_figures, measure_pages, report_lines, report_timings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
RACERS = 200
BASE = f"http://127.0.0.1:{PORT}"
BUDGET_P95_MS, BUDGET_RATIO = 100, 0.30

ENV = dict(
    os.environ,
    APP_ENV="production",
    SECRET_KEY="benchmark-only-secret",
    PUBLIC_BASE_URL=BASE,
    DATABASE_URL=DATABASE,
    RATELIMIT_ENABLED="false",
    SESSION_COOKIE_SECURE="false",
    MAIL_BACKEND="none",
    # no line per request: at thousands of requests a second it would measure the terminal
    LOG_LEVEL="WARNING",
)


def flask(*args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], env=ENV, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def ensure_database() -> None:
    url = urllib.parse.urlsplit(DATABASE)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze() -> None:
    """Fresh planner statistics and visibility maps, as autovacuum leaves a database in use: a newly
    seeded one would otherwise be planned blind, and its index-only scans would read every row
    from the table (autovacuum may be off where the bench runs)."""
    with psycopg.connect(DATABASE, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def database_figures() -> dict:
    with psycopg.connect(DATABASE) as connection:
        return {
            "version": connection.execute("SHOW server_version").fetchone()[0],
            "users": connection.execute('SELECT count(*) FROM "user"').fetchone()[0],
            "target": connection.execute("SELECT id FROM \"user\" WHERE email = 'scale12345@example.org'").fetchone()[
                0
            ],
            **draft_figures(connection),
            **proposal_figures(connection),
            **measure_figures(connection),
        }


def proposal_figures(connection) -> dict:
    """The most discussed proposal, and an open proposal nobody has supported yet (for the race)."""
    busiest, comments = connection.execute(
        "SELECT id, comment_count FROM proposal ORDER BY comment_count DESC, id LIMIT 1"
    ).fetchone()
    quiet = connection.execute(
        "SELECT id FROM proposal WHERE status = 'published' AND support_count = 0 ORDER BY id LIMIT 1"
    ).fetchone()[0]
    public = connection.execute(
        "SELECT count(*) FROM proposal WHERE status NOT IN ('pending', 'withdrawn', 'hidden')"
    ).fetchone()[0]
    return {"busiest_proposal": busiest, "busiest_comments": comments, "quiet_proposal": quiet, "public": public}


def draft_figures(connection) -> dict:
    """The scale draft's version, its big chapter, that chapter's first paragraph and a quiet one."""
    number, big_chapter, quiet_chapter = connection.execute(
        "SELECT v.number, c1.id, c2.id FROM masterplan_version v JOIN chapter c1 ON c1.version_id = v.id "
        "AND c1.position = 1 JOIN chapter c2 ON c2.version_id = v.id AND c2.position = 2 "
        "WHERE v.title = 'Scale draft'"
    ).fetchone()
    paragraph = connection.execute(
        "SELECT id FROM paragraph WHERE chapter_id = %s AND position = 1", (big_chapter,)
    ).fetchone()[0]
    quiet = connection.execute(
        "SELECT id FROM paragraph WHERE chapter_id = %s AND position = 3", (quiet_chapter,)
    ).fetchone()[0]
    counts = connection.execute(
        "SELECT count(*), (SELECT count(*) FROM comment WHERE chapter_id = %s) FROM draft_vote dv "
        "JOIN paragraph p ON p.id = dv.paragraph_id WHERE p.chapter_id = %s",
        (big_chapter, big_chapter),
    ).fetchone()
    return {
        "draft_number": number,
        "big_chapter": big_chapter,
        "big_paragraph": paragraph,
        "quiet_paragraph": quiet,
        "big_votes": counts[0],
        "big_comments": counts[1],
    }


class Session:
    """A cookie-keeping client, like a browser, for logging in and for the race."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path: str) -> str:
        with self.opener.open(BASE + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(BASE + path, data=body, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get(path)).group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def wait_until_up(process) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def wrk(path: str, cookie: str | None, seconds: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, BASE + path], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def worker_peak_memory(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)))
    return peaks


def race(run_id: str) -> dict:
    """200 clients register at once; every fourth shares a display name with three others.
    Expect exactly one account per name, a clear refusal for the rest and no server error."""
    names = RACERS // 4
    clients = [Session() for _ in range(RACERS)]
    tokens = [client.token("/register") for client in clients]
    start = threading.Barrier(RACERS)
    statuses = [0] * RACERS

    def register(n: int) -> None:
        data = {
            "csrf_token": tokens[n],
            "email": f"race-{run_id}-{n}@example.org",
            "display_name": f"Race {run_id} {n % names}",
            "stakeholder_group": "residents",
            "password": "Rennen am Rhein",
            "password_confirm": "Rennen am Rhein",
            "accept_terms": "y",
        }
        start.wait()
        statuses[n] = clients[n].post("/register", data)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(DATABASE) as connection:
        rows = connection.execute(
            'SELECT count(*) FROM "user" WHERE display_name LIKE %s', (f"Race {run_id} %",)
        ).fetchone()[0]
    return {
        "clients": RACERS,
        "names": names,
        "created": statuses.count(302),
        "refused": statuses.count(422),
        "errors": RACERS - statuses.count(302) - statuses.count(422),
        "rows": rows,
    }


def vote_race(paragraph_id: int) -> dict:
    """200 people vote on one paragraph at the same instant, each sending two clicks; afterwards
    each has exactly one vote and the paragraph's counters equal its rows."""
    with psycopg.connect(DATABASE) as connection:
        emails = [
            row[0]
            for row in connection.execute(
                "SELECT email FROM \"user\" WHERE email LIKE 'scale5%%' AND email_confirmed_at IS NOT NULL "
                "AND blocked_at IS NULL ORDER BY id LIMIT %s",
                (RACERS,),
            )
        ]
    people = []
    for email in emails:
        person = Session()
        person.post("/login", {"csrf_token": person.token("/login"), "email": email, "password": "Koeln-scale-2025"})
        people.append((person, person.token("/")))
    start = threading.Barrier(RACERS * 2)
    statuses = []

    def vote(person, token, choice):
        start.wait()
        statuses.append(
            person.post(f"/masterplan/paragraphs/{paragraph_id}/vote", {"csrf_token": token, "choice": choice})
        )

    threads = [
        threading.Thread(target=vote, args=(person, token, choice))
        for person, token in people
        for choice in ("agree", "disagree")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(DATABASE) as connection:
        rows = connection.execute(
            'SELECT count(*) FROM draft_vote dv JOIN "user" u ON u.id = dv.user_id WHERE dv.paragraph_id = %s '
            "AND u.email = ANY(%s)",
            (paragraph_id, emails),
        ).fetchone()[0]
        counters, actual = connection.execute(
            "SELECT p.agree_count + p.neutral_count + p.disagree_count, "
            "(SELECT count(*) FROM draft_vote WHERE paragraph_id = p.id) FROM paragraph p WHERE p.id = %s",
            (paragraph_id,),
        ).fetchone()
    return {
        "clients": RACERS,
        "requests": len(statuses),
        "answered": statuses.count(303),
        "errors": len(statuses) - statuses.count(303),
        "rows_of_racers": rows,
        "counters": counters,
        "rows": actual,
    }


def support_race(proposal_id: int) -> dict:
    """200 people support one proposal at the same instant, each clicking twice; afterwards each
    has one support and the proposal's counter equals its rows."""
    with psycopg.connect(DATABASE) as connection:
        emails = [
            row[0]
            for row in connection.execute(
                "SELECT u.email FROM \"user\" u WHERE u.email LIKE 'scale6%%' AND u.email_confirmed_at IS NOT NULL "
                "AND u.blocked_at IS NULL AND u.id <> (SELECT author_id FROM proposal WHERE id = %s) "
                "ORDER BY u.id LIMIT %s",
                (proposal_id, RACERS),
            )
        ]
    people = []
    for email in emails:
        person = Session()
        person.post("/login", {"csrf_token": person.token("/login"), "email": email, "password": "Koeln-scale-2025"})
        people.append((person, person.token("/")))
    start = threading.Barrier(len(people) * 2)
    statuses = []

    def support(person, token):
        start.wait()
        statuses.append(person.post(f"/proposals/{proposal_id}/support", {"csrf_token": token, "choice": "support"}))

    threads = [threading.Thread(target=support, args=(person, token)) for person, token in people for _ in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(DATABASE) as connection:
        counter, rows = connection.execute(
            "SELECT support_count, (SELECT count(*) FROM support WHERE proposal_id = p.id) FROM proposal p "
            "WHERE p.id = %s",
            (proposal_id,),
        ).fetchone()
    return {
        "clients": len(people),
        "requests": len(statuses),
        "answered": statuses.count(303),
        "errors": len(statuses) - statuses.count(303),
        "counter": counter,
        "rows": rows,
    }


BULK_ITEMS, BULK_ROUNDS = 100, 5


def bulk_decisions(admin: Session) -> dict:
    """A moderator decides 100 waiting comments in one post (alternately approve and hide with a
    reason), five times; each post is timed end to end, and the database must show every item
    decided once with one audit entry each."""
    timings, decided = [], 0
    wanted = BULK_ITEMS * BULK_ROUNDS
    with psycopg.connect(DATABASE) as connection:
        # every run decides these, so top the waiting comments up to what the rounds need
        pending = connection.execute("SELECT count(*) FROM comment WHERE status = 'pending'").fetchone()[0]
        if pending < wanted:
            connection.execute(
                "INSERT INTO comment (author_id, author_group, proposal_id, depth, body, status, held_because, "
                "created_at, moderation_note, answer) "
                "SELECT author_id, author_group, proposal_id, 0, 'Ein neuer Kommentar, der auf Freigabe wartet.', "
                "'pending', 'first', now() AT TIME ZONE 'utc', '', '' FROM comment "
                "WHERE status = 'published' AND proposal_id IS NOT NULL ORDER BY id LIMIT %s",
                (wanted - pending,),
            )
        waiting = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM comment WHERE status = 'pending' ORDER BY created_at, id LIMIT %s",
                (wanted,),
            )
        ]
        before = connection.execute("SELECT count(*) FROM moderation_decision").fetchone()[0]
    for round_number in range(BULK_ROUNDS):
        items = [f"comment:{ident}" for ident in waiting[round_number * BULK_ITEMS : (round_number + 1) * BULK_ITEMS]]
        action = {"action": "approve"} if round_number % 2 == 0 else {"action": "hide", "reason": "spam"}
        data = {"csrf_token": admin.token("/moderation/new"), "items": items, **action}
        started = time.perf_counter()
        status = admin.post("/moderation/new", data)
        timings.append((time.perf_counter() - started) * 1000)
        decided += len(items) if status == 303 else 0
    with psycopg.connect(DATABASE) as connection:
        after = connection.execute("SELECT count(*) FROM moderation_decision").fetchone()[0]
        still_waiting = connection.execute(
            "SELECT count(*) FROM comment WHERE id = ANY(%s) AND status = 'pending'", (waiting,)
        ).fetchone()[0]
    timings.sort()
    return {
        "items": BULK_ITEMS,
        "rounds": BULK_ROUNDS,
        "median_ms": timings[len(timings) // 2],
        "max_ms": timings[-1],
        "posted": decided,
        "logged": after - before,
        "still_waiting": still_waiting,
    }


def support_race_ok(supporting: dict) -> bool:
    return supporting["rows"] == supporting["counter"] == supporting["clients"] and not supporting["errors"]


SIMILAR_SAMPLES = [
    ("Kostenloses WLAN an Haltestellen in Kalk", "Viele Menschen warten an Haltestellen ohne Internet."),
    ("Bürgeramt online für alle", "Termine und Anträge sollten ohne Wartezeit digital möglich sein."),
    ("Sensoren für Stadtbäume in Nippes", "Die Stadtwerke könnten gießen, wenn der Boden trocken ist."),
    ("Offene Daten zum Verkehr", "Fahrpläne und Baustellen maschinenlesbar veröffentlichen."),
    ("Coworking in Bibliotheken", "Arbeitsplätze mit Glasfaser in den Stadtteilbibliotheken."),
    ("Lernangebot für Senioren im Veedel", "Ältere Menschen brauchen Begleitung beim Smartphone."),
    ("Förderprogramm für Gründungen", "Start-ups aus Köln sollen Lösungen erproben können."),
    ("Barrierefreies Parken per App", "Barrierefreiheit muss von Anfang an mitgedacht werden."),
]


def similar_lookup() -> dict:
    """The similar-proposal lookup that writing a proposal runs, timed in-process at scale."""
    from participation import create_app
    from participation.proposals.services import similar_to

    os.environ.update(APP_ENV="development", DATABASE_URL=DATABASE)  # this process only, after the server ran
    app = create_app()
    timings = []
    with app.app_context():
        for _ in range(5):
            for title, body in SIMILAR_SAMPLES:
                started = time.perf_counter()
                found = similar_to(title, body)
                timings.append((time.perf_counter() - started) * 1000)
                assert found, title
    timings.sort()
    return {
        "lookups": len(timings),
        "median_ms": timings[len(timings) // 2],
        "p95_ms": timings[int(len(timings) * 0.95)],
        "max_ms": timings[-1],
    }


COLD_LIST_URLS = [
    "/proposals/",
    "/proposals/?topic=education",
    "/proposals/?district=kalk&sort=supported",
    "/proposals/?q=Haltestellen+WLAN",
    "/proposals/?sort=random&seed=99",
]


EXPORT_PROBE = """
import json, re, sys, time
from participation import create_app
from participation.core.spreadsheet import csv_chunks, json_chunks, xlsx_chunks
from participation.exports import datasets, document, open_data, word
from participation.drafts.services import current_version

def peak_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))

kind, fmt = sys.argv[1], sys.argv[2]
app = create_app()
with app.test_request_context():
    before, started, rows, sent = peak_kb(), time.perf_counter(), 0, 0
    if kind == "open-data":
        from participation.exports import stored
        sent = stored.make_locked().size  # made and stored in the database, as the site serves it
    elif kind == "document":
        made = document.gather(current_version())
        rows = sum(len(chapter.paragraphs) for chapter in made.chapters)
        sent = len(word.docx(made) if fmt == "docx" else document.markdown(made).encode())
    else:
        sheets = datasets.sheets(kind, datasets.Filters())
        def counted(source):
            global rows
            for row in source:
                rows += 1
                yield row
        for sheet in sheets:
            sheet.rows = counted(sheet.rows)
        chunks = {"csv": lambda: csv_chunks(sheets[0]), "xlsx": lambda: xlsx_chunks(sheets),
                  "json": lambda: json_chunks(sheets)}[fmt]()
        sent = sum(len(chunk) for chunk in chunks)
    print(json.dumps({"rows": rows, "bytes": sent, "seconds": time.perf_counter() - started,
                      "before_kb": before, "peak_kb": peak_kb()}))
"""
EXPORTS = [
    (kind, fmt)
    for kind in ("proposals", "comments", "votes", "decisions", "incorporations")
    for fmt in ("xlsx", "csv", "json")
] + [("document", "docx"), ("document", "md"), ("open-data", "zip")]


def exports() -> list[tuple[str, str, dict]]:
    """Every export of the full data set, each in a fresh process: rows per second and the
    process's peak resident memory (VmHWM) before and after."""
    measured = []
    for kind, fmt in EXPORTS:
        done = subprocess.run(
            [str(BIN / "python"), "-c", EXPORT_PROBE, kind, fmt], env=ENV, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"export {kind}.{fmt} failed: {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"export {kind}.{fmt}: {result}", flush=True)
        measured.append((kind, fmt, result))
    return measured


def cold_list() -> dict:
    """The proposal list rendered without its shared cache, in-process: what a filter state that
    nobody asked for in the last LIST_CACHE_SECONDS costs."""
    from participation import create_app

    os.environ.update(APP_ENV="development", DATABASE_URL=DATABASE, LIST_CACHE_SECONDS="0")
    client = create_app({"RATELIMIT_ENABLED": False}).test_client()
    timings = {}
    for url in COLD_LIST_URLS:
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            runs.append((time.perf_counter() - started) * 1000)
        timings[url] = sorted(runs)[len(runs) // 2]
    return timings


def vote_race_ok(voting: dict) -> bool:
    return (
        voting["rows_of_racers"] == voting["clients"] and voting["counters"] == voting["rows"] and not voting["errors"]
    )


def race_ok(racing: dict) -> bool:
    return racing["rows"] == racing["names"] == racing["created"] and not racing["errors"]


def machine() -> dict:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    return {
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory.group(1)) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0],
    }


def main() -> None:
    started = time.monotonic()
    ensure_database()
    flask("db", "upgrade")
    flask("seed", "demo")
    scale_output = flask("seed", "scale")
    vacuum_analyze()
    figures = database_figures()
    print(f"database ready: {figures['users']:,} users", flush=True)

    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "bench.wsgi:app",
        ],
        env=ENV,
        cwd=ROOT,
    )
    try:
        wait_until_up(gunicorn)
        admin = Session()
        admin.post(
            "/login",
            {"csrf_token": admin.token("/login"), "email": "scale0@example.org", "password": "Koeln-scale-2025"},
        )
        assert "Administration" in admin.get("/admin/"), "could not log in as the scale admin"
        cookie = admin.cookie_header()
        pages = [
            ("ceiling (static template, same stack)", "/_bench/ceiling", None),
            ("home with phases", "/", None),
            ("home, logged in (what a session costs every page)", "/", cookie),
            ("login form", "/login", None),
            ("editable page (Markdown)", "/pages/privacy", None),
            ("admin: user list, first page of 100,000", "/admin/users", cookie),
            ("admin: user list, page 2,000", "/admin/users?page=2000", cookie),
            ("admin: user search by name", "/admin/users?q=greta+aus+porz", cookie),
            ("admin: one user with roles and decisions", f"/admin/users/{figures['target']}", cookie),
            ("draft: table of contents", f"/masterplan/{figures['draft_number']}/", None),
            (
                f"draft: chapter of 50 paragraphs, {figures['big_comments']:,} comments, "
                f"{figures['big_votes']:,} votes",
                f"/masterplan/chapters/{figures['big_chapter']}",
                None,
            ),
            (
                "draft: same chapter, logged in (own votes, vote forms)",
                f"/masterplan/chapters/{figures['big_chapter']}",
                cookie,
            ),
            ("draft: paragraph with 100 comments, page 1", f"/masterplan/paragraphs/{figures['big_paragraph']}", None),
            ("draft: opinions by group", f"/masterplan/chapters/{figures['big_chapter']}/opinions", None),
            (f"proposals: list of {figures['public']:,}, newest first", "/proposals/", None),
            ("proposals: list, logged in", "/proposals/", cookie),
            ("proposals: filtered by topic", "/proposals/?topic=education", None),
            ("proposals: filtered by district, most supported", "/proposals/?district=kalk&sort=supported", None),
            ("proposals: filtered by the author's group", "/proposals/?group=universities", None),
            ("proposals: most discussed, page 50", "/proposals/?sort=discussed&page=50", None),
            ("proposals: random order", "/proposals/?sort=random&seed=4711", None),
            ("proposals: search (stemmed)", "/proposals/?q=Haltestellen+WLAN", None),
            ("proposals: search and filter", "/proposals/?q=Schulen&topic=education&district=porz", None),
            (
                f"proposal with {figures['busiest_comments']:,} comments, page 1",
                f"/proposals/{figures['busiest_proposal']}",
                None,
            ),
            ("proposals: Atom feed", "/proposals/feed.atom", None),
            ("moderation: new contributions, oldest first", "/moderation/new", cookie),
            ("moderation: new contributions, page 40", "/moderation/new?page=40", cookie),
            ("moderation: reported, most reported first", "/moderation/reported", cookie),
            ("moderation: reported, by reason and type", "/moderation/reported?reason=insult&kind=comment", cookie),
            ("moderation: reported, by topic", "/moderation/reported?topic=education", cookie),
            ("moderation: blocked accounts", "/moderation/blocked", cookie),
            ("planning: comments on the draft to answer", "/planning/comments/", cookie),
            ("participation report: the public summary", "/report/", None),
            ("participation report: the planners' report", "/planning/report/", cookie),
            ("exports: the planners' page with its filters", "/planning/exports/", cookie),
            *measure_pages(figures),
        ]
        results = []
        for name, path, page_cookie in pages:
            wrk(path, page_cookie, 2)  # warm up
            result = wrk(path, page_cookie, SECONDS)
            print(f"{name}: {result['rps']:.0f} req/s, p95 {result['p95_us'] / 1000:.1f} ms", flush=True)
            results.append((name, path, result))
        peaks = worker_peak_memory(gunicorn.pid)
        racing = race(uuid.uuid4().hex[:6])
        print(f"race: {racing}", flush=True)
        voting = vote_race(figures["quiet_paragraph"])
        print(f"vote race: {voting}", flush=True)
        supporting = support_race(figures["quiet_proposal"])
        print(f"support race: {supporting}", flush=True)
        bulk = bulk_decisions(admin)
        print(f"bulk decisions: {bulk}", flush=True)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    similar = similar_lookup()
    print(f"similar lookup: {similar}", flush=True)
    cold = cold_list()
    print(f"cold list: {cold}", flush=True)
    exported = exports()
    reporting = report_timings(str(BIN / "python"), ENV, ROOT)
    print(f"interim report: {reporting}", flush=True)
    announcing = announcement_timing(str(BIN / "python"), ENV, ROOT)
    print(f"announcement: {announcing}", flush=True)
    races = {
        "racing": racing,
        "voting": voting,
        "supporting": supporting,
        "similar": similar,
        "cold": cold,
        "bulk": bulk,
        "exports": exported,
        "reporting": reporting,
        "announcing": announcing,
    }
    write_report(results, peaks, races, figures, scale_output, time.monotonic() - started)


def write_report(results, peaks, races, figures, scale_output, elapsed) -> None:
    racing, voting, supporting, similar = races["racing"], races["voting"], races["supporting"], races["similar"]
    ceiling = results[0][2]["rps"]
    lines = [
        "# Benchmark report",
        "",
        f"Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {elapsed:.0f} s. "
        "Figures from one run on a shared machine: compare ratios, not absolute numbers.",
        "",
        "## Set-up",
        "",
    ]
    info = machine()
    lines += [
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, Linux {info['kernel']}",
        f"- Python {info['python']}, gunicorn with {WORKERS} sync workers on 127.0.0.1, "
        f"PostgreSQL {figures['version']} on the same machine",
        f"- Load: {info['wrk']}; 2 threads, {CONNECTIONS} connections, {SECONDS} s per page after a 2 s warm-up",
        f"- Data (`flask seed scale`): {figures['users']:,} accounts; then `VACUUM (ANALYZE)`, as autovacuum "
        "would have done",
        "",
        "```",
        scale_output.strip(),
        "```",
        "",
        "## Pages",
        "",
        f"Budgets: p95 under {BUDGET_P95_MS} ms at {CONNECTIONS} concurrent clients, and at least "
        f"{BUDGET_RATIO:.0%} of the ceiling's throughput.",
        "",
        "| page | path | req/s | p50 ms | p95 ms | p99 ms | of ceiling | errors | budget |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, path, r in results:
        ratio = r["rps"] / ceiling
        met = r["p95_us"] / 1000 < BUDGET_P95_MS and ratio >= BUDGET_RATIO and not r["bad_status"]
        lines.append(
            f"| {name} | `{path}` | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | "
            f"{r['p99_us'] / 1000:.1f} | {ratio:.0%} | {r['bad_status'] + r['socket_errors']} | "
            f"{'met' if met else 'MISSED'} |"
        )
    lines += [
        "",
        "The participation report's pages are shared for REPORT_CACHE_SECONDS (300 s), so these rows "
        "measure mostly the shared page; its figures are one or two grouped queries each.",
        "",
        "## Exports",
        "",
        "Every export of the full data set, each in a fresh process (as a worker would write it to a "
        "download): rows, size, time, rows per second, and the process's peak resident memory (VmHWM) "
        "before the export and after it.",
        "",
        "| export | rows | MB | s | rows/s | memory before MiB | peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {kind}.{fmt} | {r['rows']:,} | {r['bytes'] / 1e6:.1f} | {r['seconds']:.1f} | "
            f"{(r['rows'] / r['seconds']) if r['rows'] else 0:,.0f} | {r['before_kb'] / 1024:.0f} | "
            f"{r['peak_kb'] / 1024:.0f} |"
            for kind, fmt, r in races["exports"]
        ],
        "",
        *report_lines(races["reporting"], figures),
        *announcement_lines(races["announcing"]),
        "## Bulk moderation",
        "",
        f"A moderator decided {races['bulk']['items']} waiting comments in one post, {races['bulk']['rounds']} "
        f"times (approve and hide with a reason in turn), each item checked under its row lock and logged "
        f"on its own: median {races['bulk']['median_ms']:.0f} ms, slowest {races['bulk']['max_ms']:.0f} ms "
        f"per post (budget 2,000 ms: {'met' if races['bulk']['max_ms'] < 2000 else 'MISSED'}); "
        f"{races['bulk']['logged']} audit entries for {races['bulk']['posted']} items, "
        f"{races['bulk']['still_waiting']} left waiting.",
        "",
        "## The proposal list without its cache",
        "",
        "The list's body is shared for LIST_CACHE_SECONDS, so the rows above measure mostly the shared "
        "page. A filter state that nobody asked for within that time is rendered afresh; in-process, "
        "one request at a time, median of 7:",
        "",
        *[f"- `{url}`: {ms:.0f} ms" for url, ms in races["cold"].items()],
        "",
        "## Similar proposals",
        "",
        f"Writing a proposal looks up similar ones among the {figures['public']:,} public proposals: "
        f"{similar['lookups']} lookups in-process, median {similar['median_ms']:.1f} ms, p95 "
        f"{similar['p95_ms']:.1f} ms, slowest {similar['max_ms']:.1f} ms (budget 200 ms: "
        f"{'met' if similar['p95_ms'] < 200 else 'MISSED'}).",
        "",
        "## Memory",
        "",
        f"Peak resident memory (VmHWM) of the {len(peaks)} workers after the run: "
        f"{', '.join(f'{kb / 1024:.0f}' for kb in peaks)} MiB (largest {max(peaks) / 1024:.0f} MiB).",
        "",
        "## Concurrency",
        "",
        f"{racing['clients']} clients registered at the same instant, four of them for each of "
        f"{racing['names']} display names: {racing['created']} accounts created, {racing['refused']} refused "
        f"with a message at the field, {racing['errors']} errors; {racing['rows']} rows in the database "
        f"({'as expected' if race_ok(racing) else 'WRONG'}).",
        "",
        f"{voting['clients']} people voted on one paragraph at the same instant, each clicking twice "
        f"({voting['requests']} requests): {voting['answered']} answered, {voting['errors']} errors; "
        f"{voting['rows_of_racers']} vote rows for them (one each), and the paragraph's counters say "
        f"{voting['counters']:,} for {voting['rows']:,} rows "
        f"({'as expected' if vote_race_ok(voting) else 'WRONG'}).",
        "",
        f"{supporting['clients']} people supported one proposal at the same instant, each clicking twice "
        f"({supporting['requests']} requests): {supporting['answered']} answered, {supporting['errors']} errors; "
        f"{supporting['rows']} support rows and a counter of {supporting['counter']} "
        f"({'as expected' if support_race_ok(supporting) else 'WRONG'}).",
        "",
    ]
    (ROOT / "bench" / "report.md").write_text("\n".join(lines), encoding="utf-8")
    print("wrote bench/report.md")


if __name__ == "__main__":
    main()
