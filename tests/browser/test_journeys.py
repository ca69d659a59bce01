"""Journeys through the site in Chromium, found by label and role as a person finds them."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from participation.accounts.models import User, find_user_by_email
from participation.extensions import db
from tests.browser.conftest import log_in, mailed_link, persona_email
from tests.factories import PASSWORD


def test_register_confirm_login_switch_language_logout(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("link", name="Registrieren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrieren")

    # first attempt: forgets the consent; the error is announced and what was typed stays
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.get_by_label("Anzeigename").fill("Lena aus Kalk")
    page.get_by_label("Ich nehme teil als").select_option(label="Einwohner*innen")
    page.get_by_label("Passwort", exact=True).fill("Rheinufer bei Nacht")
    page.get_by_label("Passwort wiederholen").fill("Rheinufer bei Nacht")
    page.get_by_role("button", name="Konto anlegen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Anzeigename")).to_have_value("Lena aus Kalk")
    expect(page.get_by_label("Passwort", exact=True)).to_have_value("")

    page.get_by_label("Passwort", exact=True).fill("Rheinufer bei Nacht")
    page.get_by_label("Passwort wiederholen").fill("Rheinufer bei Nacht")
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
    page.get_by_role("button", name="Konto anlegen").click()
    # not logged in yet: the answer is the same whether the address has an account or not
    expect(page.get_by_role("status").first).to_contain_text("E-Mail an lena@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")

    page.goto(mailed_link(live_server, "lena@example.org", "confirm_email"))
    # the link confirms the address together with the password chosen there
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse bestätigen")
    page.get_by_label("Passwort", exact=True).fill("Rheinufer bei Nacht")
    page.get_by_label("Passwort wiederholen").fill("Rheinufer bei Nacht")
    page.get_by_role("button", name="Adresse bestätigen und Passwort speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("bestätigt")
    log_in(page, live_server, "lena@example.org", "Rheinufer bei Nacht")
    expect(page.get_by_role("region", name="Kontostatus")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Mein Konto"))).to_contain_text("Lena aus Kalk")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=re.compile("My account"))).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    with live_server.app.app_context():
        assert find_user_by_email("lena@example.org").locale == "en"


def test_admin_gives_a_role_and_blocks_an_account(page, live_server):
    log_in(page, live_server, persona_email("admin"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Nutzer*innen, Rollen und Sperren").click()
    page.get_by_label("Anzeigename oder E-Mail-Adresse").fill("Target Person")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("link", name="Target Person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Target Person")

    page.get_by_label("Moderator*in").check()
    page.get_by_role("button", name="Rollen speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Rollen")
    expect(page.get_by_label("Moderator*in")).to_be_checked()

    page.get_by_label("Begründung (wird der Person angezeigt)").fill("Wiederholt beleidigend (Test)")
    page.get_by_role("button", name="Konto sperren").click()
    expect(page.get_by_role("status").first).to_contain_text("gesperrt")
    expect(page.get_by_role("button", name="Sperre aufheben")).to_be_visible()
    with live_server.app.app_context():
        target = db.session.get(User, live_server.site.target_id)
        assert target.is_blocked and target.has_role("moderator")
    page.get_by_role("button", name="Sperre aufheben").click()
    expect(page.get_by_role("button", name="Konto sperren")).to_be_visible()


def test_a_blocked_person_sees_why(page, live_server):
    log_in(page, live_server, persona_email("blocked"), PASSWORD)
    banner = page.get_by_role("region", name="Kontostatus")
    expect(banner).to_contain_text("Ihr Konto ist gesperrt")
    expect(banner).to_contain_text("Demo block")
    expect(page.get_by_role("alert")).to_contain_text("gesperrt")


def test_keyboard_only_login_with_skip_link(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Hauptinhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # from the main content, Tab reaches the fields in reading order
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    page.keyboard.type(persona_email("participant"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Passwort", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Mein Konto"))).to_be_visible()
