"""Structural checks on rendered pages, in their normal and their error states: unique ids,
in-page links and aria references that resolve, every field labelled, one h1."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from participation.pages.models import Page
from tests.conftest import Browser
from tests.site_map import form_states, seed_site


def problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    ids = [element["id"] for element in soup.find_all(id=True)]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for link in soup.find_all("a", href=True):
        if link["href"].startswith("#") and len(link["href"]) > 1 and link["href"][1:] not in ids:
            found.append(f"link to missing #{link['href'][1:]}")
    for attribute in ("aria-describedby", "aria-labelledby"):
        for element in soup.find_all(attrs={attribute: True}):
            found += [f"{attribute} -> missing {ref}" for ref in element[attribute].split() if ref not in ids]
    labelled = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        if field.get("id") not in labelled and not field.get("aria-label"):
            found.append(f"unlabelled {field.name} {field.get('name')}")
    if len(soup.find_all("h1")) != 1:
        found.append(f"{len(soup.find_all('h1'))} h1 elements")
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    found += [f"heading jumps from h{a} to h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return found


@pytest.fixture
def site(db, users, app):
    db.session.add(Page(slug="privacy", title_de="Datenschutz", title_en="Privacy", body_de="Text", body_en=""))
    db.session.commit()
    admin = users(email="root@example.org", roles=("participant", "admin"))
    other = users(email="other@example.org", confirmed=False)
    return {"admin": admin, "other": other}


PAGES_VISITOR = ["/", "/login", "/register", "/password/forgot", "/pages/privacy", "/nope"]


def test_visitor_pages(browser, site):
    for url in PAGES_VISITOR:
        assert problems(browser.get(url).get_data(as_text=True)) == [], url


def test_admin_pages(browser, site):
    browser.login("root@example.org")
    for url in [
        "/",
        "/account/",
        "/account/password",
        "/admin/",
        "/admin/users",
        f"/admin/users/{site['other'].id}",
        "/admin/pages",
        "/admin/pages/privacy",
    ]:
        assert problems(browser.get(url).get_data(as_text=True)) == [], url


def test_error_states(browser, site):
    for url in ["/register", "/login", "/password/forgot"]:
        response = browser.submit(url, {})
        assert response.status_code == 422
        assert problems(response.get_data(as_text=True)) == [], url
        assert BeautifulSoup(response.get_data(as_text=True), "html.parser").title.text.startswith("Fehler:")
    browser.login("root@example.org")
    target = site["other"].id
    for action, data in (
        (f"/admin/users/{target}/roles", {"roles": ["nope"]}),
        (f"/admin/users/{target}/block", {"reason": ""}),
    ):
        response = browser.submit(f"/admin/users/{target}", data, action=action)
        assert response.status_code == 422
        assert problems(response.get_data(as_text=True)) == [], action
    response = browser.submit("/account/", {"display_name": ""})
    assert problems(response.get_data(as_text=True)) == []


def test_english_page_marks_german_fallback_text(client, site):
    html = client.get("/pages/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.find("div", lang="de").get_text(strip=True) == "Text"


def test_proposal_form_states(app, db):
    site = seed_site()
    browser = Browser(app.test_client())
    browser.login(site.email("participant"))
    for name, response in form_states(browser).items():
        assert problems(response.get_data(as_text=True)) == [], name
    assert form_states(browser)["proposal-errors"].status_code == 422


def test_the_confirmation_page_and_its_errors(browser, users):
    from participation.auth.services import confirmation_token

    user = users(email="neu@example.org", confirmed=False)
    path = f"/confirm/{confirmation_token(user)}"
    page = browser.get(path)
    assert page.status_code == 200 and problems(page.get_data(as_text=True)) == []
    wrong = browser.submit(path, {"password": "ein langer Satz", "password_confirm": "ein anderer Satz"})
    assert wrong.status_code == 422 and problems(wrong.get_data(as_text=True)) == []
    assert 'value="ein' not in wrong.get_data(as_text=True)  # passwords are not sent back
