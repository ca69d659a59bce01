"""The loop closed in a real browser: a resident reports a comment, a moderator hides it with a
reason and its author sees why; a planner accepts a proposal, takes it into version 2,
publishes that version, and the author follows the link from the proposal to the paragraph.

These journeys publish version 2 on the shared live server, so this file runs last (by name)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD


def _switch_to(page, live_server, persona):
    page.context.clear_cookies()
    log_in(page, live_server, persona_email(persona), PASSWORD)


def test_a_reported_comment_is_hidden_with_a_reason_the_author_reads(page, live_server):
    proposal_url = f"{live_server.url}/proposals/{live_server.site.proposal_id}"
    # the participant writes a sharp comment on their own proposal
    log_in(page, live_server, persona_email("participant"), PASSWORD)
    page.goto(proposal_url)
    page.get_by_label("Ihr Kommentar").fill("Wer das ablehnt, hat keine Ahnung von gar nichts.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.locator("li.comment", has_text="keine Ahnung von gar nichts")).to_be_visible()

    # a resident reports it
    _switch_to(page, live_server, "planner")
    page.goto(proposal_url)
    comment = page.locator("li.comment", has_text="keine Ahnung von gar nichts")
    comment.get_by_role("link", name=re.compile("^Melden")).click()
    page.get_by_label("Beleidigend oder diskriminierend").check()
    page.get_by_label("Was die Moderation wissen sollte").fill("Abwertend gegenüber anderen.")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("status").first).to_contain_text("Vielen Dank")

    # the moderator finds it in the reported queue and hides it with a reason
    _switch_to(page, live_server, "moderator")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Moderation").click()
    page.get_by_role("navigation", name="Warteschlangen der Moderation").get_by_role(
        "link", name=re.compile("Gemeldet")
    ).click()
    item = page.locator("li.moderation-item", has_text="keine Ahnung von gar nichts")
    expect(item).to_contain_text("Abwertend gegenüber anderen.")
    item.get_by_role("checkbox").check()
    page.get_by_label("Ausblenden, mit Grund (die Autor*in wird informiert)").check()
    page.get_by_label("Grund für das Ausblenden").select_option(label="Verstößt gegen die Netiquette")
    page.get_by_label("Hinweis an die Autor*in").fill("Bitte bleiben Sie sachlich.")
    page.get_by_role("button", name="Auf die ausgewählten Einträge anwenden").click()
    expect(page.get_by_role("status").first).to_contain_text("1 Eintrag entschieden")
    expect(page.locator("li.moderation-item", has_text="keine Ahnung von gar nichts")).to_have_count(0)

    # everyone sees a placeholder with the reason; the author reads the note in their contributions
    page.context.clear_cookies()
    page.goto(proposal_url)
    expect(page.get_by_text("keine Ahnung von gar nichts")).to_have_count(0)
    expect(page.locator(".comment-placeholder", has_text="Verstößt gegen die Netiquette").first).to_be_visible()
    log_in(page, live_server, persona_email("participant"), PASSWORD)
    page.goto(f"{live_server.url}/account/contributions")
    hidden = page.locator(".contribution-list li", has_text="keine Ahnung von gar nichts")
    expect(hidden).to_contain_text("von der Moderation ausgeblendet")
    expect(hidden).to_contain_text("Bitte bleiben Sie sachlich.")
    hidden.get_by_role("link", name=re.compile("^Was daraus wurde")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Was daraus wurde")
    expect(page.locator(".path")).to_contain_text("Verstößt gegen die Netiquette")


def test_an_accepted_proposal_goes_into_version_2_and_its_author_follows_it_there(page, own_live_server):
    # opening version 2 for comments changes which version the masterplan pages show first,
    # which the other journeys rely on: this one gets a server of its own
    live_server = own_live_server
    site = live_server.site
    _switch_to(page, live_server, "planner")
    # the planner accepts the participant's proposal
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Planung").click()
    page.get_by_role("link", name="Zu beantwortende Vorschläge").click()
    page.get_by_role("link", name="Ein Beispielvorschlag").click()
    page.get_by_label("angenommen", exact=True).check()
    page.get_by_label("Öffentliche Antwort").fill("Wir nehmen die Sensoren in den Plan auf.")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.get_by_role("status").first).to_contain_text("Ein Beispielvorschlag")

    # takes it into a paragraph of version 2, rewrites the paragraph, and publishes the version
    page.goto(f"{live_server.url}/planning/chapters/{site.preparing['chapter_id']}")
    form = page.locator("form", has_text="Ein Beispielvorschlag")
    form.get_by_label("Übernommen in Absatz").select_option(index=0)
    form.get_by_label("vollständig").check()
    form.get_by_label("Hinweis (erscheint beim Absatz)").fill("Neuer zweiter Satz.")
    form.get_by_role("button", name="Erfassen").click()
    expect(page.get_by_role("status").first).to_contain_text("Erfasst")
    page.locator("#incorporations").get_by_text("Ein Beispielvorschlag").first.wait_for()
    page.get_by_role("link", name=re.compile(r"^Absatz \d+\.1 bearbeiten")).click()
    text = page.get_by_label(re.compile("^Text"))
    text.fill(text.input_value() + " Bäume in Nippes und Ehrenfeld bekommen Sensoren.")
    page.get_by_role("button", name="Absatz speichern").click()
    page.goto(f"{live_server.url}/planning/versions/{site.preparing['number']}")
    page.get_by_role("link", name="Für Kommentare öffnen").click()
    # opening asks first; version 1 stays open here (closing it is the round journey's)
    page.get_by_role("checkbox", name=re.compile("Version 1")).uncheck()
    page.get_by_role("button", name=f"Version {site.preparing['number']} für Kommentare öffnen").click()
    expect(page.get_by_role("status").first).to_contain_text("Version 2")

    # the author follows the proposal into the plan
    _switch_to(page, live_server, "participant")
    page.goto(f"{live_server.url}/account/contributions")
    row = page.locator("tr", has_text="Ein Beispielvorschlag")
    expect(row).to_contain_text("Version 2")
    row.get_by_role("link", name="Ein Beispielvorschlag", exact=True).click()
    taken = page.locator("section.taken-into")
    expect(taken).to_contain_text("Übernommen in Kapitel")
    taken.get_by_role("link", name=re.compile("^Absatz .* lesen")).click()
    expect(page.locator(".paragraph-text")).to_contain_text("Bäume in Nippes und Ehrenfeld bekommen Sensoren.")
    expect(page.locator(".shaped-by")).to_contain_text("Ein Beispielvorschlag")
    expect(page.locator(".shaped-by")).to_contain_text("Neuer zweiter Satz.")
