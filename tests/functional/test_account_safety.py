"""No one locked out by strangers: guessed logins, reset requests and registrations aimed at
someone else's account, and sessions that end on the server (issue 16, point 6)."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from participation.accounts.models import User
from tests.conftest import Browser, link_in, outbox
from tests.factories import PASSWORD


def from_address(app, address: str) -> Browser:
    """A browser whose requests come from `address`, as REMOTE_ADDR (no proxy in front)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def test_fifty_wrong_passwords_from_six_addresses_do_not_lock_the_owner_out(app, users):
    users(email="owner@example.org")
    attackers = [from_address(app, f"198.51.100.{n}") for n in range(1, 7)]
    codes = [attackers[n % 6].login("owner@example.org", f"guess number {n}").status_code for n in range(50)]
    assert codes == [422] * 50  # each address stays under its own limit (9 or 8 of 10 per minute)

    # the account's failure limit is reached: the addresses that guessed are refused now,
    # without their password being checked (even the right one would not get them in)
    assert attackers[0].login("owner@example.org", "guess number 51").status_code == 429
    assert attackers[1].login("owner@example.org", PASSWORD).status_code == 429

    # the owner, from an address of their own, with the right password, gets in
    owner = from_address(app, "203.0.113.7")
    response = owner.login("owner@example.org", PASSWORD)
    assert response.status_code == 302
    assert owner.get("/account/").status_code == 200

    # a fresh address of the attacker gets three guesses, then is refused like the others
    newcomer = from_address(app, "198.51.100.99")
    assert [newcomer.login("owner@example.org", f"guess {n}").status_code for n in range(4)] == [422] * 3 + [429]
    # other accounts are not affected
    users(email="neighbour@example.org")
    assert newcomer.login("neighbour@example.org", PASSWORD).status_code == 302


def reach_the_account_limit(app, email: str) -> None:
    attackers = [from_address(app, f"198.51.100.{n}") for n in range(1, 7)]
    assert {attackers[n % 6].login(email, f"guess number {n}").status_code for n in range(50)} == {422}


def test_an_owner_who_mistyped_during_an_attack_still_gets_in(app, users):
    users(email="owner@example.org")
    reach_the_account_limit(app, "owner@example.org")
    owner = from_address(app, "203.0.113.7")
    assert owner.login("owner@example.org", "ein Tippfehler").status_code == 422
    assert owner.login("owner@example.org", "noch ein Tippfehler").status_code == 422
    assert owner.login("owner@example.org", PASSWORD).status_code == 302


