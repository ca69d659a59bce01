"""A change of email address, driven through the pages as its owner and as an attacker would:
asked for on the account page with the password, confirmed with the link mailed to the new
address, told to the old one (issue 20, point 3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from participation.accounts.models import User, find_user_by_email
from participation.auth import address
from participation.auth.services import CONFIRM
from participation.auth.tokens import make_token
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from tests.conftest import Browser, link_in, logged_in, outbox
from tests.factories import PASSWORD

NEW_PASSWORD = "ein ganz neues Passwort"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(response) -> str:
    page = soup_of(response)
    return (page.find("main") or page).get_text(" ", strip=True)


def field_error(response, field_id: str) -> str:
    error = soup_of(response).find(id=f"{field_id}-error")
    return error.get_text(" ", strip=True) if error else ""


def ask(browser: Browser, new_email: str, password: str = PASSWORD):
    """The form on the account page, sent as a browser sends it."""
    return browser.submit("/account/", {"new_email": new_email, "current_password": password}, action="/account/email")


def path_of(message) -> str:
    return link_in(message).split("http://localhost", 1)[1]


def confirm_link(recipient: str) -> str:
    [message] = [m for m in outbox("email_change_confirm") if m.recipient == recipient]
    return path_of(message)


def reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_whole_change_through_the_pages(app, users, db):
    user = users(email="alt@example.org", display_name="Kim aus Kalk")
    me = logged_in(app, "alt@example.org")
    other_device = logged_in(app, "alt@example.org")

    response = ask(me, "Neu@Example.org")
    assert (response.status_code, response.headers["Location"]) == (303, "/account/#email")
    # a link to the new address; to the old one a notice without it
    [confirm] = outbox("email_change_confirm")
    assert confirm.recipient == "neu@example.org" and "/email/confirm/" in link_in(confirm)
    assert "Kim aus Kalk" in confirm.body_text and "alt@example.org" not in confirm.body_text
    [notice] = outbox("email_change_requested")
    assert notice.recipient == "alt@example.org"
    assert "neu@example.org" in notice.body_text and "/email/confirm/" not in notice.body_text
    assert "/password/forgot" in notice.body_text
    # the account page says what waits for confirmation, and the address has not changed yet
    section = soup_of(me.get("/account/")).find(id="email")
    assert "neu@example.org" in section.get_text() and section.find("button")
    assert (reload(db, user).email, reload(db, user).pending_email) == ("alt@example.org", "neu@example.org")

    # until the link is opened, the old address logs in and the new one does not
    assert Browser(app.test_client()).login("alt@example.org").status_code == 302
    assert Browser(app.test_client()).login("neu@example.org").status_code == 422

    path = confirm_link("neu@example.org")
    page = me.get(path)
    assert page.status_code == 200
    assert soup_of(page).find(id="password") is None  # logged in as the account: the button is enough
    assert "neu@example.org" in text_of(page) and "alt@example.org" not in text_of(page)
    assert reload(db, user).email == "alt@example.org"  # opening the page changes nothing
    response = me.submit(path, {})
    assert (response.status_code, response.headers["Location"]) == (302, "/account/")

    user = reload(db, user)
    assert (user.email, user.pending_email, user.pending_email_requested_at) == ("neu@example.org", None, None)
    assert me.get("/account/").status_code == 200  # this device stays logged in
    assert other_device.get("/account/").status_code == 302  # every other one is out
    [changed] = outbox("email_changed")
    assert changed.recipient == "alt@example.org" and "neu@example.org" in changed.body_text
    # the audit log records the change, not the addresses (it is kept for good)
    [entry] = db.session.scalars(select(ModerationDecision)).all()
    assert (entry.action, entry.target_type, entry.target_id, entry.actor_id) == (
        "change_email",
        "user",
        user.id,
        user.id,
    )
    recorded = " ".join(str(value) for value in (entry.reason, entry.note, entry.state_before, entry.state_after))
    assert "@" not in recorded
    users(email="root@example.org", roles=("participant", "admin"))
    audit = logged_in(app, "root@example.org").get("/admin/audit", query_string={"action": "change_email"})
    assert "Kim aus Kalk" in text_of(audit) and "@example.org" not in text_of(audit).replace("root@example.org", "")

    fresh = Browser(app.test_client())
    assert fresh.login("alt@example.org").status_code == 422
    assert fresh.login("neu@example.org").status_code == 302
    assert fresh.get(path).status_code == 400  # the link works once


def test_the_link_works_logged_out_and_asks_for_the_password(app, users, db):
    user = users(email="alt@example.org", locale="en")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    path = confirm_link("neu@example.org")

    phone = Browser(app.test_client())
    page = phone.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and soup_of(page).find(id="password") is not None
    wrong = phone.submit(path, {"password": "nicht das Passwort"})
    assert wrong.status_code == 422 and field_error(wrong, "password")
    assert not soup_of(wrong).find(id="password").get("value")  # never sent back
    assert reload(db, user).email == "alt@example.org"

    response = phone.submit(path, {"password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "neu@example.org" in text_of(phone.get("/login", headers={"Accept-Language": "en"}))
    assert reload(db, user).email == "neu@example.org"
    assert me.get("/account/").status_code == 302  # the session that asked ends too
    assert phone.login("neu@example.org").status_code == 302


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_LOGIN_ACCOUNT": "3 per hour", "RATELIMIT_ACCOUNT_FORMS": "100 per minute"}]
)
def test_guessing_the_password_behind_a_link_counts_as_at_the_login(app, users, db):
    """Whoever holds a link mailed to a mistyped address must know the password: guesses there
    count against the account like failed logins, and once it is at its limit even the right
    password waits, on the link and at the login."""
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    path = confirm_link("neu@example.org")
    stranger = Browser(app.test_client())
    for _ in range(3):
        assert stranger.submit(path, {"password": "geraten"}).status_code == 422
    refused = stranger.submit(path, {"password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert reload(db, user).email == "alt@example.org" and reload(db, user).pending_email == "neu@example.org"
    assert stranger.submit("/login", {"email": "alt@example.org", "password": PASSWORD}).status_code == 429


def test_a_wrong_password_is_an_error_at_its_field_and_nothing_is_sent(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    response = ask(me, "neu@example.org", password="falsches Passwort")
    assert response.status_code == 422
    assert "Das ist nicht Ihr aktuelles Passwort." in field_error(response, "current_password")
    page = soup_of(response)
    assert page.find(id="new_email")["value"] == "neu@example.org"  # what was typed stays
    assert not page.find(id="current_password").get("value")  # the password does not
    assert page.find(class_="error-summary").find("a", href="#current_password")
    assert outbox() == [] and reload(db, user).pending_email is None
    empty = ask(me, "", password="")
    assert empty.status_code == 422 and field_error(empty, "new_email") and field_error(empty, "current_password")


def test_the_current_address_is_refused_at_its_field(app, users, db):
    user = users(email="alt@example.org", locale="en")
    me = logged_in(app, "alt@example.org")
    response = ask(me, " ALT@example.org ")
    assert response.status_code == 422
    assert "your current email address" in field_error(response, "new_email")
    assert not field_error(response, "current_password")
    assert outbox() == [] and reload(db, user).pending_email is None


def _after_the_answer(response, browser, *addresses) -> tuple:
    """What the asker sees: the answer and the account page it leads to, addresses and times
    taken out."""
    page = browser.get(response.headers["Location"])
    text = text_of(page)
    for value in addresses:
        text = text.replace(value, "ADDRESS")
    return response.status_code, response.headers["Location"], re.sub(r"\d", "0", text)


def test_a_taken_address_gets_the_answer_of_a_free_one_and_its_owner_a_word(app, users, db):
    owner = users(email="besetzt@example.org", display_name="Besitzerin")
    asker = users(email="fragend@example.org", display_name="Gleich")
    users(email="anders@example.org", display_name="Gleich2")
    taking = logged_in(app, "fragend@example.org")
    free = logged_in(app, "anders@example.org")

    seen_taken = _after_the_answer(
        ask(taking, "besetzt@example.org"), taking, "besetzt@example.org", "fragend@example.org", "Gleich"
    )
    seen_free = _after_the_answer(
        ask(free, "frei@example.org"), free, "frei@example.org", "anders@example.org", "Gleich2"
    )
    assert seen_taken == seen_free
    # no link to the owner's address, no change to either account; the owner hears of it once
    assert [m.recipient for m in outbox("email_change_confirm")] == ["frei@example.org"]
    [word] = outbox("email_change_taken")
    assert word.recipient == "besetzt@example.org" and "fragend@example.org" not in word.body_text
    assert "/login" in word.body_text and "/password/forgot" in word.body_text
    assert sorted(m.recipient for m in outbox("email_change_requested")) == [
        "anders@example.org",
        "fragend@example.org",
    ]
    assert reload(db, owner).email == "besetzt@example.org" and reload(db, asker).email == "fragend@example.org"
    # asking again and again does not flood the owner's inbox (ACCOUNT_MAIL_MINUTES)
    another = users(email="dritte@example.org")
    assert ask(logged_in(app, another.email), "besetzt@example.org").status_code == 303
    assert len(outbox("email_change_taken")) == 1
    # and no link made for it would work: the address is the owner's
    token = address.change_token(reload(db, asker))
    assert Browser(app.test_client()).get(f"/email/confirm/{token}").status_code == 409


@pytest.mark.parametrize("app_config", [{"EMAIL_CHANGE_MAX_AGE": timedelta(seconds=-1)}])
def test_an_expired_link_gets_a_clear_page(app, users, db):
    user = users(email="alt@example.org", locale="en")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    response = me.get(confirm_link("neu@example.org"))
    assert response.status_code == 400 and "has expired" in text_of(response)
    assert soup_of(response).find("a", href="/account/#email")
    assert reload(db, user).email == "alt@example.org"
    assert "neu@example.org" not in text_of(me.get("/account/"))  # no longer shown as waiting


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ACCOUNT_FORMS": "100 per minute"}])  # many posts
def test_tampered_and_foreign_links_get_a_clear_page(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    path = confirm_link("neu@example.org")
    token = path.rsplit("/", 1)[1]
    user = reload(db, user)
    stamp = address._stamp(user.pending_email_requested_at)
    tampered = [
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # the signature
        make_token(address.CHANGE, {"u": user.id, "e": "boese@example.org", "t": stamp}),  # another address
        make_token(address.CHANGE, {"u": user.id, "e": "neu@example.org", "t": stamp - 1}),  # another request
        make_token(CONFIRM, {"u": user.id, "e": "neu@example.org"}),  # a link for something else
        make_token(address.CHANGE, {"u": "1", "e": "neu@example.org", "t": stamp}),
        make_token(address.CHANGE, ["not", "a", "dict"]),
        "a" * 600,
        "kein-token",
    ]
    for bad in tampered:
        for method in ("GET", "POST"):
            data = {"csrf_token": me.token("/account/")}
            response = me.client.open(f"/email/confirm/{bad}", method=method, data=data)
            assert response.status_code == 400, (bad, method)
            assert soup_of(response).find("h1").get_text() == "Dieser Link kann nicht verwendet werden"
    assert reload(db, user).email == "alt@example.org"
    assert me.submit(path, {}).status_code == 302  # the genuine link still works


def test_a_second_request_kills_the_first_link(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "erste@example.org").status_code == 303
    assert ask(me, "zweite@example.org").status_code == 303
    first, second = confirm_link("erste@example.org"), confirm_link("zweite@example.org")
    assert len(outbox("email_change_requested")) == 2  # the old address hears of each
    assert me.get(first).status_code == 400
    assert me.submit(first, {}).status_code == 400
    assert me.get(second).status_code == 200
    assert me.submit(second, {}).status_code == 302
    assert reload(db, user).email == "zweite@example.org"


def test_the_same_address_again_within_minutes_keeps_the_link_on_its_way(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    assert ask(me, "NEU@example.org").status_code == 303
    assert len(outbox("email_change_confirm")) == len(outbox("email_change_requested")) == 1
    assert me.submit(confirm_link("neu@example.org"), {}).status_code == 302
    assert reload(db, user).email == "neu@example.org"


@pytest.mark.parametrize("app_config", [{"ACCOUNT_MAIL_INTERVAL": timedelta(0)}])
def test_the_same_address_asked_again_later_gets_a_new_link_and_the_old_one_dies(app, users, db):
    users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    assert ask(me, "neu@example.org").status_code == 303
    first, second = (path_of(m) for m in outbox("email_change_confirm"))
    assert first != second
    assert me.get(first).status_code == 400 and me.get(second).status_code == 200


def test_cancelling_kills_the_link(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303
    path = confirm_link("neu@example.org")
    response = me.submit("/account/", {}, action="/account/email/cancel")
    assert (response.status_code, response.headers["Location"]) == (303, "/account/#email")
    assert reload(db, user).pending_email is None
    assert "neu@example.org" not in text_of(me.get("/account/"))
    assert me.get(path).status_code == 400


@pytest.mark.parametrize("how", ["account page", "reset link"])
def test_a_new_password_ends_the_pending_change(app, users, db, how):
    """The owner told of a change they did not ask for sets a new password: the link dies."""
    user = users(email="alt@example.org")
    hijacker = logged_in(app, "alt@example.org")
    assert ask(hijacker, "boese@example.org").status_code == 303
    path = confirm_link("boese@example.org")
    owner = Browser(app.test_client())
    if how == "account page":
        owner.login("alt@example.org")
        data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
        assert owner.submit("/account/password", data).status_code == 302
    else:
        assert owner.submit("/password/forgot", {"email": "alt@example.org"}).status_code == 200
        [mail] = outbox("reset_password")
        reset = path_of(mail)
        assert owner.submit(reset, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302
    assert reload(db, user).pending_email is None
    assert Browser(app.test_client()).get(path).status_code == 400
    assert reload(db, user).email == "alt@example.org"


def test_csrf_is_needed_to_ask_cancel_and_confirm(app, users, db, client):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    for data in ({}, {"csrf_token": "forged"}):
        sent = dict(data, new_email="neu@example.org", current_password=PASSWORD)
        assert me.client.post("/account/email", data=sent).status_code == 400
    assert outbox() == [] and reload(db, user).pending_email is None

    assert ask(me, "neu@example.org").status_code == 303
    path = confirm_link("neu@example.org")
    for data in ({}, {"csrf_token": "forged"}):
        assert me.client.post(path, data=data).status_code == 400
        assert me.client.post("/account/email/cancel", data=data).status_code == 400
        # a page elsewhere posting to the link: without this site's token nothing happens
        assert client.post(path, data=dict(data, password=PASSWORD)).status_code == 400
    user = reload(db, user)
    assert (user.email, user.pending_email) == ("alt@example.org", "neu@example.org")
    assert me.client.get("/account/email").status_code == 405  # no change by GET


def test_a_blocked_account_keeps_its_address(app, users, db):
    user = users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    assert ask(me, "neu@example.org").status_code == 303  # asked before the block
    path = confirm_link("neu@example.org")
    user = reload(db, user)
    user.blocked_at, user.blocked_reason = utcnow(), "Beleidigungen"
    db.session.commit()
    page = me.get("/account/")
    assert soup_of(page).find(id="new_email") is None  # no form
    response = ask(me, "anders@example.org")
    assert response.status_code == 403
    assert me.get(path).status_code == 403 and me.submit("/account/", {}, action=path).status_code == 403
    assert reload(db, user).email == "alt@example.org"
    assert len(outbox("email_change_confirm")) == 1


def test_the_first_confirmation_wins(app, users, db):
    first = users(email="eins@example.org")
    second = users(email="zwei@example.org")
    assert ask(logged_in(app, "eins@example.org"), "geteilt@example.org").status_code == 303
    assert ask(logged_in(app, "zwei@example.org"), "geteilt@example.org").status_code == 303
    one, two = (path_of(m) for m in outbox("email_change_confirm"))
    mailbox = Browser(app.test_client())
    assert mailbox.submit(one, {"password": PASSWORD}).status_code == 302
    response = mailbox.submit(two, {"password": PASSWORD})
    assert response.status_code == 409
    assert soup_of(response).find("h1").get_text() == "Dieser Link kann nicht verwendet werden"
    assert (reload(db, first).email, reload(db, second).email) == ("geteilt@example.org", "zwei@example.org")


def test_two_confirmations_at_once_leave_the_address_to_one(app, users, db, monkeypatch):
    """Both pass the check before either is written: the unique index decides, and the loser
    gets the page, not an error."""
    users(email="eins@example.org")
    second = users(email="zwei@example.org")
    assert ask(logged_in(app, "zwei@example.org"), "geteilt@example.org").status_code == 303
    path = confirm_link("geteilt@example.org")
    first = find_user_by_email("eins@example.org")
    first.email = "geteilt@example.org"  # the other confirmation, committed meanwhile
    db.session.commit()
    monkeypatch.setattr(address, "find_user_by_email", lambda email: None)  # as seen before it was
    response = Browser(app.test_client()).submit(path, {"password": PASSWORD})
    assert response.status_code == 409
    second = reload(db, second)
    assert (second.email, second.pending_email) == ("zwei@example.org", "geteilt@example.org")
    assert outbox("email_changed") == [] and db.session.scalars(select(ModerationDecision)).all() == []


def test_confirming_a_new_address_confirms_an_unconfirmed_account(app, users, db):
    user = users(email="vertippt@example.org", confirmed=False)
    me = Browser(app.test_client())
    assert me.login("vertippt@example.org", unconfirmed=True).status_code == 302  # a session from before
    assert ask(me, "richtig@example.org").status_code == 303
    assert me.submit(confirm_link("richtig@example.org"), {}).status_code == 302
    user = reload(db, user)
    assert (user.email, user.email_confirmed) == ("richtig@example.org", True)


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_MAIL_PER_ADDRESS": "2 per hour", "RATELIMIT_ACCOUNT_FORMS": "50 per minute"}]
)
def test_the_links_an_account_can_have_mailed_are_limited(app, users, db):
    users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    # wrong passwords do not use up the account's mails (the form's limit per address counts them)
    assert [ask(me, "a@example.org", password="falsch").status_code for _ in range(3)] == [422] * 3
    assert [ask(me, f"{n}@example.org").status_code for n in "bcd"] == [303, 303, 429]
    assert len(outbox("email_change_confirm")) == 2
    # another account is not held up by this one's requests
    users(email="nachbar@example.org")
    assert ask(logged_in(app, "nachbar@example.org"), "e@example.org").status_code == 303


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ACCOUNT_FORMS": "2 per minute"}])
def test_the_form_is_limited_per_client_address_like_the_other_account_forms(app, users):
    users(email="alt@example.org")
    me = logged_in(app, "alt@example.org")
    codes = [ask(me, "neu@example.org", password=f"Versuch {n}").status_code for n in range(3)]
    assert codes == [422, 422, 429]


def test_the_pages_speak_english_too(app, users, db):
    users(email="alt@example.org", locale="en")
    me = logged_in(app, "alt@example.org")
    page = text_of(me.get("/account/"))
    assert "Change email address" in page and "New email address" in page
    assert ask(me, "neu@example.org").status_code == 303
    assert "We have sent a link to neu@example.org" in text_of(me.get("/account/"))
    [mail] = outbox("email_change_confirm")
    assert mail.subject == "Please confirm your new email address" and "valid for 24 hours" in mail.body_text
    page = me.get(confirm_link("neu@example.org"))
    assert "Confirm your new email address" in text_of(page)
