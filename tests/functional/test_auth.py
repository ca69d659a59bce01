"""Registration, confirmation, login, logout and password reset, driven as a person would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from participation.accounts.models import User, find_user_by_email
from participation.auth.services import CONFIRM, RESET
from participation.auth.tokens import make_token
from participation.core.permissions import can_contribute
from tests.conftest import link_in, outbox

REGISTRATION = {
    "email": "Kim.Neu@Example.org",
    "display_name": "Kim aus Nippes",
    "stakeholder_group": "residents",
    "password": "ein langer Satz als Passwort",
    "password_confirm": "ein langer Satz als Passwort",
    "accept_terms": "y",
}


def field_error(html: str, field_id: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    error = soup.find(id=f"{field_id}-error")
    return error.get_text(" ", strip=True) if error else ""


def test_register_confirm_login_logout(browser, db):
    response = browser.submit("/register", REGISTRATION)
    assert response.status_code == 302
    user = find_user_by_email("kim.neu@example.org")
    assert user is not None and user.display_name == "Kim aus Nippes"
    assert user.roles == {"participant"} and not user.email_confirmed
    assert user.terms_accepted_at is not None
    assert not can_contribute(user)
    # not logged in yet: an address that has an account already gets the same answer
    assert response.headers["Location"] == "/login"
    assert "Bitte bestätigen Sie zuerst Ihre Adresse" in browser.get("/login").get_data(as_text=True)
    # before confirming, the password does not log in: the answer is that of a wrong one
    refused = browser.login("kim.neu@example.org", REGISTRATION["password"])
    assert refused.status_code == 422 and "noch nicht bestätigt" in field_error(
        refused.get_data(as_text=True), "password"
    )

    [mail] = outbox("confirm_email")
    assert mail.recipient == "kim.neu@example.org"
    link = link_in(mail)
    assert "/confirm/" in link
    path = link.split("localhost", 1)[1]
    assert browser.get(path).status_code == 200  # the link asks for the password
    db.session.expire_all()
    assert not db.session.get(User, user.id).email_confirmed
    response = browser.submit(
        path, {"password": REGISTRATION["password"], "password_confirm": REGISTRATION["password"]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed
    assert can_contribute(db.session.get(User, user.id))
    assert browser.get(path).status_code == 302  # confirmed already: nothing more to choose

    response = browser.login("kim.neu@example.org", REGISTRATION["password"])
    assert response.status_code == 302
    assert "Kim aus Nippes" in browser.get("/").get_data(as_text=True)
    browser.logout()
    assert "Abmelden" not in browser.get("/").get_data(as_text=True)


def test_registration_errors_stay_at_the_field_and_keep_input(browser, users):
    users(email="taken@example.org", display_name="Schon Da")
    data = dict(REGISTRATION, email="taken@example.org", display_name="schon  da", password_confirm="anders")
    response = browser.submit("/register", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "password_confirm")
    soup = BeautifulSoup(html, "html.parser")
    # what the person typed stays, except passwords
    assert soup.find(id="email")["value"] == "taken@example.org"
    assert soup.find(id="display_name")["value"] == "schon  da" or soup.find(id="display_name")["value"] == "schon da"
    assert not soup.find(id="password").get("value")
    # the summary links to the fields
    summary_links = [a["href"] for a in soup.select(".error-summary a")]
    assert "#password_confirm" in summary_links


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "x" * 250 + "@example.org"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "ab"}, "display_name"),
        ({"display_name": "n" * 41}, "display_name"),
        ({"display_name": "mail@example.org"}, "display_name"),
        ({"display_name": "bell\x07name"}, "display_name"),
        ({"display_name": "Vict\u200bim"}, "display_name"),
        ({"display_name": "\u202eVictim"}, "display_name"),
        ({"stakeholder_group": "aliens"}, "stakeholder_group"),
        ({"stakeholder_group": ""}, "stakeholder_group"),
        ({"password": "short", "password_confirm": "short"}, "password"),
        ({"password": "p" * 201, "password_confirm": "p" * 201}, "password"),
        ({"accept_terms": ""}, "accept_terms"),
    ],
)
def test_bad_registration_input_is_refused_at_its_field(browser, db, changes, field):
    response = browser.submit("/register", dict(REGISTRATION, **changes))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_taken_display_name_gets_a_message_a_known_address_does_not(browser, users, db):
    users(email="kim.neu@example.org", display_name="Kim aus Nippes")
    response = browser.submit("/register", REGISTRATION)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "display_name") and not field_error(html, "email")
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


@pytest.mark.parametrize("app_config", [{"EMAIL_CONFIRM_MAX_AGE": timedelta(seconds=-1)}])
def test_expired_confirmation_link_is_explained(browser, users, db):
    user = users(confirmed=False)
    token = make_token(CONFIRM, {"u": user.id, "e": user.email})
    response = browser.get(f"/confirm/{token}")
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).email_confirmed


@pytest.mark.parametrize("token", ["forged", "eyJ1IjoxfQ.ZZZZ.YYYY", "a" * 600])
def test_forged_confirmation_link_is_refused(browser, users, db, token):
    user = users(confirmed=False)
    assert browser.get(f"/confirm/{token}").status_code == 400
    db.session.expire_all()
    assert not db.session.get(User, user.id).email_confirmed


def test_confirmation_token_for_an_old_address_is_void(browser, users, db):
    user = users(confirmed=False)
    token = make_token(CONFIRM, {"u": user.id, "e": "previous@example.org"})
    assert browser.get(f"/confirm/{token}").status_code == 400


def test_wrong_password_gets_one_message_for_both_cases(browser, users):
    users(email="real@example.org")
    wrong_password = browser.login("real@example.org", "wrong password!")
    no_account = browser.login("nobody@example.org", "wrong password!")
    assert wrong_password.status_code == no_account.status_code == 422
    message_a = field_error(wrong_password.get_data(as_text=True), "password")
    message_b = field_error(no_account.get_data(as_text=True), "password")
    assert message_a == message_b and message_a
    soup = BeautifulSoup(wrong_password.get_data(as_text=True), "html.parser")
    assert soup.find(id="email")["value"] == "real@example.org"
    assert not soup.find(id="password").get("value")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "3 per minute"}])
def test_repeated_wrong_passwords_get_429(browser, users):
    users(email="target@example.org")
    codes = [browser.login("target@example.org", f"guess number {i}").status_code for i in range(4)]
    assert codes == [422, 422, 422, 429]
    response = browser.login("target@example.org")
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "3 per minute"}])
def test_successful_logins_do_not_use_up_the_limit(browser, users):
    users(email="often@example.org")
    for _ in range(5):
        assert browser.login("often@example.org").status_code == 302
        browser.logout()


def test_remember_me_sets_a_lasting_cookie(browser, users, client):
    users(email="stay@example.org")
    browser.login("stay@example.org", remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_logout_needs_a_post_with_token(browser, users, client):
    users(email="out@example.org")
    browser.login("out@example.org")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert browser.get("/account/").status_code == 200
    browser.logout()
    assert browser.get("/account/").status_code == 302


def test_password_reset_does_not_reveal_accounts(browser, users, db):
    users(email="known@example.org")
    known = browser.submit("/password/forgot", {"email": "known@example.org"})
    unknown = browser.submit("/password/forgot", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200

    def strip(response, email):
        # the CSRF token is signed with a timestamp: equal pages differ there across a second
        page = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "TOKEN", response.get_data(as_text=True))
        return page.replace(email, "EMAIL")

    assert strip(known, "known@example.org") == strip(unknown, "unknown@example.org")
    assert [m.recipient for m in outbox("reset_password")] == ["known@example.org"]


def test_password_reset_link_works_once_and_signs_out_old_sessions(browser, users, db, app):
    users(email="forgetful@example.org")
    other_device = app.test_client()
    from tests.conftest import Browser

    Browser(other_device).login("forgetful@example.org")
    assert other_device.get("/account/").status_code == 200

    browser.submit("/password/forgot", {"email": "forgetful@example.org"})
    path = link_in(outbox("reset_password")[0]).split("localhost", 1)[1]
    new = "ein ganz neues Passwort"
    response = browser.submit(path, {"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert browser.get(path).status_code == 400  # used up
    assert other_device.get("/account/").status_code == 302  # signed out
    assert browser.login("forgetful@example.org").status_code == 422
    assert browser.login("forgetful@example.org", new).status_code == 302
    assert [m.kind for m in outbox()][-1] == "password_changed"


def test_password_reset_mismatch_keeps_the_token_valid(browser, users):
    users(email="typo@example.org")
    browser.submit("/password/forgot", {"email": "typo@example.org"})
    path = link_in(outbox("reset_password")[0]).split("localhost", 1)[1]
    response = browser.submit(path, {"password": "ein ganz neues Passwort", "password_confirm": "anders"})
    assert response.status_code == 422
    assert browser.get(path).status_code == 200


@pytest.mark.parametrize("app_config", [{"PASSWORD_RESET_MAX_AGE": timedelta(seconds=-1)}])
def test_expired_reset_link(browser, users):
    user = users()
    token = make_token(RESET, {"u": user.id, "s": user.session_salt})
    response = browser.get(f"/password/reset/{token}")
    assert response.status_code == 400 and "abgelaufen" in response.get_data(as_text=True)


def test_blocked_user_is_told_why_and_until_when(browser, users, db):
    from participation.core.models import utcnow

    user = users(email="blocked@example.org")
    user.blocked_at = utcnow()
    user.blocked_until = utcnow() + timedelta(days=3)
    user.blocked_reason = "Beleidigungen im Forum"
    db.session.commit()
    response = (
        browser.login("blocked@example.org", follow_redirects=False) if False else browser.login("blocked@example.org")
    )
    assert response.status_code == 302
    page = browser.get("/").get_data(as_text=True)
    assert "Beleidigungen im Forum" in page
    assert "gesperrt" in page
    assert not can_contribute(user)


def test_unconfirmed_user_can_resend_the_link(browser, users):
    users(email="later@example.org", confirmed=False)
    browser.login("later@example.org", unconfirmed=True)
    response = browser.submit("/account/", {}, action="/confirm/resend")
    assert response.status_code == 302
    assert [m.recipient for m in outbox("confirm_email")] == ["later@example.org"]


def test_change_password_requires_the_current_one(browser, users):
    users(email="change@example.org")
    browser.login("change@example.org")
    new = "noch ein neues Passwort"
    wrong = browser.submit("/account/password", {"current_password": "nope", "password": new, "password_confirm": new})
    assert wrong.status_code == 422 and field_error(wrong.get_data(as_text=True), "current_password")
    right = browser.submit(
        "/account/password", {"current_password": "correct horse battery", "password": new, "password_confirm": new}
    )
    assert right.status_code == 302
    assert browser.get("/account/").status_code == 200  # this session stays signed in
    browser.logout()
    assert browser.login("change@example.org", new).status_code == 302


def test_profile_changes_and_duplicate_display_name(browser, users, db):
    users(display_name="Vergeben")
    user = users(email="me@example.org", display_name="Ich")
    browser.login("me@example.org")
    taken = browser.submit("/account/", {"display_name": "VERGEBEN", "stakeholder_group": "businesses", "locale": "de"})
    assert taken.status_code == 422 and field_error(taken.get_data(as_text=True), "display_name")
    saved = browser.submit(
        "/account/", {"display_name": "Neuer Name", "stakeholder_group": "businesses", "locale": "en"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.display_name, user.stakeholder_group, user.locale) == ("Neuer Name", "businesses", "en")
    assert '<html lang="en">' in browser.get("/account/").get_data(as_text=True)