def test_an_ipv6_network_counts_as_one_address(app, users):
    users(email="owner@example.org")
    reach_the_account_limit(app, "owner@example.org")
    # every address of one /64 is the same guesser: three guesses in all, not three per address
    codes = [
        from_address(app, f"2001:db8:1:2::{n}").login("owner@example.org", "rate").status_code for n in range(1, 5)
    ]
    assert codes == [422, 422, 422, 429]
    # another /64 is another address; the owner there gets in
    assert from_address(app, "2001:db8:1:3::1").login("owner@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "3 per minute"}])
def test_the_per_address_login_limit_holds_for_a_whole_ipv6_network(app, users):
    for n in range(4):
        users(email=f"person{n}@example.org")
    codes = [
        from_address(app, f"2001:db8:7:7::{n}").login(f"person{n}@example.org", "rate").status_code for n in range(4)
    ]
    assert codes == [422, 422, 422, 429]
    assert from_address(app, "2001:db8:7:8::1").login("person3@example.org", PASSWORD).status_code == 302


def test_strangers_reset_requests_do_not_block_the_owners_reset_mail(app, users, db):
    users(email="forgetful@example.org")
    for n in range(4):  # from four addresses, each under the form's limit per address
        stranger = from_address(app, f"198.51.100.{n + 1}")
        assert stranger.submit("/password/forgot", {"email": "forgetful@example.org"}).status_code == 200
    # one mail, not four: the account's inbox is not flooded
    [first] = outbox("reset_password")

    # the owner asks a few minutes later (the mail interval has passed) and gets a mail
    first.created_at -= app.config["ACCOUNT_MAIL_INTERVAL"]
    db.session.commit()
    owner = from_address(app, "203.0.113.7")
    response = owner.submit("/password/forgot", {"email": "forgetful@example.org"})
    assert response.status_code == 200
    mails = outbox("reset_password")
    assert len(mails) == 2 and mails[-1].recipient == "forgetful@example.org"
    # and the link in it works
    path = mails[-1].body_text.split("http://localhost", 1)[1].split()[0]
    new = "ein ganz neues Passwort"
    assert owner.submit(path, {"password": new, "password_confirm": new}).status_code == 302
    assert owner.login("forgetful@example.org", new).status_code == 302


def reset_path(message) -> str:
    return message.body_text.split("http://localhost", 1)[1].split()[0]


def test_a_reset_link_outlives_a_logout_and_dies_with_the_password(app, users, db):
    users(email="forgetful@example.org")
    laptop = from_address(app, "203.0.113.7")
    assert laptop.login("forgetful@example.org").status_code == 302
    phone = from_address(app, "203.0.113.8")
    assert phone.submit("/password/forgot", {"email": "forgetful@example.org"}).status_code == 200
    [mail] = outbox("reset_password")
    # logging out on the laptop ends every session, but not the link the owner is waiting for
    laptop.logout()
    assert phone.get(reset_path(mail)).status_code == 200
    new = "ein ganz neues Passwort"
    assert phone.submit(reset_path(mail), {"password": new, "password_confirm": new}).status_code == 302
    # used once, the link is dead
    assert phone.get(reset_path(mail)).status_code == 400


def test_a_reset_request_right_after_a_dead_link_gets_a_mail(app, users, db):
    users(email="forgetful@example.org")
    owner = from_address(app, "203.0.113.7")
    assert owner.submit("/password/forgot", {"email": "forgetful@example.org"}).status_code == 200
    first = reset_path(outbox("reset_password")[0])
    new = "ein ganz neues Passwort"
    assert owner.submit(first, {"password": new, "password_confirm": new}).status_code == 302
    # the owner forgot the new one too, within the mail interval: the old link is dead, so a
    # new mail goes out at once, and its link works
    assert owner.submit("/password/forgot", {"email": "forgetful@example.org"}).status_code == 200
    mails = outbox("reset_password")
    assert len(mails) == 2
    assert owner.get(reset_path(mails[1])).status_code == 200
    # strangers still cannot flood the inbox: further requests within the interval get no mail
    for n in range(3):
        from_address(app, f"198.51.100.{n + 1}").submit("/password/forgot", {"email": "forgetful@example.org"})
    assert len(outbox("reset_password")) == 2


def copy_cookies(source, target, *names):
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value, domain=cookie.domain)


def test_a_copied_session_cookie_stops_working_after_logout(app, users):
    users(email="careful@example.org")
    owner = from_address(app, "203.0.113.7")
    assert owner.login("careful@example.org").status_code == 302
    thief = app.test_client()
    copy_cookies(owner.client, thief, "session")
    assert thief.get("/account/").status_code == 200  # the copy works while the owner is in

    owner.logout()
    assert owner.get("/account/").status_code == 302
    assert thief.get("/account/").status_code == 302  # and no longer once the owner logged out


def test_a_copied_remember_cookie_stops_working_after_logout(app, users):
    users(email="stay@example.org")
    owner = from_address(app, "203.0.113.7")
    assert owner.login("stay@example.org", remember=True).status_code == 302
    thief = app.test_client()
    copy_cookies(owner.client, thief, "remember_token")  # only the lasting cookie, no session
    assert thief.get("/account/").status_code == 200

    owner.logout()
    assert owner.client.get_cookie("remember_token") is None  # the browser forgets it
    copy = app.test_client()
    copy_cookies(thief, copy, "remember_token")  # a copy taken before the logout
    assert copy.get("/account/").status_code == 302
    assert thief.get("/account/").status_code == 302  # its session, made from the cookie, is over too


