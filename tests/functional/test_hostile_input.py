"""Hostile numbers and text, sent to every route of the site map: no answer is ever a 500.

Ids beyond what the database's integer columns hold (2^31 and more), negative ones, NUL
characters and dates at the ends of the calendar go into every URL argument, every query
parameter a route reads and every field of every form (posted with a valid CSRF token, by a
person allowed to use the route). Each must get a 404 or a clear 4xx, and under /api/ a JSON
answer. PostgreSQL is where they used to fail: it refuses a number out of range, or a NUL in
text, with an error that reached the visitor as a 500.
"""

from __future__ import annotations

import lxml.html
import pytest
from flask import Request, got_request_exception
from werkzeug.routing import IntegerConverter

from tests.conftest import Browser, logged_in
from tests.functional.test_permission_matrix import EXPECTED, OK
from tests.site_map import SAMPLE_ARGUMENTS, routes, seed_site, url_for_rule

HUGE_IDS = (2**31, 2**63, 10**30, -1)
NUL = "Text\x00mit NUL"
DATES = ("0001-01-01", "9999-12-31", "0000-01-01")
HOSTILE = (*HUGE_IDS, NUL, *DATES)
# common names that a route might read even when it read none of them for the plain URL
COMMON = ("page", "per_page", "after", "since", "until", "proposal", "paragraph", "chapter", "version", "topic", "q")
# who uses a route: the first person in this order whom the permission matrix lets in
ORDER = ("participant", "moderator", "planner", "admin", "visitor")
# logging out ends the probe's own session; it reads no input
SKIPPED = {("auth.logout", "POST")}

# an error reaches the client as the 500 a visitor would get; its cause goes into the report.
# Rate limits would turn the many requests into 429s before they reach the code under test.
pytestmark = pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False, "PROPAGATE_EXCEPTIONS": False}])


READ: set[str] = set()


class _RecordingRequest(Request):
    """Notes every query and form name the view asks for, so each can be probed by itself."""

    @property
    def args(self):
        return _record(super().args)

    @property
    def form(self):
        return _record(super().form)


def _record(multidict):
    class Recording(type(multidict)):
        def __getitem__(self, key):
            READ.add(key)
            return super().__getitem__(key)

        def get(self, key, default=None, type=None):
            READ.add(key)
            return super().get(key, default, type)

        def getlist(self, key, type=None):
            READ.add(key)
            return super().getlist(key, type)

        def __contains__(self, key):
            READ.add(key)
            return super().__contains__(key)

    return Recording(list(multidict.items(multi=True)))


def _note(sender, exception, **extra):
    ERRORS.append(exception)


def _persona(endpoint: str, method: str) -> str:
    row = EXPECTED[(endpoint, method)]
    order = ("visitor", *ORDER) if endpoint.startswith("auth.") else ORDER
    return next(persona for persona in order if row[persona] == OK)


def _client(app, site, persona: str):
    browser = Browser(app.test_client())
    if persona != "visitor":
        assert browser.login(site.email(persona), unconfirmed=persona == "unconfirmed").status_code == 302, persona
    browser.csrf = browser.token()  # valid for the whole session
    return browser


def _forms(client, page_urls) -> dict[str, dict]:
    """{action path: fields as a browser would send them} for every POST form on the pages."""
    found = {}
    for url in page_urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        document = lxml.html.fromstring(response.get_data(as_text=True))
        for form in document.forms:
            if (form.method or "").upper() != "POST":
                continue
            action = (form.action or url).split("#")[0]
            fields = {}
            for name, value in form.form_values():
                fields.setdefault(name, value)
            for select in form.xpath(".//select[@name]"):
                options = [o.get("value", o.text_content()) for o in select.xpath(".//option")]
                if select.get("name") not in fields and options:
                    fields[select.get("name")] = next((o for o in options if o), options[0])
            found.setdefault(action, fields)
    return found


ERRORS: list[BaseException] = []


def _problem(response, url: str, method: str, what: str) -> str | None:
    if response.status_code >= 500:
        cause = f" ({type(ERRORS[-1]).__name__}: {str(ERRORS[-1]).splitlines()[0][:120]})" if ERRORS else ""
        ERRORS.clear()
        return f"{method} {url} [{what}]: {response.status_code}{cause}"
    if url.startswith("/api/") and response.mimetype != "application/json":
        return f"{method} {url} [{what}]: {response.status_code} as {response.mimetype}, not JSON"
    return None


def _int_arguments(rule) -> list[str]:
    return [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]


def _with_argument(rule, site, name: str, value) -> str:
    """The route's URL with sample arguments, `name` set to `value`."""
    values = {argument: SAMPLE_ARGUMENTS[argument](site, rule.endpoint) for argument in rule.arguments}
    return rule.build({**values, name: value}, append_unknown=False)[1]


