"""axe-core in Chromium on every page reachable by GET: in German as a visitor and as every
kind of account, and in English. Zero violations of the WCAG 2.0/2.1 A and AA rules."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tests.browser.conftest import AXE, log_in, persona_email
from tests.factories import PASSWORD
from tests.site_map import PERSONAS, get_pages

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


CASES = [(persona, "de-DE") for persona in PERSONAS] + [("visitor", "en-GB"), ("admin", "en-GB")]


@pytest.mark.parametrize("persona, locale", CASES)
def test_no_wcag_violations(chromium, live_server, request, persona, locale):
    # CSP is lifted in this context only, so that the test can inject axe-core itself
    context = chromium.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    try:
        if persona != "visitor":
            log_in(page, live_server, persona_email(persona), PASSWORD, unconfirmed=persona == "unconfirmed")
            if locale.startswith("en"):
                page.get_by_role("button", name="English").click()
        with live_server.app.app_context():
            urls = get_pages(live_server.app, live_server.site)
        failures = {}
        for url in urls:
            response = page.goto(live_server.url + url)
            if "text/html" not in response.headers.get("content-type", ""):
                continue  # /healthz answers JSON
            expected_lang = "en" if locale.startswith("en") else "de"
            assert page.locator("html").get_attribute("lang") == expected_lang, url
            violations = axe_violations(page)
            if violations:
                failures[url] = violations
        assert failures == {}
    finally:
        if persona != "visitor" and locale.startswith("en"):
            page.goto(live_server.url)
            page.get_by_role("button", name="Deutsch").click()  # leave the shared account as it was
        context.close()


def test_the_confirm_page_and_its_errors_have_no_wcag_violations(chromium, live_server):
    """The site map's confirmation sample is for a confirmed account (it redirects), so the form
    itself, with the details a registering person chose and with errors, is checked here."""
    from participation.accounts.models import find_user_by_email
    from participation.auth.services import confirmation_token

    with live_server.app.app_context():
        token = confirmation_token(find_user_by_email(persona_email("unconfirmed")))
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        response = page.goto(f"{live_server.url}/confirm/{token}")
        assert response.status == 200
        assert page.get_by_label("Anzeigename").input_value() == "Persona unconfirmed"
        assert axe_violations(page) == []
        page.get_by_label("Anzeigename").fill("x")
        page.get_by_label("Passwort", exact=True).fill("ein langer Satz")
        page.get_by_label("Passwort wiederholen").fill("ein anderer Satz")
        page.get_by_role("button", name="Adresse bestätigen und Passwort speichern").click()
        assert page.locator(".field-error").count() >= 2
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("persona, locale", [("visitor", "de-DE"), ("visitor", "en-GB"), ("participant", "de-DE")])
def test_the_home_page_has_no_wcag_violations(chromium, live_server, persona, locale):
    """The home page, the most visited one, on its own: quick to run after changing it. The
    headings go down one level at a time and every section is labelled by its heading."""
    context = chromium.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    try:
        if persona != "visitor":
            log_in(page, live_server, persona_email(persona), PASSWORD)
        assert page.goto(live_server.url + "/").status == 200
        assert axe_violations(page) == []
        levels = [
            int(tag[1])
            for tag in page.eval_on_selector_all("main h1, main h2, main h3", "els => els.map(e => e.tagName)")
        ]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))
        for section in page.locator("main section").all():
            assert page.locator(f"#{section.get_attribute('aria-labelledby')}").count() == 1
    finally:
        context.close()


def test_the_phase_form_with_errors_has_no_wcag_violations(chromium, live_server):
    """The admins' phase form as it comes back with messages at its fields, filled in by keyboard
    and mouse as an admin would."""
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        log_in(page, live_server, persona_email("admin"), PASSWORD)
        page.goto(f"{live_server.url}/admin/phases/new")
        assert axe_violations(page) == []
        page.get_by_label("Titel (Deutsch)").fill("Entwurf prüfen")
        page.get_by_label("Tag des Endes").fill("2001-01-01")
        page.get_by_label("Abstimmung über den Entwurf").check()
        page.get_by_role("button", name="Phase speichern").click()
        assert page.locator(".field-error").count() >= 3
        assert page.get_by_label("Titel (Deutsch)").input_value() == "Entwurf prüfen"
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_change_of_address_and_its_errors_have_no_wcag_violations(chromium, live_server):
    """The account page with a new address waiting (the participant's, seeded) and with the form
    sent back with errors, and the page of the link, opened logged out, with a wrong password."""
    from tests.site_map import email_change_token

    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        log_in(page, live_server, persona_email("participant"), PASSWORD)
        page.goto(f"{live_server.url}/account/")
        assert axe_violations(page) == []
        page.locator("#new_email").fill("keine Adresse")
        page.locator("#current_password").fill("falsch")
        page.locator('form[action="/account/email"] button').click()
        assert page.locator(".field-error").count() == 1 and page.locator("#new_email").input_value() == "keine Adresse"
        assert axe_violations(page) == []
        with live_server.app.app_context():
            token = email_change_token()
        visitor = context.browser.new_context(locale="de-DE", bypass_csp=True).new_page()
        assert visitor.goto(f"{live_server.url}/email/confirm/{token}").status == 200
        assert axe_violations(visitor) == []
        visitor.locator("#password").fill("nicht das Passwort")
        visitor.locator("main form button").click()
        assert visitor.locator("#password-error").count() == 1
        assert axe_violations(visitor) == []
        visitor.context.close()
    finally:
        context.close()


def test_the_deletion_forms_and_their_errors_have_no_wcag_violations(chromium, live_server):
    """The person's deletion page sent back with a wrong password, and the admin's sent back
    without a reason: nothing is deleted, the errors are at their fields."""
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        log_in(page, live_server, persona_email("participant"), PASSWORD)
        page.goto(f"{live_server.url}/account/delete")
        assert axe_violations(page) == []
        page.locator("#texts-1").check()
        page.locator("#current_password").fill("falsch")
        page.locator("main form button").click()
        assert page.locator("#current_password-error").count() == 1 and page.locator("#texts-1").is_checked()
        assert axe_violations(page) == []
        admin = context.browser.new_context(locale="de-DE", bypass_csp=True).new_page()
        log_in(admin, live_server, persona_email("admin"), PASSWORD)
        admin.goto(f"{live_server.url}/admin/users/{live_server.site.target_id}/delete")
        assert axe_violations(admin) == []
        admin.locator("main form button").click()
        assert admin.locator("#reason-error").count() == 1
        assert axe_violations(admin) == []
        admin.context.close()
    finally:
        context.close()


def test_undoing_a_change_of_address_has_no_wcag_violations(chromium, live_server):
    """The page behind the link in the notice to the previous address, its button, the page it
    leads to (choosing a new password) and the page for a used link."""
    from tests.site_map import email_revert_token

    with live_server.app.app_context():
        token = email_revert_token()
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        assert page.goto(f"{live_server.url}/email/revert/{token}").status == 200
        assert axe_violations(page) == []
        page.locator("main form button").click()
        assert "/password/reset/" in page.url and page.locator("#password").count() == 1
        assert axe_violations(page) == []
        assert page.goto(f"{live_server.url}/email/revert/{token}").status == 400
        assert axe_violations(page) == []
    finally:
        context.close()
