"""An owner whom strangers got in the way of finds their way back: a new password lifts the login
block, a lost confirmation link can be replaced, and the confirmer sees (and may change) what a
stranger chose when registering their address (issue 16, point 6, second review)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from participation.accounts.models import User
from participation.core.audit import ModerationDecision
from tests.conftest import link_in, outbox
from tests.factories import PASSWORD
from tests.functional.test_account_safety import REGISTRATION, from_address, reach_the_account_limit, reset_path
from tests.functional.test_html_structure import problems

NEW = "ein ganz neues Passwort"
PASSWORDS = {"password": NEW, "password_confirm": NEW}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_new_password_lifts_the_login_block_for_the_owners_own_address(app, users, db):
    users(email="owner@example.org")
    reach_the_account_limit(app, "owner@example.org")
    home = from_address(app, "203.0.113.7")
    old = ["altes Passwort eins", "altes Passwort zwei", "altes Passwort drei"]
    assert [home.login("owner@example.org", password).status_code for password in old] == [422] * 3
    # now the owner's address is among the failing: refused, told how long and what helps
    refused = home.login("owner@example.org", PASSWORD)
    assert refused.status_code == 429 and problems(refused.get_data(as_text=True)) == []
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    page = soup_of(refused)
    text = page.find("main").get_text(" ", strip=True) if page.find("main") else page.get_text(" ", strip=True)
    assert "Minuten noch einmal" in text and "Sperre endet" in text
    assert page.find("a", href="/password/forgot", string="Passwort vergessen?")

    assert home.submit("/password/forgot", {"email": "owner@example.org"}).status_code == 200
    [mail] = outbox("reset_password")
    assert home.submit(reset_path(mail), {"password": NEW, "password_confirm": NEW}).status_code == 302
    # the failures were against the old password: the owner gets in from the same address
    assert home.login("owner@example.org", NEW).status_code == 302
    # and a guesser starts a new count: three tries per address again, not a block at once
    attacker = from_address(app, "198.51.100.1")
    assert attacker.login("owner@example.org", "noch ein Versuch").status_code == 422


def test_the_refusal_speaks_english_too(app, users):
    users(email="owner@example.org")
    reach_the_account_limit(app, "owner@example.org")
    home = from_address(app, "198.51.100.1")  # one of the guessing addresses
    home.submit("/", {"locale": "en"}, action="/language")
    text = home.login("owner@example.org", PASSWORD).get_data(as_text=True)
    assert "Please try again in" in text and "the block is lifted as soon as your password changes" in text


def test_confirming_with_a_new_password_lifts_the_block_as_well(app, users, db):
    stranger = from_address(app, "198.51.100.1")
    assert stranger.submit("/register", dict(REGISTRATION, email="victim@example.org")).status_code == 302
    reach_the_account_limit(app, "victim@example.org")
    owner = from_address(app, "203.0.113.7")  # tries the password they registered with, and two more
    codes = [owner.login("victim@example.org", guess).status_code for guess in ("eins", "zwei", "drei", "vier")]
    assert codes == [422] * 3 + [429]
    path = link_in(outbox("confirm_email")[0]).split("http://localhost", 1)[1]
    data = {"display_name": "Kim aus Nippes", "stakeholder_group": "residents", **PASSWORDS}
    assert owner.submit(path, data).status_code == 302
    assert owner.login("victim@example.org", NEW).status_code == 302


@pytest.mark.parametrize("token", ["not-a-valid-token", "expired"])
def test_a_dead_confirmation_link_points_to_forgot_password_which_confirms(app, users, db, token, monkeypatch):
    visitor = from_address(app, "203.0.113.7")
    assert visitor.submit("/register", dict(REGISTRATION, email="new@example.org")).status_code == 302
    path = link_in(outbox("confirm_email")[0]).split("http://localhost", 1)[1]
    if token == "expired":
        monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", timedelta(seconds=-1))
    else:
        path = "/confirm/not-a-valid-token"
    response = visitor.get(path)
    assert response.status_code == 400
    page = soup_of(response)
    assert "Passwort vergessen" in page.get_text() and "noch einmal mit derselben" not in page.get_text()
    forgot = page.find("a", href="/password/forgot")
    assert forgot is not None
    # following it gets a link that sets the password and confirms the address
    assert visitor.submit(forgot["href"], {"email": "new@example.org"}).status_code == 200
    [mail] = outbox("reset_password")
    assert visitor.submit(reset_path(mail), {"password": NEW, "password_confirm": NEW}).status_code == 302
    assert visitor.login("new@example.org", NEW).status_code == 302


def test_the_login_error_points_to_forgot_password(app, users):
    visitor = from_address(app, "203.0.113.7")
    page = soup_of(visitor.login("nobody@example.org", "irgendein Passwort"))
    assert "„Passwort vergessen?“ weiter unten erhalten Sie einen neuen" in page.find(id="password-error").get_text()
    assert page.find("a", href="/password/forgot")


def registered_by_a_stranger(app, db) -> tuple[User, str]:
    stranger = from_address(app, "198.51.100.1")
    stranger.submit("/", {"locale": "en"}, action="/language")
    data = dict(REGISTRATION, email="victim@example.org", display_name="Fremder Name", stakeholder_group="businesses")
    assert stranger.submit("/register", data).status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "victim@example.org"))
    path = link_in(outbox("confirm_email")[0]).split("http://localhost", 1)[1]
    return user, path


def test_the_confirm_page_shows_what_the_registering_person_chose(app, users, db):
    _user, path = registered_by_a_stranger(app, db)
    page = soup_of(from_address(app, "203.0.113.7").get(path))
    assert page.find(id="display_name")["value"] == "Fremder Name"
    assert page.find(id="stakeholder_group").find("option", selected=True)["value"] == "businesses"
    assert "Sprache Ihres Kontos: English" in page.get_text()


def test_the_confirmer_can_change_the_name_and_group_and_the_change_is_audited(app, users, db):
    user, path = registered_by_a_stranger(app, db)
    owner = from_address(app, "203.0.113.7")
    data = {"display_name": "Kim aus Kalk", "stakeholder_group": "residents", "password": NEW, "password_confirm": NEW}
    assert owner.submit(path, data).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.display_name, user.stakeholder_group, user.email_confirmed) == ("Kim aus Kalk", "residents", True)
    [entry] = db.session.scalars(db.select(ModerationDecision)).all()
    assert (entry.action, entry.target_id, entry.actor_id) == ("change_display_name", user.id, user.id)
    assert owner.login("victim@example.org", NEW).status_code == 302


def test_the_confirmer_keeps_their_own_names_but_cannot_take_anothers(app, users, db):
    users(email="other@example.org", display_name="Schon Vergeben")
    user, path = registered_by_a_stranger(app, db)
    # registering again with another name reserves that name for this account
    again = dict(REGISTRATION, email="victim@example.org", display_name="Reserviert Für Mich")
    assert from_address(app, "198.51.100.5").submit("/register", again).status_code == 302
    owner = from_address(app, "203.0.113.7")
    data = {"display_name": "Schon Vergeben", "stakeholder_group": "residents", **PASSWORDS}
    response = owner.submit(path, data)
    assert response.status_code == 422
    page = soup_of(response)
    assert "schon vergeben" in page.find(id="display_name-error").get_text()
    assert page.find(id="display_name")["value"] == "Schon Vergeben" and not page.find(id="password").get("value")
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed is False
    assert db.session.get(User, user.id).display_name == "Fremder Name"
    # the name reserved for this account, and the current one, are the owner's to keep
    assert owner.submit(path, dict(data, display_name="Reserviert Für Mich")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Reserviert Für Mich"


def test_an_unconfirmed_owner_is_not_offered_a_reset_beside_the_confirmation_link(app, users, db):
    registered_by_a_stranger(app, db)
    users(email="known@example.org")
    for n, email in enumerate(("victim@example.org", "known@example.org")):
        data = dict(REGISTRATION, email=email, display_name=f"Neugierig {n}")
        assert from_address(app, "198.51.100.9").submit("/register", data).status_code == 302
    unconfirmed, confirmed = outbox("register_existing")
    assert "/confirm/" in unconfirmed.body_text and "/password/forgot" not in unconfirmed.body_text
    assert "Passwort nicht mehr wissen" not in unconfirmed.body_text
    assert "/login" in confirmed.body_text and "/password/forgot" in confirmed.body_text
