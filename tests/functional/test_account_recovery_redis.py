"""The login throttle with its counters in a real Redis (a server of the test's own): the refusal
says how long it lasts, and a new password lifts it, as in memory."""

from __future__ import annotations

from tests.conftest import outbox
from tests.factories import PASSWORD
from tests.functional.test_account_safety import from_address, reach_the_account_limit, reset_path
from tests.functional.test_redis_outage import app_config, fresh_limiter_state, redis_server  # noqa: F401

NEW = "ein ganz neues Passwort"


def test_a_new_password_lifts_the_block_counted_in_redis(app, users, redis_server):  # noqa: F811
    users(email="owner@example.org")
    reach_the_account_limit(app, "owner@example.org")
    stored = redis_server.keys()
    assert any(b"login-failures" in key for key in stored)
    home = from_address(app, "203.0.113.7")
    assert [home.login("owner@example.org", f"altes Passwort {n}").status_code for n in range(3)] == [422] * 3
    refused = home.login("owner@example.org", PASSWORD)
    assert refused.status_code == 429
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600  # the hour of the account's window
    assert "Bitte versuchen Sie es in 60 Minuten noch einmal" in refused.get_data(as_text=True)

    assert home.submit("/password/forgot", {"email": "owner@example.org"}).status_code == 200
    [mail] = outbox("reset_password")
    assert home.submit(reset_path(mail), {"password": NEW, "password_confirm": NEW}).status_code == 302
    # the owner's address is heard again: the count began anew with the new password
    assert home.login("owner@example.org", NEW).status_code == 302
