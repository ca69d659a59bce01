"""The outbox: written with the event, delivered after commit or by the worker, never twice.

The delivery tests talk to a real SMTP server (tests/smtp_sink.py, its own process) and run real
`outbox work` processes, which they kill with SIGKILL in the middle of a delivery."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select, update

from participation import ROOT
from participation.core.models import utcnow
from participation.mail import delivery, services
from participation.mail.models import FAILED, MAX_ATTEMPTS, PENDING, SENT, OutboxMessage
from tests.conftest import outbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"waited {timeout} s in vain for: {what}")


class Sink:
    """tests/smtp_sink.py as a process, and what it received."""

    def __init__(self, directory, port):
        self.directory, self.port, self.process = directory, port, None
        directory.mkdir(parents=True, exist_ok=True)

    def start(self):
        (self.directory / "ready").unlink(missing_ok=True)
        script = str(ROOT / "tests" / "smtp_sink.py")
        self.process = subprocess.Popen([sys.executable, script, str(self.port), str(self.directory)])
        wait_for(lambda: (self.directory / "ready").exists(), 20, "the SMTP server to start")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def refuse(self, code):
        path = self.directory / "refuse"
        path.write_text(code) if code else path.unlink(missing_ok=True)

    def hold(self, on=True):
        path = self.directory / "hold"
        path.write_text("") if on else path.unlink(missing_ok=True)

    def holding(self) -> bool:
        return (self.directory / "holding").exists()

    def received(self) -> list:
        folder = self.directory / "received"
        files = sorted(folder.glob("*.eml"), key=lambda path: int(path.name.split(".")[0])) if folder.exists() else []
        return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]

    def by_recipient(self) -> dict[str, list[str]]:
        """recipient -> the Message-ID of each copy received, in order."""
        copies = defaultdict(list)
        for message in self.received():
            copies[message["To"]].append(message["Message-ID"])
        return copies


@pytest.fixture
def smtp_sink(tmp_path):
    sinks = []

    def make(port=None, start=True):
        sink = Sink(tmp_path / f"sink{len(sinks)}", port or free_port())
        sinks.append(sink)
        return sink.start() if start else sink

    yield make
    for sink in sinks:
        sink.stop()


@pytest.fixture
def workers(database_url, tmp_path):
    """Start `flask --app wsgi outbox work` processes against the test database."""
    started = []

    def start(port, claim_seconds=120, interval=0.2):
        env = {
            **os.environ,
            "APP_ENV": "testing",
            "SECRET_KEY": "testing-secret",
            "DATABASE_URL": database_url,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(port),
            "MAIL_CLAIM_SECONDS": str(claim_seconds),
            "MAIL_DELIVER_ON_COMMIT": "false",
            "REDIS_URL": "",
        }
        log = (tmp_path / f"worker{len(started)}.log").open("w")
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--interval", str(interval)]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def rows(db) -> list[OutboxMessage]:
    db.session.rollback()  # see what the workers committed
    db.session.expire_all()
    found = outbox()
    db.session.rollback()
    return found


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


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1"}])
def test_a_message_refused_for_now_is_retried_then_given_up(app, db, smtp_sink):
    sink = smtp_sink()
    app.config["MAIL_PORT"] = sink.port
    sink.refuse("451")
    queue()
    db.session.commit()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert services.deliver_pending() == (0, 1)
        message = db.session.scalar(select(OutboxMessage))
        assert message.attempts == attempt and "451" in message.last_error
        if attempt < MAX_ATTEMPTS:
            assert message.status == PENDING and message.next_attempt_at > utcnow()
            assert services.deliver_pending() == (0, 0)  # waits for the back-off
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
    assert message.status == FAILED
    assert services.deliver_pending() == (0, 0)
    assert sink.received() == []


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
            sent.append(("send", message["To"], message["Subject"], message.get_content(), message["Message-ID"]))

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
    message_id = sent[-1][4]
    assert message_id == db.session.scalar(select(OutboxMessage.message_id)) and message_id.endswith("@localhost>")


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


def test_a_worker_killed_while_sending_causes_no_second_copy(db, smtp_sink, workers):
    """Worker A is killed after the server has the message but before A heard it arrived (and so
    before A could record it as sent). Worker B must not take A's messages while A holds its
    claim, and afterwards sends what A left: the interrupted message again, with the same
    Message-ID, which a receiver drops. Today's worker sent such a message with a new one."""
    sink = smtp_sink()
    count = 30
    for i in range(count):
        queue(to=f"person{i}@example.org")
    db.session.commit()
    given = {message.recipient: message.message_id for message in rows(db)}
    assert len(set(given.values())) == count and all(given.values())

    first = workers(sink.port, claim_seconds=6)
    wait_for(lambda: len(sink.received()) >= 8, 30, "worker A to send some mail")
    sink.hold()
    wait_for(sink.holding, 10, "worker A to hand over a message whose answer the server holds back")
    held = sink.received()[-1]["To"]
    second = workers(sink.port, claim_seconds=6)
    # A is alive and holds its claim: B delivers only messages nobody has claimed
    time.sleep(2)
    assert sink.by_recipient()[held] == [given[held]]
    first.send_signal(signal.SIGKILL)
    first.wait()
    sink.hold(False)
    held_row = next(message for message in rows(db) if message.recipient == held)
    assert held_row.status == PENDING and held_row.claimed_until > utcnow()

    wait_for(lambda: all(message.status == SENT for message in rows(db)), 60, "worker B to send the rest")
    assert second.poll() is None  # B still runs
    received = sink.by_recipient()
    assert set(received) == set(given)  # every queued message arrived
    for recipient, message_ids in received.items():
        assert set(message_ids) == {given[recipient]}, recipient  # one Message-ID per message, the given one
    assert received[held] == [given[held], given[held]]  # the interrupted one again, as the same message
    assert sum(len(ids) for ids in received.values()) == count + 1
    assert next(message for message in rows(db) if message.recipient == held).attempts == 2


