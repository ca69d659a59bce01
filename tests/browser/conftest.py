"""Real-browser fixtures: the app served on 127.0.0.1 with a fresh database, Debian's Chromium
driven by Playwright, and a screenshot plus the page's HTML saved for every failing test."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from participation import ROOT, create_app
from participation.config import TESTING
from participation.extensions import db
from tests.site_map import PERSONA_ACCOUNTS, seed_site

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def buffered(app):
    """The app with each response read whole and closed before the server writes it. Werkzeug's
    development server closes a response only after it has drained the socket, which raises
    when the browser already dropped the connection: a static file then stayed open, and its
    ResourceWarning failed whichever test ran next."""

    def serve(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return serve


class LiveServer:
    def __init__(self, app, site):
        self.app = app
        self.site = site
        self._server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _served(tmp_path_factory):
    """The app with a fresh seeded database of its own, served until the generator is closed."""
    database = tmp_path_factory.mktemp("live") / "live.db"
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", RATELIMIT_ENABLED=False))
    with app.app_context():
        db.create_all()
        site = seed_site()
    server = LiveServer(app, site).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    yield from _served(tmp_path_factory)


@pytest.fixture(scope="module")
def own_live_server(tmp_path_factory):
    """A server for one module's journeys that change what the others rely on (which version
    is open for comments, which phases run)."""
    yield from _served(tmp_path_factory)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _save_artifacts(request, page) -> None:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        (folder / "page.html").write_text(page.content(), encoding="utf-8")
        (folder / "url.txt").write_text(page.url, encoding="utf-8")
    except Exception as exc:  # the page may be gone; say so instead of hiding the test's failure
        (folder / "error.txt").write_text(repr(exc), encoding="utf-8")


@pytest.fixture
def context(chromium, request):
    """A fresh browser profile per test (German first, as most Kölner*innen's browsers)."""
    context = chromium.new_context(locale="de-DE", bypass_csp=getattr(request, "param", False))
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _save_artifacts(request, page)


def log_in(page, live_server, email, password, unconfirmed=False):
    """Log in through the form, whichever of the two languages the page is in. An unconfirmed
    address cannot log in; with `unconfirmed` it is confirmed for the log-in and unconfirmed
    again after, to see what such a session may do (as tests/conftest.py's Browser.login)."""
    if unconfirmed:
        _set_confirmed(live_server, email, True)
    page.goto(f"{live_server.url}/login")
    page.get_by_label(re.compile("^(E-Mail-Adresse|Email address)$")).fill(email)
    page.get_by_label(re.compile("^(Passwort|Password)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Anmelden|Log in)$")).click()
    page.wait_for_load_state()
    if unconfirmed:
        _set_confirmed(live_server, email, False)


def _set_confirmed(live_server, email, confirmed: bool) -> None:
    from participation.accounts.models import find_user_by_email
    from participation.core.models import utcnow
    from participation.extensions import db

    with live_server.app.app_context():
        find_user_by_email(email).email_confirmed_at = utcnow() if confirmed else None
        db.session.commit()


def persona_email(persona: str) -> str:
    return PERSONA_ACCOUNTS[persona][0]


def mailed(live_server, recipient, kind) -> str:
    """The text of the newest mail of `kind` to `recipient` in the app's outbox."""
    from sqlalchemy import select

    from participation.mail.models import OutboxMessage

    with live_server.app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None, f"no {kind} mail to {recipient}"
        return message.body_text


def mailed_link(live_server, recipient, kind) -> str:
    """The link in the newest mail of `kind` to `recipient`, as its reader follows it."""
    return re.search(r"https?://\S+", mailed(live_server, recipient, kind)).group(0)
