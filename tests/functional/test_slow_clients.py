"""Slow clients do not stall the site: gunicorn's sync workers behind the shipped nginx
configuration (participation/deploy/) keep serving while 50 clients send their requests a
byte at a time; gunicorn on its own stalls under the same attack, which proves the point."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import urllib.request

import pytest

from participation import create_app
from participation.config import TESTING
from participation.extensions import db
from tests.serving import DEPLOY, Gunicorn, Nginx, app_environment, have_servers, needs

pytestmark = needs(have_servers(), "needs gunicorn (test extra) and nginx (make test-tools)")

SLOW_CLIENTS = 50
ATTACK_SECONDS = 6


@pytest.fixture
def gunicorn(tmp_path):
    database_url = f"sqlite:///{tmp_path}/site.db"
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=database_url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    server = Gunicorn(tmp_path, app_environment(database_url))
    yield server
    server.stop()


class SlowClients:
    """Connections that send a request a byte every half second: 40 dawdle over their
    headers, 10 send whole headers and then dawdle over a form body."""

    def __init__(self, port: int, count: int = SLOW_CLIENTS):
        self.sockets = []
        for number in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            if number % 5 == 4:
                connection.sendall(
                    b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
                )
            self.sockets.append(connection)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.dawdle, daemon=True)
        self.thread.start()

    def dawdle(self) -> None:
        request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + b"x" * 1000
        position = 0
        while not self.stopping.wait(0.5):
            for connection in self.sockets:
                with contextlib.suppress(OSError):  # the proxy closed it: that is its job
                    connection.send(request[position : position + 1])
            position = (position + 1) % len(request)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        for connection in self.sockets:
            connection.close()


def visitor_timings(url: str, seconds: float) -> list[float]:
    """A visitor loading the home page again and again while the attack goes on; a request
    that gets no answer within 3 s counts as 3 s."""
    timings = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url + "/", timeout=3) as response:
                assert response.status == 200
                response.read()
        except OSError:
            pass
        timings.append(time.monotonic() - started)
        time.sleep(0.2)
    return timings


def under_attack(port: int, url: str) -> list[float]:
    attack = SlowClients(port)
    try:
        time.sleep(1)  # the slow requests are in: each sync worker has one, if it can be had
        return visitor_timings(url, ATTACK_SECONDS)
    finally:
        attack.stop()


def test_gunicorn_alone_is_stalled_by_slow_clients(gunicorn):
    timings = under_attack(gunicorn.port, gunicorn.url)
    assert min(timings) >= 2.9, f"a visitor got through: {timings}"


def test_behind_nginx_slow_clients_do_not_stop_other_visitors(gunicorn, tmp_path):
    proxy = Nginx(tmp_path, gunicorn.port)
    try:
        timings = under_attack(proxy.port, proxy.url)
    finally:
        proxy.stop()
    assert len(timings) >= 10
    assert max(timings) < 1.0, timings


def test_the_proxy_refuses_what_the_app_refuses():
    """client_max_body_size equals MAX_CONTENT_LENGTH, so nginx buffers no body the app refuses."""
    snippet = (DEPLOY / "nginx-proxy.conf").read_text()
    size = re.search(r"^client_max_body_size (\d+)m;", snippet, re.MULTILINE)
    config = create_app(TESTING).config
    assert size and int(size.group(1)) * 1024 * 1024 == config["MAX_CONTENT_LENGTH"]
    upload = re.search(r"documents/new\$ \{\s+client_max_body_size (\d+)m;", snippet)
    assert upload and int(upload.group(1)) * 1024 * 1024 >= config["STRATEGY_MAX_BYTES"]
    assert "proxy_request_buffering on;" in snippet
    assert "include /etc/nginx/snippets/participation-proxy.conf;" in (DEPLOY / "nginx.conf").read_text()
