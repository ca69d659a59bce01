"""The legal pages say what is true: the privacy notice from what the platform processes and its
settings, the imprint with the facts § 5 DDG asks for, the accessibility statement in the
structure of § 10b BGG NRW; admins edit them, and no text names a menu that does not exist."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.pages.defaults import OLD_PLACEHOLDER_DE, OLD_PLACEHOLDER_EN, OLD_TEXTS, PAGES, seed_pages
from participation.pages.legal import legal_fields
from participation.pages.models import Page
from tests.xss import check, payloads


@pytest.fixture
def pages(db):
    seed_pages()
    db.session.commit()


@pytest.fixture
def admin(users, browser):
    user = users(email="admin@example.org", display_name="Die Admin", roles=("participant", "admin"))
    browser.login("admin@example.org")
    return user


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def section_text(soup: BeautifulSoup, heading_id: str) -> str:
    return " ".join(soup.find(id=heading_id).find_parent("section").get_text(" ").split())


def headings(soup: BeautifulSoup) -> list[str]:
    return [" ".join(h.get_text(" ").split()) for h in soup.select("article h2")]


def edit_form(browser, slug: str) -> dict:
    """What the edit form holds now, as a browser would send it back."""
    soup = soup_of(browser.get(f"/admin/pages/{slug}"))
    data = {}
    for element in soup.select("form.form input, form.form textarea"):
        name = element.get("name")
        if not name or name == "csrf_token":
            continue
        if element.get("type") == "radio":
            if element.has_attr("checked"):
                data[name] = element["value"]
        elif element.name == "textarea":
            data[name] = element.text.lstrip("\n")
        else:
            data[name] = element.get("value", "")
    return data


# (a) retention periods from the settings


def test_privacy_notice_shows_the_retention_periods_of_the_settings(app, client, pages):
    soup = soup_of(client.get("/pages/privacy"))
    account = section_text(soup, "processing-account")
    mail = section_text(soup, "processing-mail")
    assert "30 Tage" in account and "90 Tage" in mail
    assert "72 Stunden" in mail and "2 Stunden" in mail and "24 Stunden" in mail
    assert "30 Tage" in section_text(soup, "processing-cookies")
    assert "24 Stunden" in section_text(soup, "processing-rate-limits")

    app.config["UNCONFIRMED_ACCOUNT_RETENTION"] = timedelta(days=7)
    app.config["MAIL_CONTENT_RETENTION"] = timedelta(days=45)
    app.config["RATELIMIT_LOGIN"] = "10 per minute; 100 per 10 days"
    soup = soup_of(client.get("/pages/privacy"))
    assert "7 Tage" in section_text(soup, "processing-account")
    assert "45 Tage" in section_text(soup, "processing-mail")
    assert "90 Tage" not in section_text(soup, "processing-mail")
    assert "10 Tage" in section_text(soup, "processing-rate-limits")

    english = soup_of(client.get("/pages/privacy", headers={"Accept-Language": "en"}))
    assert "7 days" in section_text(english, "processing-account")
    assert "45 days" in section_text(english, "processing-mail")


def test_privacy_notice_lists_what_the_platform_processes(client, pages):
    soup = soup_of(client.get("/pages/privacy"))
    for key in ("account", "contributions", "follows", "organisations", "moderation", "mail", "cookies", "logs"):
        text = section_text(soup, f"processing-{key}")
        for term in ("Daten", "Zweck", "Rechtsgrundlage", "Speicherdauer"):
            assert term in text, (key, term)
    assert "Art. 6 Abs. 1 Buchst. e DSGVO" in section_text(soup, "processing-account")
    assert "§ 3 DSG NRW" in section_text(soup, "processing-account")
    assert "§ 25 Abs. 2 Nr. 2 TDDDG" in section_text(soup, "processing-cookies")
    assert "Keine IP-Adresse" in section_text(soup, "processing-logs")
    recipients = section_text(soup, "privacy-recipients-title")
    assert "nichts von anderen Servern" in recipients


# (b) links to the self-service pages that exist


def test_privacy_notice_links_the_self_service_pages(app, client, pages):
    soup = soup_of(client.get("/pages/privacy"))
    rights = soup.find(id="privacy-rights-title").find_parent("section")
    links = {a["href"] for a in rights.find_all("a")}
    assert {"/account/data", "/account/", "/account/#email"} <= links
    for article in ("Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 20", "Art. 21", "Art. 77"):
        assert article in rights.get_text(), article
    for href in links:
        assert client.get(href.split("#")[0]).status_code in (200, 302), href
    if "privacy.delete_account" in app.view_functions:
        assert "/account/delete" in links
    else:
        assert not [href for href in links if "delete" in href]


def test_privacy_notice_links_the_account_deletion_once_it_exists(app, client, pages):
    if "privacy.delete_account" not in app.view_functions:
        app.add_url_rule("/account/delete", "privacy.delete_account", lambda: "")
    soup = soup_of(client.get("/pages/privacy"))
    rights = soup.find(id="privacy-rights-title").find_parent("section")
    assert "/account/delete" in {a["href"] for a in rights.find_all("a")}
    assert "gelöschtes Konto" in section_text(soup, "processing-contributions")


# (c) the data protection officer from the settings


def test_privacy_notice_names_the_data_protection_officer_of_the_settings(app, client, pages):
    dpo = section_text(soup_of(client.get("/pages/privacy")), "privacy-dpo-title")
    assert "Datenschutzbeauftragter der Stadt Köln" in dpo
    assert "datenschutzbeauftragter@stadt-koeln.de" in dpo and "Willy-Brandt-Platz 3, 50679 Köln" in dpo
    app.config["LEGAL_DEFAULTS"] = {
        **app.config["LEGAL_DEFAULTS"],
        "dpo_name": "Datenschutz Musterstelle",
        "dpo_email": "dsb@example.org",
    }
    soup = soup_of(client.get("/pages/privacy"))
    dpo = section_text(soup, "privacy-dpo-title")
    assert "Datenschutz Musterstelle" in dpo and "dsb@example.org" in dpo
    assert soup.find("a", href="mailto:dsb@example.org")


def test_the_environment_sets_the_defaults(monkeypatch):
    from participation.config import from_environment

    monkeypatch.setenv("DPO_EMAIL", "dsb@stadt.example")
    monkeypatch.setenv("IMPRINT_EMAIL", " kontakt@stadt.example ")
    settings = from_environment({"APP_ENV": "testing", "SECRET_KEY": "x"})
    assert settings["LEGAL_DEFAULTS"]["dpo_email"] == "dsb@stadt.example"
    assert settings["LEGAL_DEFAULTS"]["imprint_email"] == "kontakt@stadt.example"


# (d) the imprint


IMPRINT_HEADINGS_DE = [
    "Anbieter",
    "Kontakt",
    "Aufsichtsbehörde",
    "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV",
]


def test_imprint_has_every_field_of_section_5_ddg(app, client, pages):
    soup = soup_of(client.get("/pages/imprint"))
    assert headings(soup)[: len(IMPRINT_HEADINGS_DE)] == IMPRINT_HEADINGS_DE
    provider = section_text(soup, "imprint-provider-title")
    for text in ("Stadt Köln", "Körperschaft des öffentlichen Rechts", "Oberbürgermeister*in", "Rathausplatz 2"):
        assert text in provider
    assert "Bezirksregierung Köln" in section_text(soup, "imprint-authority-title")
    assert "+49 221 221-0" in section_text(soup, "imprint-contact-title")
    # what is not known for certain is not made up: it says so
    assert "noch nicht angegeben" in section_text(soup, "imprint-contact-title")
    assert "noch nicht angegeben" in section_text(soup, "imprint-content-title")
    assert soup.find(id="imprint-vat-title") is None  # optional, and none given
    assert soup.find(id="legal-missing") is None  # a visitor sees no note for admins

    app.config["LEGAL_DEFAULTS"] = {
        **app.config["LEGAL_DEFAULTS"],
        "imprint_email": "digital@stadt.example",
        "imprint_vat_id": "DE123456789",
        "imprint_content_responsible": "Erika Mustermann, Willy-Brandt-Platz 2, 50679 Köln",
    }
    english = soup_of(client.get("/pages/imprint", headers={"Accept-Language": "en"}))
    assert headings(english)[:5] == [
        "Provider",
        "Contact",
        "Supervisory authority",
        "VAT identification number",
        "Responsible for the content under § 18 (2) MStV",
    ]
    assert english.find("a", href="mailto:digital@stadt.example")
    assert "DE123456789" in section_text(english, "imprint-vat-title")
    assert "Erika Mustermann" in section_text(english, "imprint-content-title")


def test_admins_are_told_which_required_fact_is_empty(browser, admin, pages):
    note = soup_of(browser.get("/pages/imprint")).find(id="legal-missing")
    assert note is not None
    assert "E-Mail-Adresse" in note.get_text() and "§ 18 Abs. 2 MStV" in note.get_text()
    edit = soup_of(browser.get("/admin/pages/imprint")).find(id="legal-missing")
    assert edit.find("a", href="#imprint_email") and edit.find("a", href="#imprint_content_responsible")
    assert "Umsatzsteuer" not in edit.get_text()  # optional


# (e) the accessibility statement


ACCESSIBILITY_HEADINGS_DE = [
    "Stand der Vereinbarkeit mit den Anforderungen",
    "Nicht barrierefreie Inhalte",
    "Erstellung dieser Erklärung",
    "Feedback und Kontaktangaben",
    "Durchsetzungsverfahren",
]


def test_accessibility_statement_has_the_required_sections(app, client, pages):
    soup = soup_of(client.get("/pages/accessibility"))
    assert headings(soup) == ACCESSIBILITY_HEADINGS_DE
    status = section_text(soup, "accessibility-status-title")
    assert "teilweise vereinbar" in status
    assert "Gebärdensprache" in soup.get_text()  # the default list of content that is not accessible
    preparation = section_text(soup, "accessibility-preparation-title")
    assert "axe-core" in preparation and "Nu Html Checker" in preparation
    enforcement = section_text(soup, "accessibility-enforcement-title")
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen" in enforcement
    assert soup.find("a", href="https://www.lbbp.nrw.de/ombudsstelle")
    assert "noch nicht angegeben" in section_text(soup, "accessibility-feedback-title")

    app.config["LEGAL_DEFAULTS"] = {
        **app.config["LEGAL_DEFAULTS"],
        "accessibility_feedback_email": "barrierefrei@stadt.example",
        "accessibility_reviewed_on": "2026-03-01",
        "accessibility_status": "full",
    }
    soup = soup_of(client.get("/pages/accessibility"))
    feedback = section_text(soup, "accessibility-feedback-title")
    assert "barrierefrei@stadt.example" in feedback and soup.find("a", href="mailto:barrierefrei@stadt.example")
    assert "1. März 2026" in section_text(soup, "accessibility-preparation-title")
    assert "vollständig vereinbar" in section_text(soup, "accessibility-status-title")
    english = soup_of(client.get("/pages/accessibility", headers={"Accept-Language": "en"}))
    assert headings(english) == [
        "Status of compliance",
        "Content that is not accessible",
        "Preparation of this statement",
        "Feedback and contact",
        "Enforcement procedure",
    ]


# (f) admins edit, others cannot


def test_admin_edits_the_facts_and_the_text_and_the_change_is_logged(browser, admin, db, pages):
    data = edit_form(browser, "accessibility")
    assert data["accessibility_status"] == "partial"
    data.update(
        accessibility_feedback_email="barrierefrei@stadt.example",
        accessibility_reviewed_on="2026-02-15",
        accessibility_status="partial",
        body_de="- Die Karte der Stadtbezirke hat noch keine Textalternative.",
    )
    response = browser.submit("/admin/pages/accessibility", data)
    assert response.status_code == 302
    soup = soup_of(browser.get("/pages/accessibility"))
    assert "barrierefrei@stadt.example" in section_text(soup, "accessibility-feedback-title")
    assert "Karte der Stadtbezirke" in soup.get_text()
    assert "15. Februar 2026" in section_text(soup, "accessibility-preparation-title")
    assert soup.find(id="legal-missing") is None
    logged = db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == "change_settings")).all()
    assert logged and "barrierefrei@stadt.example" in str(logged[-1].state_after)

    # sent again unchanged: nothing more is logged
    browser.submit("/admin/pages/accessibility", edit_form(browser, "accessibility"))
    again = db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == "change_settings")).all()
    assert len(again) == len(logged)


def test_wrong_facts_are_refused_with_the_text_kept(browser, admin, db, pages):
    data = edit_form(browser, "accessibility")
    data.update(
        accessibility_feedback_email="keine Adresse",
        accessibility_enforcement_url="javascript:alert(1)",
        accessibility_reviewed_on="1.1.20",
        body_de="Mein Entwurf",
    )
    response = browser.submit("/admin/pages/accessibility", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    for name in ("accessibility_feedback_email", "accessibility_enforcement_url", "accessibility_reviewed_on"):
        assert soup.find(id=f"{name}-error"), name
    assert soup.find(id="body_de").text.strip() == "Mein Entwurf"
    page = soup_of(browser.get("/pages/accessibility"))
    assert not page.find("a", href=re.compile("javascript"))
    assert "Mein Entwurf" not in page.get_text()


@pytest.mark.parametrize("roles", [("participant",), ("participant", "moderator"), ("participant", "planner")])
def test_non_admins_cannot_edit(browser, users, db, pages, roles):
    users(email="someone@example.org", roles=roles)
    browser.login("someone@example.org")
    for slug in ("imprint", "privacy", "accessibility"):
        assert browser.get(f"/admin/pages/{slug}").status_code == 403
        token = browser.token("/")
        response = browser.client.post(
            f"/admin/pages/{slug}", data={"csrf_token": token, "title_de": "X", "title_en": "X", "dpo_email": "x@y.z"}
        )
        assert response.status_code == 403
        page = soup_of(browser.get(f"/pages/{slug}"))
        assert page.find(id="legal-missing") is None and not page.find("a", href=f"/admin/pages/{slug}")
    assert db.session.scalar(select(Page.title_de).where(Page.slug == "imprint")) == "Impressum"


def test_visitors_are_sent_to_login(client, pages):
    response = client.get("/admin/pages/privacy")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


# (g) hostile input


def test_hostile_facts_are_escaped_everywhere(app, browser, admin, db, pages):
    for number, payload in enumerate(payloads()[:60]):
        slug = ("imprint", "privacy", "accessibility")[number % 3]
        data = edit_form(browser, slug)
        for fact in legal_fields(slug):
            if fact.kind == "text":
                data[fact.name] = payload[:200]
        data["body_de"] = payload
        response = browser.submit(f"/admin/pages/{slug}", data)
        assert response.status_code in (302, 422), (payload, response.status_code)
        check(browser.get(f"/pages/{slug}"), (slug, payload))
        check(browser.get(f"/pages/{slug}", headers={"Accept-Language": "en"}), (slug, "en", payload))
        check(browser.get(f"/admin/pages/{slug}"), ("edit", slug, payload))


# (h) no text names a menu that does not exist


MENU_PATH = re.compile(r"\*([^*→]+?) → ([^*]+?)\*")


def test_no_page_names_a_menu_that_does_not_exist(browser, admin, db, pages):
    named = 0
    for language in ("de", "en"):
        admin.locale = language  # a logged-in person sees the site in the language of the account
        db.session.commit()
        headers = {"Accept-Language": language}
        index = soup_of(browser.get("/admin/", headers=headers))
        navigation = {" ".join(a.get_text().split()) for a in index.select("header a, nav a")}
        entries = {" ".join(a.get_text().split()) for a in index.select("main a")}
        for slug, *_rest in PAGES:
            text = soup_of(browser.get(f"/pages/{slug}", headers=headers)).find("article").get_text(" ")
            text = " ".join(text.split())
            assert "Verwaltung →" not in text, slug
            for body in db.session.scalars(select(Page.body_de if language == "de" else Page.body_en)):
                for menu, entry in MENU_PATH.findall(body):
                    assert menu in navigation, (menu, navigation)
                    assert entry in entries, (entry, entries)
                    named += 1
    assert named  # the demo texts of the city's own pages name where to replace them


def test_seed_brings_untouched_old_pages_up_to_date_and_keeps_edited_ones(db):
    db.session.add_all(
        [
            Page(
                slug="privacy",
                title_de="Datenschutzerklärung",
                title_en="Privacy notice",
                body_de=f"{OLD_PLACEHOLDER_DE}\n\n{OLD_TEXTS['privacy'][0]}",
                body_en=f"{OLD_PLACEHOLDER_EN}\n\n{OLD_TEXTS['privacy'][1]}",
            ),
            Page(slug="imprint", title_de="Impressum", title_en="Imprint", body_de="Unser Text", body_en=""),
        ]
    )
    db.session.commit()
    seed_pages()
    db.session.commit()
    bodies = dict(db.session.execute(select(Page.slug, Page.body_de)).all())
    assert "Verwaltung" not in bodies["privacy"] and "Art. 13" in bodies["privacy"]
    assert bodies["imprint"] == "Unser Text"
    assert set(bodies) == {slug for slug, *_rest in PAGES}
