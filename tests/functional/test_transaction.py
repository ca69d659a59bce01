"""One transaction per request (participation.core.transaction): commit on return, rollback on raise."""

from __future__ import annotations

import pytest
from flask import Response, abort, flash, stream_with_context
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from participation.accounts.models import User
from participation.extensions import db as _db
from participation.mail.models import OutboxMessage
from participation.mail.services import queue_mail
from tests.conftest import outbox
from tests.factories import PASSWORD

pytestmark = pytest.mark.parametrize(
    "app_config", [{"PROPAGATE_EXCEPTIONS": False, "MAIL_BACKEND": "console", "MAIL_DELIVER_ON_COMMIT": True}]
)


def _user(email: str) -> User:
    return _db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def routes(app):
    """Views made for these tests only, registered before the app's first request."""

    def route(path, view):
        app.add_url_rule(path, path.strip("/"), view)

    return route


def test_a_view_that_returns_is_committed_without_calling_commit(routes, users, client, db):
    person = users(email="kim@example.org", locale="de")

    def change():
        _user("kim@example.org").locale = "en"
        return "changed"

    routes("/_test/change", change)
    assert client.get("/_test/change").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, person.id).locale == "en"


@pytest.mark.parametrize("failure", ["abort", "error"])
def test_a_view_that_raises_leaves_no_change(routes, users, client, db, failure):
    person = users(email="kim@example.org", locale="de")

    def change_then_fail():
        _user("kim@example.org").locale = "en"
        db.session.flush()  # already sent to the database: the rollback must undo it
        if failure == "abort":
            abort(409)
        raise RuntimeError("something broke after the change")

    routes("/_test/fail", change_then_fail)
    assert client.get("/_test/fail").status_code == (409 if failure == "abort" else 500)
    db.session.expire_all()
    assert db.session.get(User, person.id).locale == "de"


def test_a_failed_commit_gives_the_error_page_and_stores_nothing(routes, users, client, db):
    first = users(email="first@example.org", locale="de")
    second = users(email="second@example.org")

    def clash_at_commit():
        _user("first@example.org").locale = "en"
        _user("second@example.org").email = "first@example.org"  # unique: fails at the commit's flush
        flash("Your change is saved.", "success")  # not true after all: never shown
        return "never seen"

    routes("/_test/clash", clash_at_commit)
    response = client.get("/_test/clash")
    assert response.status_code == 500
    assert "never seen" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, first.id).locale == "de"
    assert db.session.get(User, second.id).email == "second@example.org"
    assert "Your change is saved." not in client.get("/").get_data(as_text=True)


def test_mail_goes_out_after_the_commit_and_never_after_a_rollback(routes, users, client, db, capsys):
    users(email="kept@example.org")
    users(email="dropped@example.org")

    def mail_and_return():
        queue_mail(_user("kept@example.org"), "password_changed", "Your password was changed")
        return "queued"

    def mail_and_fail():
        queue_mail(_user("dropped@example.org"), "password_changed", "Your password was changed")
        abort(400)

    routes("/_test/mail", mail_and_return)
    routes("/_test/mail-fail", mail_and_fail)
    assert client.get("/_test/mail").status_code == 200
    assert client.get("/_test/mail-fail").status_code == 400
    printed = capsys.readouterr().out
    assert "mail to kept@example.org" in printed
    assert "dropped@example.org" not in printed
    assert [message.recipient for message in outbox()] == ["kept@example.org"]


def test_a_streamed_body_still_reads_the_database_after_the_commit(routes, users, client, db):
    users(email="kim@example.org", display_name="Kim")

    def stream():
        person = _user("kim@example.org")
        person.locale = "en"

        def chunks():
            yield person.display_name + ";"
            yield str(db.session.scalar(select(db.func.count(OutboxMessage.id))))

        return Response(stream_with_context(chunks()))

    routes("/_test/stream", stream)
    response = client.get("/_test/stream")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Kim;0"
    db.session.expire_all()
    assert _user("kim@example.org").locale == "en"


def test_a_login_whose_commit_fails_leaves_the_browser_logged_out(users, browser, db, monkeypatch):
    """login_user writes the cookie before the boundary commits; when the commit fails, the
    cookie must not carry a login whose database side was undone."""
    users(email="anna@example.org")
    token = browser.token("/login")

    def database_gone(self):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    with monkeypatch.context() as patched:
        patched.setattr(Session, "commit", database_gone)
        response = browser.client.post(
            "/login", data={"email": "anna@example.org", "password": PASSWORD, "csrf_token": token}
        )
    assert response.status_code == 500
    page = browser.client.get("/account/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    # and the same browser logs in once the database answers again
    assert browser.login("anna@example.org").status_code == 302
    assert browser.client.get("/account/").status_code == 200