def test_mail_waits_while_the_server_is_down_and_goes_out_soon_after_it_returns(db, smtp_sink, workers):
    port = free_port()
    for i in range(5):
        queue(to=f"waiting{i}@example.org")
    db.session.commit()
    workers(port, interval=0.5)
    waiting = wait_for(
        lambda: (found := rows(db)) and all(message.last_error for message in found) and found,
        30,
        "the worker to find the server down",
    )
    for message in waiting:
        # a server that is down costs the message none of its attempts
        assert message.status == PENDING and message.attempts == 0
        assert "ConnectionRefusedError" in message.last_error
    time.sleep(1.5)
    sink = smtp_sink(port=port)
    back = time.monotonic()
    wait_for(lambda: len(sink.received()) == 5, 60, "the waiting mail to go out")
    took = time.monotonic() - back
    print(f"the waiting mail went out {took:.1f} s after the server returned")
    assert took < 10, f"{took:.1f} s after the server returned"  # was 2 minutes
    assert all(message.status == SENT and message.last_error is None for message in rows(db))
    assert {m["Message-ID"] for m in sink.received()} == {message.message_id for message in waiting}


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1"}])
def test_failed_mail_is_listed_and_queued_again_with_its_message_id(app, db, smtp_sink):
    sink = smtp_sink()
    app.config["MAIL_PORT"] = sink.port
    sink.refuse("550")
    queue(to="kim.meier@example.org")
    queue(to="alex@example.net")
    db.session.commit()
    assert services.deliver_pending() == (0, 2)
    kim, alex = rows(db)
    assert kim.status == alex.status == FAILED and kim.attempts == 1  # refused for good: no retries
    assert "550" in kim.last_error

    runner = app.test_cli_runner()
    listing = runner.invoke(args=["outbox", "failed"])
    assert listing.exit_code == 0, listing.output
    assert "k***@example.org" in listing.output and "a***@example.net" in listing.output
    assert "kim.meier" not in listing.output and "alex@" not in listing.output
    assert "550" in listing.output and "password_changed" in listing.output and "2 failed." in listing.output

    refused = runner.invoke(args=["outbox", "retry", str(kim.id), "999"])
    assert refused.exit_code != 0 and "999" in refused.output
    assert {message.status for message in rows(db)} == {FAILED}  # nothing queued
    assert runner.invoke(args=["outbox", "retry"]).exit_code != 0

    sink.refuse(None)
    again = runner.invoke(args=["outbox", "retry", str(kim.id)])
    assert again.exit_code == 0 and f"({kim.id})" in again.output
    assert services.deliver_pending() == (1, 0)
    assert sink.by_recipient() == {"kim.meier@example.org": [kim.message_id]}

    assert runner.invoke(args=["outbox", "retry", "--all"]).exit_code == 0
    assert services.deliver_pending() == (1, 0)
    assert sink.by_recipient()["alex@example.net"] == [alex.message_id]
    assert "No failed mail." in runner.invoke(args=["outbox", "failed"]).output