def test_a_password_change_signs_out_remembered_devices(app, users):
    users(email="moved@example.org")
    laptop = from_address(app, "203.0.113.7")
    assert laptop.login("moved@example.org", remember=True).status_code == 302
    old_phone = app.test_client()
    copy_cookies(laptop.client, old_phone, "remember_token")
    new = "noch ein neues Passwort"
    response = laptop.submit(
        "/account/password", {"current_password": PASSWORD, "password": new, "password_confirm": new}
    )
    assert response.status_code == 302
    assert laptop.get("/account/").status_code == 200  # this device stays in
    assert old_phone.get("/account/").status_code == 302


def test_a_remember_cookie_expires_on_the_server(app, users, monkeypatch):
    users(email="long@example.org")
    owner = from_address(app, "203.0.113.7")
    assert owner.login("long@example.org", remember=True).status_code == 302
    later = app.test_client()
    copy_cookies(owner.client, later, "remember_token")
    assert later.get("/account/").status_code == 200
    # the browser would have dropped the cookie by now; a copy kept elsewhere is refused as well
    lifetime = app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    later_on = time.time() + lifetime + 60
    monkeypatch.setattr("participation.accounts.login.time", SimpleNamespace(time=lambda: later_on))
    again = app.test_client()
    copy_cookies(owner.client, again, "remember_token")
    assert again.get("/account/").status_code == 302
    assert owner.get("/account/").status_code == 302  # the session of that login is over too


REGISTRATION = {
    "display_name": "Kim aus Nippes",
    "stakeholder_group": "residents",
    "password": "ein langer Satz als Passwort",
    "password_confirm": "ein langer Satz als Passwort",
    "accept_terms": "y",
}


def without_token(response) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "TOKEN", response.get_data(as_text=True))


