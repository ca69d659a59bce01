"""Request bodies over MAX_CONTENT_LENGTH are refused with 413 also when they are sent in chunks
(no Content-Length), through a real HTTP server; error pages never send the input back."""

from __future__ import annotations

import http.client
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD


@pytest.fixture
def server(app):
    running = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running.server_port
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def chunked_post(port: int, path: str, body: bytes, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    pieces = (body[start : start + 64 * 1024] for start in range(0, len(body), 64 * 1024))
    connection.request(
        "POST",
        path,
        body=pieces,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Transfer-Encoding": "chunked",
            **(headers or {}),
        },
        encode_chunked=True,
    )
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def test_a_chunked_body_over_the_limit_gets_413_without_an_echo(app, server):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"email=someone%40example.org&password=" + b"a" * (limit + 1024 * 1024)
    status, _, page = chunked_post(server, "/login", body)
    assert status == 413
    assert len(page) < 20_000 and b"aaaaaaaaaa" not in page


def test_a_chunked_body_under_the_limit_is_read_as_usual(app, users, server):
    users(email="chunk@example.org")
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = SimpleCookie(response.getheader("Set-Cookie"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": "chunk@example.org", "password": PASSWORD}).encode()
    session = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
    status, _, _ = chunked_post(server, "/login", body, {"Cookie": session})
    assert status == 302, status


def test_a_long_body_gets_413_without_an_echo(client, app):
    response = client.post("/login", data={"email": "x@example.org", "password": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert len(response.data) < 20_000 and b"aaaaaaaaaa" not in response.data


def test_a_form_shown_again_keeps_only_a_bounded_part_of_what_was_typed(users, browser, db):
    from bs4 import BeautifulSoup

    from participation.drafts.importer import MAX_PARAGRAPH_CHARS, apply_draft, parse_markdown
    from participation.drafts.services import create_version

    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")
    version = create_version(None, "Entwurf")
    apply_draft(version, parse_markdown("# Kapitel\n\nEin Absatz.\n"))
    db.session.commit()
    paragraph_id = version.chapters[0].paragraphs[0].id
    typed = "Kölner*innen " * 35_000  # 455,000 characters: under the form limit, far over the field's
    response = browser.submit(f"/planning/paragraphs/{paragraph_id}", {"subheading": "", "text": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert len(page) < 100_000
    shown = BeautifulSoup(page, "html.parser").find("textarea", attrs={"name": "text"}).get_text()
    assert typed.startswith(shown.lstrip("\r\n")) and len(shown.lstrip("\r\n")) == 2 * MAX_PARAGRAPH_CHARS
    assert db.session.get(type(version.chapters[0].paragraphs[0]), paragraph_id).text == "Ein Absatz."
