"""German by default, English complete, the switcher, and catalogues in step with the code."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from participation import ROOT
from participation.cli import extract_messages

PAGES = ["/", "/login", "/register", "/password/forgot", "/does-not-exist"]


def lang_of(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").html["lang"]


def test_german_is_the_default(client):
    for url in PAGES:
        response = client.get(url)
        assert lang_of(response) == "de"
    assert "Anmelden" in client.get("/login").get_data(as_text=True)


def test_accept_language_english(client):
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert lang_of(response) == "en"
    assert "Log in" in response.get_data(as_text=True) and "Anmelden" not in response.get_data(as_text=True)
    assert lang_of(client.get("/", headers={"Accept-Language": "fr-FR"})) == "de"


def test_switcher_choice_beats_accept_language(browser):
    response = browser.submit("/", {"locale": "en", "next": "/register"}, action="/language")
    assert response.headers["Location"] == "/register"
    assert lang_of(browser.get("/", headers={"Accept-Language": "de"})) == "en"
    browser.submit("/", {"locale": "xx"}, action="/language")
    assert lang_of(browser.get("/")) == "en"


def test_user_setting_beats_session_and_is_changed_by_the_switcher(browser, users, db):
    user = users(email="en@example.org", locale="en")
    browser.login("en@example.org")
    assert lang_of(browser.get("/", headers={"Accept-Language": "de"})) == "en"
    browser.submit("/", {"locale": "de"}, action="/language")
    assert lang_of(browser.get("/")) == "de"
    assert db.session.get(type(user), user.id).locale == "de"


def test_mail_goes_out_in_the_recipients_language(browser, db):
    from tests.conftest import outbox
    from tests.functional.test_auth import REGISTRATION

    browser.submit("/", {"locale": "en"}, action="/language")
    browser.submit("/register", REGISTRATION)
    [mail] = outbox("confirm_email")
    assert mail.subject == "Please confirm your email address"
    assert mail.body_text.startswith("Hello Kim aus Nippes,")


def test_error_pages_in_both_languages(client):
    assert "Seite nicht gefunden" in client.get("/nope").get_data(as_text=True)
    assert "Page not found" in client.get("/nope", headers={"Accept-Language": "en"}).get_data(as_text=True)


def catalog(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def test_german_catalogue_is_complete():
    untranslated = [
        message.id
        for message in catalog("de")
        if message.id
        and (message.fuzzy or not (message.string if isinstance(message.string, str) else all(message.string)))
    ]
    assert untranslated == []


def test_catalogue_holds_every_message_in_the_code(tmp_path):
    """A UI string added without `make translations` would show English in the German interface."""
    pot = tmp_path / "messages.pot"
    extract_messages(str(pot))
    with pot.open("rb") as template:
        extracted = {message.id for message in read_po(template) if message.id}
    # the shared macros and the mail texts are among them
    assert {"Please check your input", "Error:", "Hello %(name)s,"} <= extracted
    translated = {message.id for message in catalog("de") if message.id}
    assert sorted(extracted - translated) == []


def test_mail_subject_and_body_in_german_for_a_german_user(browser, db):
    from tests.conftest import outbox
    from tests.functional.test_auth import REGISTRATION

    browser.submit("/register", REGISTRATION)
    [mail] = outbox("confirm_email")
    assert mail.subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert mail.body_text.startswith("Hallo Kim aus Nippes,")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "2 per minute", "RATELIMIT_ACCOUNT_FORMS": "2 per minute"}])
@pytest.mark.parametrize(
    "path, data",
    [
        ("/login", {"email": "kim@example.org", "password": "falsch"}),
        ("/password/forgot", {"email": "kim@example.org"}),
    ],
)
def test_a_rate_limited_page_speaks_german_and_shows_no_limit_string(browser, path, data):
    """Flask-Limiter describes its refusal with the limit in English ("2 per 1 minute")."""
    codes = [browser.submit(path, data).status_code for _ in range(3)]
    assert codes[-1] == 429, codes
    page = browser.submit(path, data)
    text = " ".join(BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text().split())
    assert page.status_code == 429
    assert "Zu viele Versuche" in text
    assert "Sie haben das in kurzer Zeit zu oft versucht." in text
    assert "per 1 minute" not in text and "per minute" not in text
