"""Fixtures: an app per test on SQLite and (with TEST_DATABASE_URL) on PostgreSQL, clients, users;
the markers browser, slow and postgres, given here by directory, module and database."""

from __future__ import annotations

import contextvars
import os
import re
import threading
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_app_context
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import event, text

import participation.all_models  # noqa: F401 (a test file alone meets complete mappers too)
from participation import ROOT, create_app
from participation.config import TESTING
from participation.extensions import db as _db
from participation.proposals.search import empty_index
from tests.factories import PASSWORD, UserFactory

DATABASES = ["sqlite", "postgresql"]
UNIT = Path(__file__).parent / "unit"
BROWSER = Path(__file__).parent / "browser"
# modules that need 15 s of CPU time or more (measured file by file), outside tests/browser:
# `make test-fast` leaves them to `make test`
SLOW_MODULES = {
    "test_disclosure_complement.py",  # hypothesis: many generated distributions
    "test_export_memory.py",  # a hundred thousand rows, exported in fresh processes
    "test_hostile_input.py",  # every route and parameter with hostile values
    "test_html_validity.py",  # the Nu Html Checker on every page for every persona
    "test_import_limits.py",  # hostile documents parsed in fresh processes
    "test_install.py",  # a fresh venv and a wheel
    "test_measure_transfer_scale.py",  # 5,000 measures imported, exported, imported again
    "test_permission_matrix.py",  # every route and method for every persona
    "test_security.py",  # every POST route without a token, the headers of every page
    "test_xss.py",  # the payload corpora through every field holding user text
}


def pytest_sessionstart(session):
    """Compile the catalogues when the .mo files are missing or older, so plain `pytest` works too."""
    for po_path in Path(ROOT, "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return (
        f"databases: sqlite and {'PostgreSQL at ' + url if url else 'no PostgreSQL (TEST_DATABASE_URL unset: skipped)'}"
    )


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: the PostgreSQL tests must run")
    return url


def pytest_generate_tests(metafunc):
    """Each test that reaches the database runs once per database. A unit test that needs only
    an app (an app context, no table) runs once, on SQLite, where its app is cheapest."""
    if "database_url" not in metafunc.fixturenames:
        return
    databases = DATABASES
    if Path(metafunc.definition.path).is_relative_to(UNIT) and "db" not in metafunc.fixturenames:
        databases = ["sqlite"]
    metafunc.parametrize("database_url", databases, indirect=True, scope="session")


def pytest_itemcollected(item):
    """Markers by place and database: browser (tests/browser/), postgres (the PostgreSQL half)
    and slow (SLOW_MODULES), so `-m` selects without a list of files."""
    path = Path(item.path)
    if path.is_relative_to(BROWSER):
        item.add_marker(pytest.mark.browser)
    if path.name in SLOW_MODULES:
        item.add_marker(pytest.mark.slow)
    if _database_of(item) == "postgresql":
        item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The SQLite tests first and the PostgreSQL ones after, each half in the order
    pytest-randomly shuffled: each database's schema is set up once, not again at every change
    of database."""
    items.sort(key=lambda item: _database_of(item) == "postgresql")


def _database_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database_url") if callspec else None


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite')}/test.db"
    url = postgres_url()
    if not url:
        pytest.skip("PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://user@host/db to run them")
    return url


@pytest.fixture(scope="session")
def schema(database_url):
    """Create the tables once per database; tests empty them afterwards."""
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=database_url))
    with app.app_context():
        _db.drop_all()
        with _db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        _db.create_all()
    yield database_url
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


def _empty_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
        # the search index lives outside the models (participation.proposals.search)
        empty_index(_db.session)
    _db.session.commit()


@pytest.fixture
def app_config():
    """Override in a test module (or parametrize) to change settings."""
    return {}


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g`, its own
    database session. (Flask would otherwise reuse the test's app context, sharing the
    logged-in user and the language between requests.) Afterwards the test's session
    forgets what it loaded, so the test sees what the request committed. A streamed body is
    read inside that context too (buffered), where its generator runs."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # not in a test's worker thread
            _db.session.expire_all()
        return response


class CompiledTemplates(BytecodeCache):
    """Every test builds its own app, whose Jinja environment would parse and compile each
    template again (test_admin.py: 10.6 s of CPU without this, 9.6 s with it). The compiled
    code is kept for the session instead; Jinja checks each entry against the template's source
    (a checksum) before using it, so an edited template is compiled anew."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


@pytest.fixture
def app(schema, app_config):
    settings = {"SQLALCHEMY_DATABASE_URI": schema, **app_config}
    app = create_app(dict(TESTING, **settings))
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        yield app
        _wait_for_background_work()
        _db.session.rollback()
        _empty_tables()
        _db.session.remove()
        _db.engine.dispose()


def _wait_for_background_work() -> None:
    """A download may leave the open-data ZIP to a thread (participation.exports.stored), which
    holds the making lock until it has stored the file. It ends within its test: with the order
    shuffled, the next test otherwise found the lock still taken (Busy) or its rows half written."""
    for thread in threading.enumerate():
        if thread.name == "open-data":
            thread.join(timeout=60)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(db):
    """Make users: users(roles=("moderator",), confirmed=False, ...)."""

    def make(**kwargs):
        user = UserFactory(**kwargs)
        db.session.commit()
        return user

    return make


CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browser:
    """A test client that fills in forms the way a browser would, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, page_url="/") -> str:
        return csrf_token_from(self.client.get(page_url).get_data(as_text=True))

    def submit(self, page_url, data, action=None, **kwargs):
        """Open page_url, take its CSRF token, POST data to action (default: the same URL)."""
        data = dict(data)
        data.setdefault("csrf_token", self.token(page_url))
        return self.client.post(action or page_url, data=data, **kwargs)

    def login(self, email, password=PASSWORD, remember=False, unconfirmed=False):
        """Log in through the form. An account whose address is not confirmed cannot log in
        (auth.services.authenticate); with `unconfirmed`, its address is confirmed for the
        log-in and unconfirmed again after, to see what such a session may do."""
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        if not unconfirmed:
            return self.submit("/login", data)
        from participation.accounts.models import find_user_by_email
        from participation.core.models import utcnow
        from participation.extensions import db

        find_user_by_email(email).email_confirmed_at = utcnow()
        db.session.commit()
        response = self.submit("/login", data)
        find_user_by_email(email).email_confirmed_at = None
        db.session.commit()
        return response

    def logout(self):
        return self.submit("/", {}, action="/logout")


def logged_in(app, email, password=PASSWORD) -> Browser:
    """A browser of its own, logged in as `email`."""
    person = Browser(app.test_client())
    assert person.login(email, password).status_code == 302, email
    return person


@pytest.fixture
def browser(client):
    return Browser(client)


def outbox(kind: str | None = None):
    from participation.mail.models import OutboxMessage

    statement = _db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(_db.session.scalars(statement))


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body_text)
    assert match, f"no link in {message.body_text!r}"
    return match.group(0)


def queries_for(client, url) -> int:
    """How many SQL statements one GET of `url` issues (the page must answer 200)."""
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    return len(statements)
