"""The Atom feed of the measures' updates: well-formed XML, only updates of published measures,
newest first and bounded, hostile text escaped, one measure's updates on request, absolute links
from the public address."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from participation.measures import feed, services
from tests.conftest import Browser, queries_for
from tests.measure_public import DRAFT_UPDATE, HOSTILE, action_concept
from tests.xss import page_problems

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://mitmachen.stadt-koeln.de"


@pytest.fixture
def site(db, users, draft):
    return action_concept(db, users, draft)


def _feed(app, url="/measures/feed.atom", **headers):
    response = Browser(app.test_client()).get(url, headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 (our own output, under test)


def _entries(tree) -> list[ET.Element]:
    return list(tree.iter(f"{ATOM}entry"))


def test_the_feed_holds_the_public_updates_newest_first_escaped(app, db, site):
    tree = _feed(app)
    entries = _entries(tree)
    assert len(entries) == 2
    # newest first: the schools' update was posted after the fibre one
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[0].startswith("Tablets für Grundschulen") and titles[1].startswith(HOSTILE)
    contents = [entry.findtext(f"{ATOM}content") for entry in entries]
    assert all(page_problems(content) == [] for content in contents)  # the script only as text
    assert "&lt;script&gt;" in contents[1] and "<b>" not in contents[1]
    assert DRAFT_UPDATE not in ET.tostring(tree, encoding="unicode")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert ids[1].startswith(f"http://localhost/measures/{site['fibre'].id}#update-") and len(set(ids)) == 2
    assert tree.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Koordinierungsstelle Digitalisierung"


def test_one_measures_updates_and_refusals(app, site):
    fibre = site["fibre"]
    tree = _feed(app, f"/measures/feed.atom?measure={fibre.id}")
    assert [e.findtext(f"{ATOM}title") for e in _entries(tree)] == [_entries(_feed(app))[1].findtext(f"{ATOM}title")]
    assert tree.findtext(f"{ATOM}title").endswith(HOSTILE)
    client = Browser(app.test_client())
    for query in (str(site["secret"].id), "abc", "99999999999", "-1", "1e3"):
        assert client.get(f"/measures/feed.atom?measure={query}").status_code == 404, query


def test_the_feed_is_bounded_and_its_queries_flat(app, db, site, monkeypatch):
    client = Browser(app.test_client())
    few = queries_for(client, "/measures/feed.atom")
    for number in range(5):
        services.post_update(site["planner"], site["schools"], f"Neuigkeit {number}")
    db.session.commit()
    assert queries_for(client, "/measures/feed.atom") == few
    monkeypatch.setattr(feed, "FEED_ENTRIES", 3)
    assert len(_entries(_feed(app))) == 3


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": BASE + "/"}])
def test_links_come_from_the_public_address(app, site):
    tree = _feed(app, Host="evil.example", **{"X-Forwarded-Host": "evil.example"})
    links = [link.get("href") for link in tree.iter(f"{ATOM}link")] + [e.text for e in tree.iter(f"{ATOM}id")]
    assert links and all(link.startswith(BASE + "/") for link in links), links
