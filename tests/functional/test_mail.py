"""The outbox: written with the event, delivered after commit or by the worker, never twice."""

from __future__ import annotations

import smtplib
import ssl
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from participation.core.models import utcnow
from participation.mail import services
from participation.mail.models import FAILED, MAX_ATTEMPTS, PENDING, SENT, OutboxMessage


def queue(n=1, to="someone@example.org"):
    for i in range(n):
        services.queue_mail(to, "password_changed", "Your password was changed", user={"display_name": f"P{i}"})


def test_mail_is_written_in_the_transaction_and_rolled_back_with_it(db):
    queue()
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    queue()
    db.session.commit()
    assert db.session.scalar(select(OutboxMessage.status)) == PENDING


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "console"}])
def test_worker_delivers_to_the_console(db, capsys):
    queue(2)
    db.session.commit()
    assert services.deliver_pending() == (2, 0)
    out = capsys.readouterr().out
    assert out.count("mail to someone@example.org") == 2
    assert set(db.session.scalars(select(OutboxMessage.status))) == {SENT}
    assert services.deliver_pending() == (0, 0)


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}])
def test_failed_delivery_is_retried_then_given_up(db):
    queue()
    db.session.commit()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert services.deliver_pending() == (0, 1)
        message = db.session.scalar(select(OutboxMessage))
        assert message.attempts == attempt and message.last_error
        if attempt < MAX_ATTEMPTS:
            assert message.status == PENDING and message.next_attempt_at > utcnow()
            assert services.deliver_pending() == (0, 0)  # waits for the back-off
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
    assert message.status == FAILED
    assert services.deliver_pending() == (0, 0)


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "console", "MAIL_DELIVER_ON_COMMIT": True}])
def test_mail_of_a_request_goes_out_after_its_commit(browser, users, db, capsys):
    users(email="reset@example.org")
    browser.submit("/password/forgot", {"email": "reset@example.org"})
    assert "mail to reset@example.org" in capsys.readouterr().out
    assert db.session.scalar(select(OutboxMessage.status)) == SENT


def test_smtp_backend_builds_a_proper_message(app, db, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"], message.get_content()))

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="mail.example.org",
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="robot",
        MAIL_PASSWORD="pw",
    )
    queue(to="kim@example.org")
    db.session.commit()
    assert services.deliver_pending() == (1, 0)
    assert sent[0] == ("connect", "mail.example.org", 587)
    assert ("starttls",) in sent and ("login", "robot") in sent
    assert sent[-1][1:3] == ("kim@example.org", "Ihr Passwort wurde geändert")


def test_parallel_workers_send_each_message_once(app, db, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks with SKIP LOCKED are a PostgreSQL feature; SQLite runs one writer anyway")
    queue(40)
    db.session.commit()
    delivered: list[int] = []
    lock = threading.Lock()

    def slow_send(message):
        with lock:
            delivered.append(message.id)

    services.BACKENDS["record"] = slow_send
    app.config["MAIL_BACKEND"] = "record"
    errors = []

    def worker():
        try:
            with app.app_context():
                services.deliver_pending(limit=100)
        except Exception as exc:  # reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        del services.BACKENDS["record"]
    assert errors == []
    assert sorted(delivered) == sorted(set(delivered)) and len(delivered) == 40
    db.session.expire_all()
    assert set(db.session.scalars(select(OutboxMessage.status))) == {SENT}
