"""The journey from round 1 to round 2, on a server of its own (it closes version 1, which the
other journeys read): a planner starts version 2 with its own title, an admin ends the phase of
draft 1 and creates one that opens version 2, the planner opens version 2 and closes version 1;
a participant votes on version 2 and is refused on version 1 with the reason, and the report
still shows round 1 when asked for it."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from participation.core.i18n import CITY_TIME
from participation.core.models import utcnow
from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD

NEW_TITLE = "Digitales Köln 2025 – Entwurf 2"


def _log_out(page):
    page.context.clear_cookies()


def test_from_round_one_to_round_two(page, own_live_server):
    server = own_live_server

    # a planner starts version 2 as a copy, with its own title
    log_in(page, server, persona_email("planner"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Planung").click()
    page.get_by_role("link", name=re.compile(r"Version \d+ als Kopie")).click()
    title = page.get_by_label("Titel der neuen Version")
    expect(title).not_to_be_empty()  # a suggestion, changed here
    title.fill(NEW_TITLE)
    page.get_by_role("button", name=re.compile(r"^Version \d+ beginnen$")).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Version")
    number = int(re.search(r"Version (\d+)", heading.inner_text()).group(1))
    _log_out(page)

    # an admin ends the phase of draft 1 and creates the one that opens the new version
    log_in(page, server, persona_email("admin"), PASSWORD)
    page.goto(f"{server.url}/admin/")
    page.get_by_role("link", name="Phasen des Verfahrens").click()
    # the phase's title is in the button's name ("Jetzt beenden: …"; Chromium spaces the hidden part)
    page.get_by_role("button", name=re.compile(r"^Jetzt beenden\W+Entwurf 1 kommentieren$")).click()
    expect(page.get_by_role("status").first).to_contain_text("Entwurf 1 kommentieren")
    page.get_by_role("link", name="Neue Phase").click()
    today = utcnow().astimezone(CITY_TIME).date()
    page.get_by_label("Titel (Deutsch)").fill("Zweite Runde: Entwurf 2 kommentieren")
    page.get_by_label("Titel (Englisch)").fill("Round two: commenting draft 2")
    page.get_by_label("Tag des Beginns").fill(today.isoformat())
    page.get_by_label("Tag des Endes").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Kommentare zum Entwurf").check()
    page.get_by_label("Abstimmung über den Entwurf").check()
    versions = page.get_by_label("Version des Entwurfs")
    versions.select_option(versions.locator("option", has_text=f"Version {number}").get_attribute("value"))
    page.get_by_role("button", name="Phase speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Zweite Runde")
    _log_out(page)

    # the planner opens version 2; version 1 closes (the default)
    log_in(page, server, persona_email("planner"), PASSWORD)
    page.goto(f"{server.url}/planning/versions/{number}")
    page.get_by_role("link", name="Für Kommentare öffnen").click()
    expect(page.get_by_text("Zweite Runde: Entwurf 2 kommentieren")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("Version 1"))).to_be_checked()
    page.get_by_role("button", name=f"Version {number} für Kommentare öffnen").click()
    expect(page.get_by_role("status").first).to_contain_text(str(number))
    _log_out(page)

    # a participant votes on version 2 ...
    log_in(page, server, persona_email("participant"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Masterplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entwurf 2")
    page.get_by_role("link", name="Digitale Bildung", exact=True).click()
    first = page.locator("section.paragraph").first
    first.get_by_role("button", name="Ich stimme zu").click()
    expect(page.get_by_role("status").first).to_contain_text("gespeichert")

    # ... and is refused on version 1, which stays readable and says why
    page.goto(f"{server.url}/masterplan/1/")
    page.get_by_role("link", name="Digitale Bildung", exact=True).click()
    expect(page.locator("form.vote-form")).to_have_count(0)
    expect(page.locator(".notice").first).to_contain_text("Version 1")
    paragraph_id = re.search(r"/masterplan/paragraphs/(\d+)", page.content()).group(1)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = page.request.post(
        f"{server.url}/masterplan/paragraphs/{paragraph_id}/vote", form={"csrf_token": token, "choice": "agree"}
    )
    assert refused.status == 403
    said = " ".join(refused.text().split())
    assert "Version 1 ist abgeschlossen" in said
    assert "Zweite Runde: Entwurf 2 kommentieren" in said  # what is open now

    # the report still shows round 1 when asked for it
    page.goto(f"{server.url}/report/")
    expect(page.locator(".report-round-shown")).to_contain_text(f"Version {number}")
    page.get_by_label("Runde des Verfahrens").select_option(label="Runde 1: Version 1")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".report-round-shown")).to_contain_text("Version 1")
    votes = page.locator("table:has(#chapters-caption) tbody td:last-child").all_inner_texts()
    assert sum(int(cell.replace(".", "")) for cell in votes) > 100  # the demo's votes on version 1, kept
    rounds = page.locator("table:has(#rounds-caption) tbody tr")
    expect(rounds).to_have_count(2)  # a row per public version: 1 and the new one (not a copy being prepared)
    expect(rounds.first).to_contain_text("Runde 1")
