"""Real servers for the fault tests: gunicorn with sync workers, and nginx with the shipped
proxy configuration (participation/deploy/), each on a free port with its files in a
temporary directory."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from participation import ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = ROOT / "participation" / "deploy"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def have_servers() -> bool:
    return GUNICORN.exists() and os.access(NGINX, os.X_OK)


def needs(available: bool, reason: str):
    """Skip a fault test whose server program is missing, except in CI (REQUIRE_POSTGRES, set by
    .ci/run, whose `make test` installs them): there the run fails, so no fault test vanishes."""
    if not available and os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail(f"{reason}: CI must run this test", pytrace=False)
    return pytest.mark.skipif(not available, reason=reason)


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()}")


def app_environment(database_url: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="testing",
        SECRET_KEY="serving-test-secret",
        DATABASE_URL=database_url,
        MAIL_BACKEND="none",
        SESSION_COOKIE_SECURE="false",
        PUBLIC_BASE_URL="http://127.0.0.1",
        REDIS_URL="",
    )
    env.update(extra)
    return env


class Server:
    """A server process on 127.0.0.1:port, stopped gently and killed when it does not stop."""

    port: int
    process: subprocess.Popen
    stop_seconds = 10

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Gunicorn(Server):
    """`gunicorn --workers 2 wsgi:app` (sync workers, the production command)."""

    stop_seconds = 20

    def __init__(self, directory: Path, env: dict, workers: int = 2):
        self.port = free_port()
        self.log = directory / "gunicorn.log"
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for(f"{self.url}/healthz", self.process, self.log)


class Nginx(Server):
    """nginx with the shipped proxy snippet, in front of `upstream_port`, own prefix and pid."""

    def __init__(self, directory: Path, upstream_port: int):
        self.port = free_port()
        self.prefix = directory / "nginx"
        self.prefix.mkdir()
        self.log = self.prefix / "error.log"
        user = "user root;" if os.geteuid() == 0 else ""  # workers may enter the temp dirs
        config = self.prefix / "nginx.conf"
        config.write_text(
            f"""
{user}
daemon off;
worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.log} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.prefix}/body;
    proxy_temp_path {self.prefix}/proxy;
    fastcgi_temp_path {self.prefix}/fastcgi;
    uwsgi_temp_path {self.prefix}/uwsgi;
    scgi_temp_path {self.prefix}/scgi;
    upstream participation_app {{ server 127.0.0.1:{upstream_port}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{self.port};
        include {DEPLOY / "nginx-proxy.conf"};
    }}
}}
"""
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(config), "-e", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_for(f"{self.url}/healthz", self.process, self.log)


class TcpRelay:
    """Forwards 127.0.0.1:port to target, until cut(): then every connection is closed and new
    ones are refused, as when the database server goes away."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.cut_off = False
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off:
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.connections += [client, upstream]
            threading.Thread(target=self.pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self.pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.cut_off = True
        with contextlib.suppress(OSError):  # wakes the blocked accept(); close() alone would not
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()


class WebClient:
    """A browser of sorts over HTTP: keeps cookies, follows redirects, fills in CSRF tokens."""

    def __init__(self, base_url: str, language: str = "de"):
        self.base_url = base_url
        self.language = language
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None, timeout: float = 10) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Accept-Language": self.language})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, email: str, password: str) -> tuple[int, str]:
        _, page = self.request("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return self.request("/login", {"csrf_token": token, "email": email, "password": password})
