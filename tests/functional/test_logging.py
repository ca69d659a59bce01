"""The log: one line per request with method, path, status, duration and account, never an
address, a token or what a form sent; and one traceback per failed request."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import logged_in

LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d) ms user=(?P<user>\S+)$")


def request_lines(caplog) -> list[dict]:
    lines = [record.getMessage() for record in caplog.records if record.name == "participation.requests"]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [match.groupdict() for match in matches]


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="participation")
    return caplog


def test_every_request_logs_one_line(client, users, app, request_log):
    ada = users(email="ada.lovelace@example.org", display_name="Ada")
    client.get("/proposals/?q=geheim&page=1")
    [line] = request_lines(request_log)
    assert (line["method"], line["path"], line["status"], line["user"]) == ("GET", "/proposals/", "200", "-")
    assert "geheim" not in request_log.text

    request_log.clear()
    person = logged_in(app, "ada.lovelace@example.org")
    person.get("/account/")
    person.get("/nowhere")
    lines = request_lines(request_log)
    assert [(line["method"], line["path"], line["status"]) for line in lines][-3:] == [
        ("POST", "/login", "302"),
        ("GET", "/account/", "200"),
        ("GET", "/nowhere", "404"),
    ]
    assert lines[-1]["user"] == lines[-2]["user"] == str(ada.id)
    assert "ada.lovelace" not in request_log.text and "password" not in request_log.text.lower()


def test_a_token_in_the_path_is_not_logged(client, request_log):
    token = "InRva2VuLWZvci10aGUtdGVzdCI.aBcDeF.0123456789abcdefghijklmnopq"
    client.get(f"/password/reset/{token}")
    client.get(f"/mail/stop/{token}?x=1")
    client.get(f"/no-such-page/{token}")  # no route: masked all the same
    assert token not in request_log.text
    assert [line["path"] for line in request_lines(request_log)] == [
        "/password/reset/[token]",
        "/mail/stop/[token]",
        "/no-such-page/[token]",
    ]


@pytest.fixture
def failing_app(app):
    """The app as in production, where a failure is answered with the error page and logged
    (the tests' default passes it to the test instead), with two views that fail."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def plain():
        raise RuntimeError("something broke")

    def database():
        try:
            raise ConnectionError("server closed the connection unexpectedly")
        except ConnectionError as driver_error:
            raise OperationalError("SELECT 1", {}, driver_error) from driver_error

    app.add_url_rule("/_test/plain", "test_plain", plain)
    app.add_url_rule("/_test/database", "test_database", database)
    return app


@pytest.mark.parametrize("path", ["/_test/plain", "/_test/database"])
def test_a_failing_request_logs_one_traceback(failing_app, request_log, path):
    response = failing_app.test_client().get(path)
    assert response.status_code == 500
    errors = [record for record in request_log.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert request_log.text.count("Traceback (most recent call last)") == 1, request_log.text
    assert [(line["path"], line["status"]) for line in request_lines(request_log)] == [(path, "500")]
