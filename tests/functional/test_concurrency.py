"""Races against the unique constraints, with real parallel requests on PostgreSQL.
Setup is committed first: a transaction around the test would hide the race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from participation.accounts.models import User
from tests.conftest import Browser
from tests.functional.test_auth import REGISTRATION


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_parallel_registrations_with_one_name_create_one_account(app, db, postgres_only):
    clients = []
    for _ in range(12):
        browser = Browser(app.test_client())
        clients.append((browser, browser.token("/register")))
    start = threading.Barrier(len(clients))
    statuses = []

    def register(browser, token, n):
        start.wait()
        data = dict(REGISTRATION, email=f"racer{n}@example.org", display_name="Der Schnellste", csrf_token=token)
        statuses.append(browser.client.post("/register", data=data).status_code)

    threads = [threading.Thread(target=register, args=(b, t, n)) for n, (b, t) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [422] * (len(clients) - 1)
    assert db.session.scalar(select(func.count(User.id))) == 1
