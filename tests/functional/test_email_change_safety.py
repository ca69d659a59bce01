"""A change of email address made by someone who knew the password, and the links that could
outlive it: the notice to the previous address undoes the change, links mailed to an address
die when the account leaves it, and two confirmations at once change once (the security review
of issue 20, point 3)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from participation.accounts.models import User
from participation.core.audit import ModerationDecision
from tests.conftest import Browser, logged_in, outbox
from tests.factories import PASSWORD
from tests.functional.test_email_change import (
    NEW_PASSWORD,
    ask,
    confirm_link,
    path_of,
    reload,
    soup_of,
    text_of,
)

ANOTHER_PASSWORD = "noch ein ganz anderes Passwort"


def changed(app, old: str, new: str) -> Browser:
    """`old`'s account takes `new` through the pages, as whoever knows the password would; the
    browser that did it."""
    hijacker = logged_in(app, old)
    assert ask(hijacker, new).status_code == 303
    assert hijacker.submit(confirm_link(new), {}).status_code == 302
    return hijacker


def revert_link(old: str) -> str:
    [notice] = [m for m in outbox("email_changed") if m.recipient == old][-1:]
    assert "/email/revert/" in path_of(notice)
    return path_of(notice)


def entries(db, action: str) -> list[ModerationDecision]:
    return list(db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == action)))


def test_the_notice_to_the_old_address_takes_the_account_back(app, users, db):
    user = users(email="alt@example.org", display_name="Kim aus Kalk")
    owner_elsewhere = logged_in(app, "alt@example.org")
    hijacker = changed(app, "alt@example.org", "boese@example.org")
    # the hijacker also sets a password of their own and asks for yet another address
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert hijacker.submit("/account/password", data).status_code == 302
    hijacker = logged_in(app, "boese@example.org", NEW_PASSWORD)
    assert ask(hijacker, "noch-boeser@example.org", password=NEW_PASSWORD).status_code == 303

    path = revert_link("alt@example.org")
    [notice] = outbox("email_changed")
    assert "7" in notice.body_text and "/imprint" in notice.body_text
    owner = Browser(app.test_client())
    page = owner.get(path)
    assert page.status_code == 200 and "alt@example.org" in text_of(page)
    assert reload(db, user).email == "boese@example.org"  # opening the page changes nothing
    response = owner.submit(path, {})
    assert response.status_code == 302 and "/password/reset/" in response.headers["Location"]

    user = reload(db, user)
    assert (user.email, user.pending_email) == ("alt@example.org", None)
    # every session is out, the hijacker's password and the old one no longer work
    assert hijacker.get("/account/").status_code == 302 and owner_elsewhere.get("/account/").status_code == 302
    for email, password in (("boese@example.org", NEW_PASSWORD), ("alt@example.org", NEW_PASSWORD)):
        assert Browser(app.test_client()).login(email, password).status_code == 422
    assert Browser(app.test_client()).login("alt@example.org", PASSWORD).status_code == 422
    # the owner chooses a new password right away, and logs in with the old address
    reset = response.headers["Location"]
    assert "alt@example.org" in text_of(owner.get(reset))  # the flash says which address is back
    chosen = {"password": ANOTHER_PASSWORD, "password_confirm": ANOTHER_PASSWORD}
    assert owner.submit(reset, chosen).status_code == 302
    assert Browser(app.test_client()).login("alt@example.org", ANOTHER_PASSWORD).status_code == 302
    assert Browser(app.test_client()).login("boese@example.org", ANOTHER_PASSWORD).status_code == 422
    # the pending change the hijacker asked for is dead
    assert Browser(app.test_client()).get(confirm_link("noch-boeser@example.org")).status_code == 400

    # audited like the change, without the addresses; the link works once
    [change] = entries(db, "change_email")
    [undone] = entries(db, "revert_email")
    assert (undone.actor_id, undone.target_type, undone.target_id) == (user.id, "user", user.id)
    assert f'"undid": {change.id}' in undone.state_after and "@" not in undone.state_after
    again = Browser(app.test_client())
    assert again.get(path).status_code == 400
    assert again.submit("/login", {}, action=path).status_code == 400
    assert reload(db, user).email == "alt@example.org" and len(entries(db, "revert_email")) == 1


def test_undoing_an_earlier_change_voids_the_later_ones_links_but_not_the_reverse(app, users, db):
    """The hijacker changes twice and undoes the second change with the link sent to their own
    address: the owner's link (of the first change) still wins, and after it, the hijacker's
    link is dead."""
    user = users(email="alt@example.org")
    changed(app, "alt@example.org", "boese@example.org")
    owners = revert_link("alt@example.org")
    changed(app, "boese@example.org", "zweite@example.org")
    hijackers = revert_link("boese@example.org")
    assert Browser(app.test_client()).submit(hijackers, {}).status_code == 302
    assert reload(db, user).email == "boese@example.org"
    assert Browser(app.test_client()).submit(owners, {}).status_code == 302
    assert reload(db, user).email == "alt@example.org"
    assert Browser(app.test_client()).submit(hijackers, {}).status_code == 400
    assert reload(db, user).email == "alt@example.org"


@pytest.mark.parametrize("app_config", [{"EMAIL_CHANGE_REVERT_MAX_AGE": timedelta(seconds=-1)}])
def test_an_expired_undo_link_is_refused(app, users, db):
    user = users(email="alt@example.org", locale="en")
    changed(app, "alt@example.org", "neu@example.org")
    path = revert_link("alt@example.org")
    owner = Browser(app.test_client())
    page = owner.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "has expired" in text_of(page)
    assert soup_of(page).find("a", href="/pages/imprint") is not None
    assert owner.submit("/login", {}, action=path).status_code == 400
    assert reload(db, user).email == "neu@example.org"


def test_an_old_address_taken_meanwhile_is_not_taken_back(app, users, db):
    user = users(email="alt@example.org", locale="en")
    changed(app, "alt@example.org", "neu@example.org")
    path = revert_link("alt@example.org")
    users(email="alt@example.org", display_name="Jemand anderes")  # registered with the free address
    owner = Browser(app.test_client())
    page = owner.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 409 and "belongs to another account" in text_of(page)
    assert owner.submit("/login", {}, action=path, headers={"Accept-Language": "en"}).status_code == 409
    user = reload(db, user)
    assert user.email == "neu@example.org" and user.check_password(PASSWORD)
    assert entries(db, "revert_email") == []


def test_a_reset_link_mailed_to_the_old_address_dies_with_the_change(app, users, db):
    user = users(email="alt@example.org")
    assert Browser(app.test_client()).submit("/password/forgot", {"email": "alt@example.org"}).status_code == 200
    [mail] = outbox("reset_password")
    reset = path_of(mail)
    assert Browser(app.test_client()).get(reset).status_code == 200  # valid until the change
    changed(app, "alt@example.org", "neu@example.org")
    stranger = Browser(app.test_client())  # who now reads the old mailbox
    assert stranger.get(reset).status_code == 400
    chosen = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert stranger.submit("/login", chosen, action=reset).status_code == 400
    assert reload(db, user).check_password(PASSWORD)


def test_a_confirmation_link_mailed_to_the_old_address_dies_with_the_change(app, users, db):
    """An unconfirmed account (logged in from before) moves to another address: the confirmation
    link still in the old mailbox opens nothing."""
    user = users(email="vertippt@example.org", confirmed=False)
    me = Browser(app.test_client())
    assert me.login("vertippt@example.org", unconfirmed=True).status_code == 302
    assert me.submit("/account/", {}, action="/confirm/resend").status_code == 302
    [mail] = outbox("confirm_email")
    confirm = path_of(mail)
    assert ask(me, "richtig@example.org").status_code == 303
    assert me.submit(confirm_link("richtig@example.org"), {}).status_code == 302
    assert Browser(app.test_client()).get(confirm).status_code == 400
    assert reload(db, user).email == "richtig@example.org"


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_two_confirmations_of_one_link_at_once_change_once(app, users, db, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    user = users(email="alt@example.org")
    db.session.commit()
    assert ask(logged_in(app, "alt@example.org"), "neu@example.org").status_code == 303
    db.session.commit()
    path = confirm_link("neu@example.org")
    browsers = []
    for _ in range(4):
        browser = Browser(app.test_client())
        browsers.append((browser, browser.token(path)))
    start = threading.Barrier(len(browsers))
    statuses = []

    def confirm(browser, token):
        start.wait()
        statuses.append(browser.client.post(path, data={"csrf_token": token, "password": PASSWORD}).status_code)

    threads = [threading.Thread(target=confirm, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert sorted(statuses) == [302] + [400] * (len(browsers) - 1)
    assert db.session.get(User, user.id).email == "neu@example.org"
    assert len(entries(db, "change_email")) == 1 and len(outbox("email_changed")) == 1