def test_a_live_claim_is_respected_and_an_expired_one_taken_over(app, db):
    queue(3)
    db.session.commit()
    first, second, third = rows(db)
    later = utcnow() + timedelta(minutes=1)
    earlier = utcnow() - timedelta(seconds=1)
    for message, until in ((first, later), (second, earlier), (third, earlier)):
        db.session.get(OutboxMessage, message.id).claimed_by = "host:1:gone"
        db.session.get(OutboxMessage, message.id).claimed_until = until
    # the third's worker stopped while sending it for the last allowed time: given up, not retried forever
    db.session.get(OutboxMessage, third.id).attempts = MAX_ATTEMPTS
    db.session.get(OutboxMessage, second.id).message_id = None  # queued before Message-IDs existed
    db.session.commit()
    delivered = []
    delivery.BACKENDS["record"] = lambda message: delivered.append((message.id, message.message_id))
    app.config["MAIL_BACKEND"] = "record"
    try:
        assert services.deliver_pending() == (1, 0)
    finally:
        del delivery.BACKENDS["record"]
    first, second, third = rows(db)
    assert first.status == PENDING and first.claimed_by == "host:1:gone"  # still held
    assert delivered == [(second.id, second.message_id)] and second.message_id.endswith("@localhost>")
    assert second.status == SENT and second.claimed_by is None and second.attempts == 1
    assert third.status == FAILED and third.last_error == delivery.INTERRUPTED


def test_a_send_that_outlasted_its_claim_is_recorded_as_sent(app, db):
    """A last attempt slower than MAIL_CLAIM_SECONDS: another worker gives the message up as
    interrupted while it is being sent. When the send succeeds, the message is sent, not failed."""
    queue(1)
    db.session.commit()
    (message,) = rows(db)
    db.session.get(OutboxMessage, message.id).attempts = MAX_ATTEMPTS - 1
    db.session.commit()

    def slow_send(sending):
        # meanwhile the claim expired and another worker's round gave the message up
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == sending.id)
            .values(status=FAILED, last_error=delivery.INTERRUPTED, claimed_by=None, claimed_until=None)
        )
        db.session.commit()

    delivery.BACKENDS["slow"] = slow_send
    app.config["MAIL_BACKEND"] = "slow"
    try:
        services.deliver_pending()
    finally:
        del delivery.BACKENDS["slow"]
    (message,) = rows(db)
    assert message.status == SENT and message.last_error is None and message.sent_at is not None


def test_the_worker_outlives_a_round_that_failed(app, monkeypatch, caplog):
    """The database gone for a moment must not end the worker (a service nobody restarts)."""
    from sqlalchemy.exc import OperationalError

    rounds = []

    class Stop(Exception):
        pass

    def broken_round(limit):
        rounds.append(limit)
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    def sleep(seconds):
        if len(rounds) >= 2:
            raise Stop

    monkeypatch.setattr(delivery, "deliver_pending", broken_round)
    monkeypatch.setattr(time, "sleep", sleep)
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--interval", "0"])
    assert isinstance(result.exception, Stop) and len(rounds) == 2
    assert "server closed the connection" in caplog.text
    once = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert isinstance(once.exception, OperationalError)  # --once reports it with its exit code


def test_a_worker_asked_to_stop_finishes_its_message_and_gives_back_the_rest(db, smtp_sink, workers, tmp_path):
    """SIGTERM (systemd's stop, a deployment) in the middle of a send: the worker waits for the
    server's answer, records the message as sent, gives its other claimed messages back at once
    and exits with 0. Another worker then sends the rest: every message arrives once."""
    sink = smtp_sink()
    count = 30
    for i in range(count):
        queue(to=f"stopping{i}@example.org")
    db.session.commit()

    first = workers(sink.port)  # a claim of 120 s: only a release lets another worker go on soon
    wait_for(lambda: len(sink.received()) >= 5, 30, "the worker to send some mail")
    sink.hold()
    wait_for(sink.holding, 10, "the worker to hand over a message whose answer the server holds back")
    held = sink.received()[-1]["To"]
    first.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert first.poll() is None  # still waiting for the server's answer
    sink.hold(False)
    assert first.wait(10) == 0, (tmp_path / "worker0.log").read_text()

    after_stop = rows(db)
    arrived = {message["To"] for message in sink.received()}
    assert next(message for message in after_stop if message.recipient == held).status == SENT
    assert {message.recipient for message in after_stop if message.status == SENT} == arrived
    waiting = [message for message in after_stop if message.status != SENT]
    assert waiting and all(message.status == PENDING and message.claimed_by is None for message in waiting)
    assert all(message.attempts == 0 for message in waiting)  # given back before they were tried
    log = (tmp_path / "worker0.log").read_text()
    assert "outbox: stopped on request" in log and "Traceback" not in log

    workers(sink.port)
    wait_for(lambda: all(message.status == SENT for message in rows(db)), 30, "a second worker to send the rest")
    received = sink.by_recipient()
    assert len(received) == count and all(len(copies) == 1 for copies in received.values())


def test_an_idle_worker_stops_at_once(db, workers, tmp_path):
    """Waiting for mail, the worker hears SIGTERM at once, not after its interval."""
    worker = workers(free_port(), interval=60)
    log = tmp_path / "worker0.log"
    wait_for(lambda: "outbox: worker started" in log.read_text(), 30, "the worker to start")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(15) == 0, log.read_text()
    assert "outbox: stopped on request" in log.read_text()