def test_no_hostile_input_gives_a_server_error(app, db):
    site = seed_site()
    app.request_class = _RecordingRequest
    all_routes = [
        (endpoint, method, rule) for endpoint, method, rule in routes(app) if (endpoint, method) not in SKIPPED
    ]
    clients, pages = {}, {}
    for endpoint, method, rule in all_routes:
        persona = _persona(endpoint, method)
        if persona not in clients:
            clients[persona] = _client(app, site, persona)
        if method == "GET":
            pages.setdefault(persona, []).append(url_for_rule(rule, site))
    forms = {persona: _forms(clients[persona].client, urls) for persona, urls in pages.items()}
    problems, probed = [], {}
    with got_request_exception.connected_to(_note, app):
        for endpoint, method, rule in all_routes:
            browser = clients[_persona(endpoint, method)]
            url = url_for_rule(rule, site)

            def send(target, query=None, data=None, what="", method=method, browser=browser, key=(endpoint, method)):
                if method == "POST":
                    data = {**(data or {}), "csrf_token": browser.csrf}
                response = browser.client.open(target, method=method, query_string=query, data=data)
                probed[key] = probed.get(key, 0) + 1
                problems.append(_problem(response, target, method, what))

            for name in _int_arguments(rule):
                for value in HUGE_IDS:
                    send(_with_argument(rule, site, name, value), what=f"<{name}>={value}")
            fields = forms.get(_persona(endpoint, method), {}).get(url, {}) if method == "POST" else {}
            READ.clear()
            send(url, data=fields, what="as a browser sends it")
            # each name the route reads (or its form has) on its own; the common names it did not
            # read all at once
            names = sorted((READ | set(fields)) - {"csrf_token"})
            for name in names:
                for value in HOSTILE:
                    if method == "GET":
                        send(url, query={name: str(value)}, what=f"?{name}={value!r}")
                    else:
                        send(url, data={**fields, name: str(value)}, what=f"{name}={value!r}")
            for value in HOSTILE:
                common = dict.fromkeys(sorted(set(COMMON) - set(names)), str(value))
                send(url, query=common, data=fields, what=f"?{common}")
    assert [problem for problem in problems if problem] == []
    # an endpoint with two rules (measures.german_address) is one endpoint
    assert sorted(set(probed)) == sorted({(endpoint, method) for endpoint, method, rule in all_routes})
    assert sum(probed.values()) > 2000


@pytest.fixture
def admin(app, users):
    from participation.extensions import db
    from participation.pages.models import Page

    users(email="admin@example.org", display_name="Ada", roles=("participant", "admin"))
    db.session.add(Page(slug="privacy", title_de="Datenschutz", title_en="Privacy", body_de="Alt.", body_en="Old."))
    db.session.commit()
    return logged_in(app, "admin@example.org")


def test_ids_beyond_the_database_name_nothing(client):
    for url in ("/proposals/2147483648", "/proposals/99999999999", "/masterplan/paragraphs/2147483648"):
        assert client.get(url).status_code == 404, url
    assert client.get("/proposals/2147483647").status_code == 404  # the largest id there may be: no such proposal
    for url in ("/api/v1/proposals/2147483648", "/api/v1/versions/-1", "/api/v1/no-such-list"):
        response = client.get(url)
        assert (response.status_code, response.mimetype) == (404, "application/json"), url
        assert response.get_json()["error"] == "not_found"
    response = client.post("/api/v1/proposals")
    assert (response.status_code, response.get_json()["error"]) == (405, "method_not_allowed")


def test_a_nul_in_a_text_is_taken_out_and_named_at_its_field(db, admin):
    from participation.pages.models import Page

    response = admin.submit(
        "/admin/pages/privacy",
        {"title_de": "Datenschutz", "title_en": "Privacy", "body_de": "Neu\x00er Text", "body_en": "New."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This text contained a NUL character" in html or "NUL-Zeichen" in html
    assert "Neuer Text" in html and "\x00" not in html  # the text is kept, without the NUL
    page = db.session.scalar(db.select(Page).where(Page.slug == "privacy"))
    assert page.body_de == "Alt."  # nothing stored until it is sent again


def test_a_nul_in_the_address_is_a_clear_400(admin, client):
    response = admin.get("/admin/users?q=Ada%00")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    response = client.get("/api/v1/comments?proposal=1%00")
    assert (response.status_code, response.get_json()["error"]) == (400, "bad_request")
    assert "NUL" in response.get_json()["message"]
    assert client.get("/pages/privacy%00").status_code == 404


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_dates_beyond_the_calendar_are_named_at_their_field(admin, day):
    for name in ("since", "until"):
        response = admin.get(f"/admin/audit?{name}={day}")
        assert response.status_code == 422
        assert "1900" in response.get_data(as_text=True)
    assert admin.get("/admin/audit?since=1900-01-01&until=2999-12-31").status_code == 200


def test_a_failure_in_the_api_is_answered_as_json(app, client, monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.view_functions, "api.versions", broken)
    response = client.get("/api/v1/versions")
    assert (response.status_code, response.mimetype) == (500, "application/json")
    assert response.get_json()["error"] == "server_error"
