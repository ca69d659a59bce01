"""The database goes away under a logged-in person: the site's own error page in their
language, not gunicorn's bare one, and one traceback per failed request in the log."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from tests.factories import PASSWORD
from tests.serving import Gunicorn, TcpRelay, WebClient, app_environment, have_servers, needs

pytestmark = needs(have_servers(), "needs gunicorn (test extra)")

PAGES = ["/", "/masterplan/", "/proposals/", "/account/"]


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the outage is a PostgreSQL server going away")


@pytest.fixture
def relay(database_url):
    url = make_url(database_url)
    relay = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
    yield relay
    relay.cut()


@pytest.fixture
def site(relay, database_url, tmp_path, app):
    url = make_url(database_url).set(host="127.0.0.1", port=relay.port)
    server = Gunicorn(tmp_path, app_environment(url.render_as_string(hide_password=False)))
    yield server
    server.stop()


def tracebacks(log: str) -> int:
    return log.count("Traceback (most recent call last)")


def test_a_logged_in_person_gets_the_sites_error_page_when_the_database_goes(postgres_only, users, relay, site):
    users(email="ada@example.org", display_name="Ada")
    german, english = WebClient(site.url, "de"), WebClient(site.url, "en")
    for person in (german, english):
        status, page = person.login("ada@example.org", PASSWORD)
        assert status == 200 and "Ada" in page
    before = site.log.read_text()

    relay.cut()
    answers = [(person.language, *person.request(path)) for path in PAGES for person in (german, english)]

    for language, status, page in answers:
        assert status == 500, (language, status, page[:300])
        expected = "Etwas ist schiefgelaufen" if language == "de" else "Something went wrong"
        assert expected in page and f'lang="{language}"' in page, page[:500]
        assert "Internal Server Error" not in page
    log = site.log.read_text()[len(before) :]
    assert tracebacks(log) == len(answers), log
    assert len(log.splitlines()) < 60 * len(answers), "a traceback, not pages of them"
