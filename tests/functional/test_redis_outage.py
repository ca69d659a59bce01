"""Redis down or frozen is not an outage: the rate limits go on in memory, fast, and return to
Redis when it answers again. Each test runs its own redis-server on a free port and kills or
freezes it (SIGSTOP) while a person logs in, votes and comments."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import time

import pytest
import redis

from participation.extensions import limiter
from tests.conftest import Browser, csrf_token_from
from tests.drafting import first_paragraph
from tests.factories import PASSWORD
from tests.serving import free_port, needs

pytestmark = needs(bool(shutil.which("redis-server")), "needs redis-server (apt package redis-server)")

FAST = 1.0  # seconds: the most any request may take while Redis is down or frozen


class RedisServer:
    """A redis-server of the test's own, never the one on 6379."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def keys(self) -> list[bytes]:
        return redis.Redis(port=self.port, socket_timeout=2).keys("*")

    def flush(self) -> None:
        redis.Redis(port=self.port, socket_timeout=2).flushall()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.thaw()
        server.kill()


@pytest.fixture
def app_config(redis_server):
    return {"RATELIMIT_STORAGE_URI": redis_server.url, "REDIS_URL": redis_server.url}


@pytest.fixture(autouse=True)
def fresh_limiter_state():
    """The limiter is one object for every app a test process builds: leave it as found."""
    limiter._storage_dead = False
    yield
    limiter._storage_dead = False
    limiter._storage_options.clear()


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def post_timed(browser: Browser, page_url, action, data):
    data = dict(data, csrf_token=browser.token(page_url))
    return timed(browser.client.post, action, data=data)


def participate(app, draft, email):
    """Log in, vote and comment; each answer normal and within FAST seconds."""
    paragraph = first_paragraph(draft)
    person = Browser(app.test_client())
    login, seconds = post_timed(person, "/login", "/login", {"email": email, "password": PASSWORD})
    assert login.status_code == 302 and seconds < FAST, (login.status_code, seconds)
    page = f"/masterplan/paragraphs/{paragraph.id}"
    vote, seconds = post_timed(person, page, f"{page}/vote", {"choice": "agree"})
    assert vote.status_code == 303 and seconds < FAST, (vote.status_code, seconds)
    comment, seconds = post_timed(person, page, f"{page}/comments", {"body": "Trotz Ausfall", "kind": "addition"})
    assert comment.status_code == 303 and seconds < FAST, (comment.status_code, seconds)
    return person


def login_limit_trips(app, email) -> None:
    """RATELIMIT_LOGIN (10 failed logins a minute per address) still holds, counted in memory."""
    stranger = Browser(app.test_client())
    token = csrf_token_from(stranger.get("/login").get_data(as_text=True))
    answers = []
    for _ in range(11):
        response, seconds = timed(
            stranger.client.post, "/login", data={"csrf_token": token, "email": email, "password": "wrong guess"}
        )
        assert seconds < FAST
        answers.append(response.status_code)
    assert answers == [422] * 10 + [429]


def health(client) -> dict:
    response, seconds = timed(client.get, "/healthz")
    assert response.status_code == 200 and seconds < FAST, (response.status_code, seconds)
    return response.get_json()


def wait_until_limits_use_redis(app, server: RedisServer, email) -> None:
    """Flask-Limiter checks the store again at growing intervals; a failed login must soon be
    counted in Redis again (no key there while the limits are kept in memory)."""
    server.flush()
    person = Browser(app.test_client())
    token = csrf_token_from(person.get("/login").get_data(as_text=True))
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        response = person.client.post("/login", data={"csrf_token": token, "email": email, "password": "typo"})
        assert response.status_code in {422, 429}
        if server.keys():
            return
        time.sleep(0.5)
    pytest.fail("the rate limits did not return to Redis within 40 s")


def store_messages(caplog) -> tuple[int, int]:
    messages = [record.getMessage() for record in caplog.records if record.name == "participation"]
    return (
        sum("rate-limit store unreachable" in message for message in messages),
        sum("rate-limit store answers again" in message for message in messages),
    )


def test_limits_go_to_redis_while_it_answers(app, client, users, draft, redis_server):
    users(email="ada@example.org")
    assert health(client)["rate_limit_store"] == "ok"
    login_limit_trips(app, "ada@example.org")
    assert redis_server.keys(), "the limits are counted in Redis"
    assert health(client)["status"] == "ok"


def test_a_killed_redis_is_no_outage(app, client, users, draft, redis_server, caplog):
    caplog.set_level(logging.WARNING)
    users(email="ada@example.org")
    users(email="bo@example.org")
    redis_server.kill()

    participate(app, draft, "ada@example.org")
    login_limit_trips(app, "bo@example.org")
    report = health(client)
    assert report["status"] == "degraded" and report["rate_limit_store"] == "down"
    assert report["database"] == "ok"
    assert store_messages(caplog) == (1, 0), "said once, not per request"

    redis_server.start()  # the same port again
    wait_until_limits_use_redis(app, redis_server, "bo@example.org")
    assert health(client)["rate_limit_store"] == "ok"
    assert store_messages(caplog) == (1, 1)


def test_a_frozen_redis_does_not_hold_the_workers(app, client, users, draft, redis_server, caplog):
    caplog.set_level(logging.WARNING)
    users(email="ada@example.org")
    users(email="bo@example.org")
    health(client)  # a pooled connection to Redis exists before it freezes
    redis_server.freeze()

    participate(app, draft, "ada@example.org")
    login_limit_trips(app, "bo@example.org")
    report = health(client)
    assert report["status"] == "degraded" and report["rate_limit_store"] == "down"
    assert store_messages(caplog) == (1, 0)

    redis_server.thaw()
    wait_until_limits_use_redis(app, redis_server, "bo@example.org")
    assert health(client)["rate_limit_store"] == "ok"
    assert store_messages(caplog) == (1, 1)
