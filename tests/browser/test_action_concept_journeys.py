"""The action concept in a real browser: a planner makes a measure of an accepted proposal and
links it to a paragraph, and the proposal's author follows the path to the measure's progress; a
RheinEnergie member updates a measure's progress and an indicator; the planner publishes an
interim report, downloads it as Word (read back with python-docx), and finds it unchangeable.

They publish measures and reports, which the other journeys' pages would show: a server of their
own. Each test stands alone (pytest-randomly shuffles them)."""

from __future__ import annotations

import re
from datetime import timedelta

import docx
from playwright.sync_api import expect

from participation.core.i18n import CITY_TIME
from participation.core.models import utcnow
from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD

LADEPUNKTE = "Öffentliche Ladepunkte für E-Mobilität"  # a demo measure of RheinEnergie


def _today():
    return utcnow().astimezone(CITY_TIME).date()


def _as(page, server, email):
    page.context.clear_cookies()
    log_in(page, server, email, PASSWORD)


def test_a_measure_grows_out_of_a_proposal_and_its_author_follows_it(page, own_live_server):
    server = own_live_server
    site = server.site
    title = "Sensoren für Kölner Schulhöfe"

    # the planner opens the accepted proposal's answer page and makes a measure of it
    _as(page, server, persona_email("planner"))
    page.goto(f"{server.url}/planning/proposals/{site.accepted_id}")
    page.get_by_role("link", name="Aus diesem Vorschlag eine Maßnahme machen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue Maßnahme")
    expect(page.get_by_role("alert")).to_have_count(0)  # no conflict on a new measure
    expect(page.locator(".hint", has_text="Aus dem Vorschlag")).to_contain_text("Angenommen")
    expect(page.get_by_label("Titel (Deutsch)")).to_have_value("Angenommen")  # the proposal's title
    expect(page.get_by_label("Beschreibung (Deutsch)")).to_have_value("Ein angenommener Vorschlag.")
    page.get_by_label("Titel (Deutsch)").fill(title)
    page.get_by_label("Verantwortliche Stelle").select_option(label="RheinEnergie AG")
    page.get_by_label("außerhalb der Verwaltung").check()
    page.get_by_label("Fortschritt in Prozent").fill("15")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Entwurf")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("#sources")).to_contain_text("Angenommen")

    # links the paragraph 2.1 of the public version and publishes
    paragraphs = page.get_by_label("Absatz des Plans")
    paragraphs.select_option(paragraphs.locator("option", has_text=re.compile(r"^2\.1 ")).get_attribute("value"))
    page.get_by_role("button", name="Absatz verknüpfen").click()
    expect(page.locator("#paragraphs").get_by_role("link", name="Absatz 2.1")).to_be_visible()
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("veröffentlicht")

    # the public page shows the proposal behind it and the paragraph it implements
    page.get_by_role("link", name="öffentlich: zur Seite der Maßnahme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    plan = page.get_by_role("region", name="Im Masterplan")
    expect(plan.get_by_role("link", name=re.compile(r"^Absatz 2\.1"))).to_be_visible()
    behind = page.get_by_role("region", name="Was aus der Beteiligung dazu geführt hat")
    expect(behind.get_by_role("link", name="Angenommen", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("RheinEnergie AG")

    # the proposal's author follows the path from their contributions to the measure's progress
    _as(page, server, "target@example.org")  # the site map's author of the accepted proposal
    page.goto(f"{server.url}/account/contributions")
    page.get_by_role("link", name=re.compile(r"^Was daraus wurde\W+Angenommen$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was daraus wurde: Angenommen")
    grown = page.locator(".grown-measures li", has_text=title)
    expect(grown).to_contain_text("geplant")
    expect(grown).to_contain_text("RheinEnergie AG")
    expect(grown).to_contain_text("Fortschritt: 15 %")
    grown.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("progressbar", name="Fortschritt: 15 %").first).to_be_visible()


def test_a_rheinenergie_member_updates_progress_and_an_indicator(page, own_live_server):
    server = own_live_server
    email = "rhein-journey@example.org"
    with server.app.app_context():
        from participation.extensions import db
        from tests.factories import UserFactory
        from tests.measuring import organisation, verified_member

        member = UserFactory(email=email, display_name="Rita Rheinberg")
        verified_member(db, member, organisation(db, "RheinEnergie AG"))
        db.session.commit()
    measured = _today() - timedelta(days=1)

    # the member finds their organisation's measures and changes the progress, with a reason
    _as(page, server, email)
    page.goto(f"{server.url}/planning/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maßnahmen bearbeiten")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("RheinEnergie AG")  # only their organisation's
    page.get_by_role("link", name=LADEPUNKTE, exact=True).click()
    expect(page.get_by_label("Verantwortliche Stelle")).to_have_value(re.compile(r"^\d+$"))
    page.get_by_label("Fortschritt in Prozent").fill("55")
    page.get_by_label("Status", exact=True).select_option(label="pausiert")
    page.get_by_label("Grund für eine Statusänderung").fill("Lieferengpass bei den Ladesäulen.")
    page.get_by_role("button", name="Maßnahme speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("gespeichert")

    # records a new value of the indicator with its date and source
    page.get_by_role("link", name=re.compile(r"^Ändern, Werte erfassen\W+Öffentliche Ladepunkte$")).click()
    page.get_by_label("Gemessen am", exact=True).fill(measured.isoformat())
    page.get_by_label("Wert", exact=True).fill("2250")
    page.get_by_label("Quelle", exact=True).fill("RheinEnergie, Zählung Dezember")
    page.get_by_role("button", name="Wert erfassen").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("RheinEnergie, Zählung Dezember")

    # the public page shows the new progress, the status, the value, and the organisation's name
    page.context.clear_cookies()
    page.goto(f"{server.url}/measures/")
    bodies = page.get_by_label("Verantwortliche Stelle")  # options say how many: "RheinEnergie AG (2)"
    bodies.select_option(bodies.locator("option", has_text="RheinEnergie AG").get_attribute("value"))
    page.get_by_role("button", name="Maßnahmen anzeigen").click()
    page.get_by_role("link", name=LADEPUNKTE, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LADEPUNKTE)
    expect(page.get_by_role("progressbar", name="Fortschritt: 55 %").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("pausiert")
    values = page.get_by_role("table", name="Messwerte: Öffentliche Ladepunkte")
    newest = values.locator("tbody tr", has_text="RheinEnergie, Zählung Dezember")
    expect(newest).to_contain_text("2.250")
    expect(newest.locator("time")).to_have_attribute("datetime", measured.isoformat())
    timeline = page.get_by_role("table", name="Die neuesten Änderungen")
    status_change = timeline.locator("tbody tr", has_text="pausiert")
    expect(status_change).to_contain_text("RheinEnergie AG")
    expect(status_change).to_contain_text("in Umsetzung")
    expect(status_change).to_contain_text("Lieferengpass bei den Ladesäulen.")
    # the organisation's name stands where the person would
    progress_change = timeline.get_by_role("row", name=re.compile(r"RheinEnergie AG Maßnahme: Fortschritt 42 % 55 %"))
    expect(progress_change).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Rita Rheinberg")  # the body, not the person


def test_the_planner_publishes_an_interim_report_and_downloads_it_as_word(page, own_live_server, tmp_path):
    server = own_live_server
    title = "Zwischenbericht zum Handlungskonzept, Journey-Halbjahr"
    editorial = "Die städtischen Gesellschaften kommen beim Ausbau der Ladepunkte gut voran."

    # the planner creates a report for a period
    _as(page, server, persona_email("planner"))
    page.goto(f"{server.url}/planning/")
    page.get_by_role("link", name="Zwischenberichte").click()
    page.get_by_role("link", name="Neuer Zwischenbericht").click()
    page.get_by_label("Titel (Deutsch)").fill(title)
    page.get_by_label("Titel (Englisch)").fill("Interim report, journey half-year")
    page.get_by_label("Erster Tag des Zeitraums").fill("2026-07-01")
    page.get_by_label("Letzter Tag des Zeitraums (Berichtsstichtag)").fill("2026-12-31")
    page.get_by_role("button", name="Den Bericht anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    manage_url = page.url

    # writes the editorial text of a field of action
    field = page.get_by_role("region", name="Städtische Gesellschaften und Smart City")
    field.get_by_label("Text (Deutsch, Markdown)").fill(editorial)
    field.get_by_role("button", name=re.compile(r"^Den Text speichern\W+Städtische Gesellschaften")).click()
    expect(page.get_by_role("status").first).to_contain_text("Städtische Gesellschaften und Smart City")
    section_action = (
        page.get_by_role("region", name="Städtische Gesellschaften und Smart City")
        .locator("form")
        .get_attribute("action")
    )

    # publishes it, after confirming
    page.get_by_role("link", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Den Bericht veröffentlichen?")
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    expect(page.get_by_role("status").first).to_be_visible()

    # the public page has it, with the text, and offers the Word file
    page.context.clear_cookies()
    page.goto(f"{server.url}/measures/reports/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text(editorial)
    expect(page.locator("main")).to_contain_text("veröffentlicht am")
    with page.expect_download() as info:
        page.get_by_role("link", name="Als Word-Datei herunterladen (.docx)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / "report.docx"
    download.save_as(path)
    document = docx.Document(str(path))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    text = "\n".join(paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert title in headings
    assert "1 Zusammenfassung" in headings and "3 Handlungsfelder" in headings
    assert any(re.fullmatch(r"\d+\.\d+ Städtische Gesellschaften und Smart City", h) for h in headings), headings
    assert editorial in text
    assert LADEPUNKTE in text + cells

    # a published report does not change: no edit forms, and a direct POST is refused
    _as(page, server, persona_email("planner"))
    page.goto(manage_url)
    expect(page.get_by_role("button", name=re.compile("^Den Text speichern"))).to_have_count(0)
    expect(page.get_by_role("link", name="Veröffentlichen", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Die Berichtigung beginnen")).to_be_visible()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{server.url}{section_action}",
        form={"csrf_token": token, "smart_city-text_de": "Nachträglich geändert.", "smart_city-text_en": ""},
        max_redirects=0,
    )
    assert response.status == 409
    page.goto(manage_url)
    expect(page.locator("main")).to_contain_text(editorial)
    expect(page.locator("main")).not_to_contain_text("Nachträglich geändert.")
