"""A journey through the proposals: search, find a similar proposal while writing one, submit,
support another, comment on it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD


def test_search_write_with_similar_first_submit_support_comment(page, live_server):
    log_in(page, live_server, persona_email("participant"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Vorschläge").click()

    # search: the singular finds the demo proposal that speaks of "Stadtteilbibliotheken" (German stemming)
    page.get_by_role("searchbox", name="Suchen").fill("Stadtteilbibliothek")
    page.get_by_role("button", name="Vorschläge anzeigen").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("1 Vorschlag"))).to_be_visible()
    expect(page.get_by_role("link", name="Kostenloses WLAN in allen Stadtteilbibliotheken")).to_be_visible()

    # writing: the similar proposal and a preview come before anything is saved
    page.get_by_role("link", name="Vorschlag einreichen").click()
    page.get_by_label("Titel").fill("WLAN in den Stadtteilbibliotheken auch am Wochenende")
    page.get_by_label("Ihr Vorschlag").fill(
        "Die **Stadtteilbibliotheken** sollten samstags WLAN und Arbeitsplätze bieten."
    )
    page.get_by_label("Thema").select_option(label="Digitale Bildung")
    page.get_by_label("Stadtbezirk").select_option(label="Nippes")
    page.get_by_role("button", name="Weiter: Vorschau und ähnliche Vorschläge").click()
    similar = page.locator("section.similar")
    expect(similar.get_by_role("link", name="Kostenloses WLAN in allen Stadtteilbibliotheken")).to_be_visible()
    expect(page.locator(".preview strong", has_text="Stadtteilbibliotheken")).to_be_visible()
    page.get_by_role("button", name="Vorschlag veröffentlichen").click()
    expect(page.get_by_role("status").first).to_contain_text("veröffentlicht")
    expect(page.get_by_role("heading", level=1)).to_have_text("WLAN in den Stadtteilbibliotheken auch am Wochenende")

    # supporting another proposal, found through a filter
    page.get_by_role("link", name="Alle Vorschläge").click()
    page.get_by_label("Thema").select_option(value="economy")
    page.get_by_role("button", name="Vorschläge anzeigen").click()
    page.get_by_role("link", name="Ein Reallabor für Lieferroboter in Mülheim").click()
    before = int(re.search(r"\d+", page.locator("#support-title").inner_text()).group(0))
    page.get_by_role("button", name="Diesen Vorschlag unterstützen").click()
    expect(page.get_by_role("status").first).to_contain_text("Sie unterstützen diesen Vorschlag")
    expect(page.locator("#support-title")).to_contain_text(str(before + 1))

    # and discussing it
    page.get_by_label("Ihr Kommentar").fill("Bitte vorher mit der *Hafenverwaltung* sprechen.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    mine = page.locator("li.comment", has_text="vorher mit der").first
    expect(mine).to_be_visible()
    expect(mine.locator("em", has_text="Hafenverwaltung")).to_be_visible()
