"""Journeys through the masterplan draft: reading, voting, commenting, replying; a planner makes
the next version, changes a paragraph and compares."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, persona_email
from tests.factories import PASSWORD


def test_read_vote_comment_reply(page, live_server):
    log_in(page, live_server, persona_email("participant"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Masterplan").click()
    page.get_by_role("link", name="Digitale Bildung", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digitale Bildung")

    first = page.locator("section.paragraph").first
    first.get_by_role("button", name="Ich stimme zu").click()
    expect(page.get_by_role("status").first).to_contain_text("2.1")
    expect(page.locator("section.paragraph").first.get_by_role("button", name="Ich stimme zu")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.locator("section.paragraph").first.get_by_role("link", name=re.compile("Absatz 2.1 kommentieren")).click()
    page.get_by_label("Art des Kommentars").select_option(label="Ergänzung")
    page.get_by_label("Ihr Kommentar").fill("Bitte auch die **Volkshochschulen** einbeziehen.")
    page.get_by_role("button", name=re.compile("veröffentlichen", re.IGNORECASE)).click()
    mine = page.locator("li.comment", has_text="Volkshochschulen").first
    expect(mine).to_be_visible()
    expect(mine.locator("strong", has_text="Volkshochschulen")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Antworten")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antworten")
    page.get_by_label("Ihr Kommentar").fill("Gute Idee, die VHS hat Räume in jedem Bezirk.")
    page.get_by_role("button", name=re.compile("veröffentlichen", re.IGNORECASE)).click()
    expect(page.locator("ul.thread ul.thread li.comment", has_text="VHS hat Räume").first).to_be_visible()


def test_planner_makes_the_next_version_changes_it_and_compares(page, live_server):
    log_in(page, live_server, persona_email("planner"), PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Planung").click()
    page.get_by_role("link", name=re.compile(r"Version \d+ als Kopie")).click()
    page.get_by_label("Titel der neuen Version").fill("Digitales Köln 2025 – Entwurf mit Medienberatung")
    page.get_by_role("button", name=re.compile(r"^Version \d+ beginnen$")).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Version")
    number = re.search(r"Version (\d+)", heading.inner_text()).group(1)

    page.get_by_role("link", name="Digitale Bildung", exact=True).click()
    page.get_by_role("link", name="Absatz 2.1 bearbeiten").click()
    text = page.get_by_label("Text (Markdown)")
    text.fill(text.input_value() + " Neu: jede Schule bekommt eine Medienberatung.")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.locator(".preview")).to_contain_text("Medienberatung")
    page.get_by_role("button", name="Absatz speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("2.1")

    # planners compare a version being prepared; opening it (which closes version 1) is the
    # round journey's, on a server of its own (test_round_journeys.py)
    page.goto(f"{live_server.url}/masterplan/compare")
    page.get_by_label("Frühere Version").select_option(label="Version 1")
    page.get_by_label("Spätere Version").select_option(label=f"Version {number}")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.locator(".compare-summary")).to_contain_text("1 Absatz geändert")
    inserted = page.locator("ins", has_text="Medienberatung")
    expect(inserted).to_be_visible()
    expect(inserted).to_contain_text("eingefügt")