def test_registration_does_not_tell_whether_an_address_has_an_account(app, users, db):
    users(email="known@example.org", display_name="Die Bekannte", locale="en")
    answers = []
    for email, name in (("known@example.org", "Kim aus Nippes"), ("new@example.org", "Kim aus Kalk")):
        visitor = from_address(app, "198.51.100.1")
        response = visitor.submit("/register", dict(REGISTRATION, email=email, display_name=name))
        follow = visitor.get(response.headers["Location"])
        answers.append(
            (
                response.status_code,
                response.headers["Location"],
                without_token(response),
                without_token(follow).replace(email, "EMAIL"),
                visitor.get("/account/").status_code,  # logged in or not
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, "/login")
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2  # no second account

    # the owner is told, in their own language, and the new address gets its confirmation link
    [warning] = outbox("register_existing")
    assert warning.recipient == "known@example.org"
    assert warning.subject == "Someone tried to register with your email address"
    assert "/login" in warning.body_text and "/password/forgot" in warning.body_text
    assert [m.recipient for m in outbox("confirm_email")] == ["new@example.org"]

    # a second attempt within minutes does not flood the owner's inbox
    again = from_address(app, "198.51.100.2")
    retry = dict(REGISTRATION, email="known@example.org", display_name="Kim aus Ehrenfeld")
    assert again.submit("/register", retry).status_code == 302
    assert len(outbox("register_existing")) == 1


def login_answer(visitor, email, password):
    response = visitor.login(email, password)
    return response.status_code, without_token(response).replace(email, "EMAIL")


def test_logging_in_after_registering_does_not_tell_whether_an_address_had_an_account(app, users, db):
    """Register an address with a password of one's own, then log in with it: a new account
    must answer as a known one does, with the answer for a wrong password."""
    users(email="known@example.org")
    answers = []
    for email, name in (("known@example.org", "Kim aus Nippes"), ("new@example.org", "Kim aus Kalk")):
        visitor = from_address(app, "198.51.100.1")
        assert visitor.submit("/register", dict(REGISTRATION, email=email, display_name=name)).status_code == 302
        answers.append(login_answer(visitor, email, REGISTRATION["password"]))
        assert visitor.get("/account/").status_code == 302  # not logged in
    wrong = login_answer(from_address(app, "198.51.100.2"), "known@example.org", "ein falsches Passwort")
    assert answers[0] == answers[1] == wrong
    assert answers[0][0] == 422 and "noch nicht bestätigt" in answers[0][1]


def test_a_lost_confirmation_mail_comes_again_when_registering_again(app, users, db):
    visitor = from_address(app, "198.51.100.1")
    first = visitor.submit("/register", dict(REGISTRATION, email="new@example.org"))
    again = visitor.submit("/register", dict(REGISTRATION, email="new@example.org", display_name="Kim aus Kalk"))
    assert (first.status_code, first.headers["Location"]) == (again.status_code, again.headers["Location"])
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    [mail] = outbox("register_existing")
    path = link_in(mail).split("http://localhost", 1)[1]
    assert path.startswith("/confirm/") and "/login" not in mail.body_text
    new = "ein ganz neues Passwort"
    assert visitor.submit(path, {"password": new, "password_confirm": new}).status_code == 302
    assert visitor.login("new@example.org", new).status_code == 302


def test_a_stranger_who_registered_an_address_first_cannot_log_in_when_its_owner_confirms(app, users, db):
    stranger = from_address(app, "198.51.100.1")
    assert stranger.submit("/register", dict(REGISTRATION, email="victim@example.org")).status_code == 302
    # the owner gets the confirmation mail and confirms, choosing a password of their own
    owner = from_address(app, "203.0.113.7")
    path = link_in(outbox("confirm_email")[0]).split("http://localhost", 1)[1]
    assert owner.get(path).status_code == 200
    own = "mein eigenes langes Passwort"
    assert owner.submit(path, {"password": own, "password_confirm": own}).status_code == 302
    assert stranger.login("victim@example.org", REGISTRATION["password"]).status_code == 422
    assert owner.login("victim@example.org", own).status_code == 302
    # the link is spent: it cannot set another password
    assert from_address(app, "198.51.100.3").get(path).status_code == 302


def test_a_german_owner_is_told_in_german(app, users):
    users(email="bekannt@example.org", locale="de")
    visitor = from_address(app, "198.51.100.1")
    visitor.submit("/", {"locale": "en"}, action="/language")  # the visitor reads English
    assert visitor.submit("/register", dict(REGISTRATION, email="bekannt@example.org")).status_code == 302
    [warning] = outbox("register_existing")
    assert warning.subject == "Jemand wollte sich mit Ihrer E-Mail-Adresse registrieren"


TOO_EASY = ["passwort123", "Hallo12345", "aaaaaaaaaaaa", "abcdefghijk", "1234567890", "0987654321", "qwertzuiop"]


@pytest.mark.parametrize("password", [*TOO_EASY, "iloveyou2024", "Sonnenschein!!"])
def test_a_password_too_easy_to_guess_is_refused_at_registration(browser, db, password):
    data = dict(REGISTRATION, email="kim@example.org", password=password, password_confirm=password)
    response = browser.submit("/register", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "zu leicht zu erraten" in soup.find(id="password-error").get_text()
    # what was typed in the other fields stays, the password does not
    assert soup.find(id="email")["value"] == "kim@example.org"
    assert soup.find(id="display_name")["value"] == "Kim aus Nippes"
    assert not soup.find(id="password").get("value")
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_password_too_easy_to_guess_is_refused_in_english(browser, db):
    data = dict(REGISTRATION, email="kim@example.org", password="passwort123", password_confirm="passwort123")
    response = browser.submit("/register", data, headers={"Accept-Language": "en"})
    error = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="password-error").get_text()
    assert "too easy to guess" in error


@pytest.mark.parametrize("password", TOO_EASY)
def test_a_password_too_easy_to_guess_is_refused_at_change_and_reset(app, users, password):
    users(email="me@example.org")
    me = from_address(app, "203.0.113.7")
    me.login("me@example.org")
    response = me.submit(
        "/account/password", {"current_password": PASSWORD, "password": password, "password_confirm": password}
    )
    assert response.status_code == 422
    assert "zu leicht zu erraten" in response.get_data(as_text=True)

    me.submit("/password/forgot", {"email": "me@example.org"})
    path = outbox("reset_password")[-1].body_text.split("http://localhost", 1)[1].split()[0]
    response = me.submit(path, {"password": password, "password_confirm": password})
    assert response.status_code == 422
    assert "zu leicht zu erraten" in response.get_data(as_text=True)
    me.logout()
    assert me.login("me@example.org").status_code == 302  # the old password still holds


def block(db, user):
    from participation.core.models import utcnow

    user.blocked_at = utcnow()
    user.blocked_reason = "Beleidigungen"
    db.session.commit()


def test_a_blocked_person_cannot_change_their_display_name(app, users, db):
    user = users(email="blocked@example.org", display_name="Bekannter Name")
    block(db, user)
    me = from_address(app, "203.0.113.7")
    me.login("blocked@example.org")
    page = BeautifulSoup(me.get("/account/").get_data(as_text=True), "html.parser")
    assert page.find(id="display_name") is None  # not offered
    assert "können Sie Ihren Anzeigenamen nicht ändern" in page.get_text()

    response = me.submit(
        "/account/", {"display_name": "Ganz Neuer Name", "stakeholder_group": "residents", "locale": "de"}
    )
    assert response.status_code == 403
    assert "Anzeigenamen nicht ändern" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Bekannter Name"

    # the language can still be changed
    response = me.submit("/account/", {"stakeholder_group": "residents", "locale": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    assert db.session.get(User, user.id).display_name == "Bekannter Name"


def test_display_name_changes_are_in_the_audit_log_but_not_in_the_decisions_export(app, users, db):
    from participation.core.audit import ModerationDecision

    user = users(email="renamer@example.org", display_name="Alter Name")
    users(email="root@example.org", roles=("participant", "admin"))
    me = from_address(app, "203.0.113.7")
    me.login("renamer@example.org")
    response = me.submit("/account/", {"display_name": "Neuer Name", "stakeholder_group": "residents", "locale": "de"})
    assert response.status_code == 302
    # saving the profile without a new name logs nothing
    me.submit("/account/", {"display_name": "Neuer Name", "stakeholder_group": "businesses", "locale": "de"})
    [entry] = db.session.scalars(db.select(ModerationDecision)).all()
    assert (entry.action, entry.target_type, entry.target_id, entry.actor_id) == (
        "change_display_name",
        "user",
        user.id,
        user.id,
    )

    admin = from_address(app, "203.0.113.8")
    admin.login("root@example.org")
    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "Anzeigename geändert" in audit and "Alter Name" in audit and "Neuer Name" in audit
    assert "Anzeigename geändert" in admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    # the planners' decisions export leaves decisions about accounts out
    users(email="plan@example.org", roles=("participant", "planner"))
    planner = from_address(app, "203.0.113.9")
    planner.login("plan@example.org")
    response = planner.get("/planning/exports/decisions.json")
    assert response.status_code == 200
    assert response.get_json()["decisions"] == []
    assert "Alter Name" not in response.get_data(as_text=True)


def test_the_display_name_does_not_tell_either(app, users, db):
    """Trying the same display name again after registering must not tell whether the first
    registration made an account: a known address keeps the name taken as a new one does."""
    users(email="known@example.org", display_name="Die Bekannte")
    for n, email in enumerate(("known@example.org", "new@example.org")):
        prober = from_address(app, f"198.51.100.{n + 1}")
        name = f"Probe Nummer {n}"
        assert prober.submit("/register", dict(REGISTRATION, email=email, display_name=name)).status_code == 302
        again = prober.submit("/register", dict(REGISTRATION, email=f"probe{n}@example.org", display_name=name))
        assert again.status_code == 422
        assert "schon vergeben" in again.get_data(as_text=True)
    # the owner of the known address may take the name asked for with it
    owner = from_address(app, "203.0.113.7")
    owner.login("known@example.org")
    response = owner.submit(
        "/account/", {"display_name": "Probe Nummer 0", "stakeholder_group": "residents", "locale": "de"}
    )
    assert response.status_code == 302
