"""An owner whom strangers got in the way of finds their way back: a new password lifts the login
block, a lost confirmation link can be replaced, and the confirmer sees (and may change) what a
stranger chose when registering their address (issue 16, point 6, second review)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import link_in, outbox
from tests.factories import PASSWORD
from tests.functional.test_account_safety import REGISTRATION, from_address, reach_the_account_limit, reset_path

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
    assert refused.status_code == 429
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
