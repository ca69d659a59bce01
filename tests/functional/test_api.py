"""The public JSON API: what the public may read, anonymised, paginated, and exactly as its
OpenAPI description says (checked by schemathesis with generated requests)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.proposals import services as proposals
from tests.conftest import Browser
from tests.drafting import first_paragraph, hide_as_spam, open_phase


@pytest.fixture
def site(db, users, draft):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Paula", roles=("participant", "planner"))
    mod = users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    erika = users(email="erika@example.org", display_name="Erika Mustermann", stakeholder_group="residents")
    paragraph = first_paragraph(draft)
    topics = ("education", "economy", "smart_city")
    shown = [proposals.submit(erika, f"Vorschlag {n}", f"Text {n} **fett**", topic) for n, topic in enumerate(topics)]
    proposals.answer(planner, shown[0], "accepted", "Ja.")
    hidden = proposals.submit(erika, "Versteckt", "Werbung", "open_data")
    hide_as_spam(mod, planner, hidden)
    pending = proposals.submit(erika, "Wartet", "Text", "education", held_because=["first"])
    add_comment(erika, "Zum Absatz", "question", paragraph.chapter, paragraph)
    add_comment(erika, "Unter dem Versteckten", None, proposal=hidden)
    drafts.cast_vote(erika, paragraph, 1)
    drafts.copy_version(planner, draft)  # a version being prepared: not public
    db.session.commit()
    return {"shown": shown, "hidden": hidden, "pending": pending, "draft": draft, "paragraph": paragraph}


def _get(app, url, status=200):
    response = Browser(app.test_client()).get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def test_proposals_are_the_public_ones_anonymised_and_paginated(app, site):
    first = _get(app, "/api/v1/proposals?per_page=2")
    assert first["total"] == 3 and len(first["items"]) == 2 and first["previous"] is None
    second = _get(app, first["next"])
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == [proposal.id for proposal in site["shown"]] and second["next"] is None
    assert first["items"][0]["answer"] == "Ja." and first["items"][0]["stakeholder_group"] == "residents"
    text = json.dumps(first) + json.dumps(second)
    assert "Erika" not in text and "@example.org" not in text
    assert _get(app, "/api/v1/proposals?status=accepted")["total"] == 1
    for private in (site["hidden"], site["pending"]):
        assert _get(app, f"/api/v1/proposals/{private.id}", 404)["error"] == "not_found"


def test_versions_chapters_paragraphs_and_comments(app, site):
    versions = _get(app, "/api/v1/versions")["items"]
    assert [version["number"] for version in versions] == [site["draft"].number]  # not the one prepared
    assert _get(app, f"/api/v1/versions/{site['draft'].number + 1}", 404)
    detail = _get(app, f"/api/v1/versions/{site['draft'].number}")
    assert detail["chapters"][0]["number"] == 1
    paragraphs = _get(app, f"/api/v1/versions/{site['draft'].number}/paragraphs?per_page=1")
    assert paragraphs["items"][0]["number"] == "1.1" and paragraphs["items"][0]["votes"]["agree"] == 1
    comments = _get(app, "/api/v1/comments")
    assert [comment["body"] for comment in comments["items"]] == ["Zum Absatz"]
    on_paragraph = _get(app, f"/api/v1/comments?paragraph={site['paragraph'].id}")
    assert on_paragraph["total"] == 1
    assert _get(app, f"/api/v1/comments?proposal={site['hidden'].id}")["total"] == 0


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=101", "per_page=-1", "topic=weather", "proposal=1e3"])
def test_a_wrong_parameter_is_a_clear_400(app, site, query):
    url = "/api/v1/comments?" if query.startswith("proposal") else "/api/v1/proposals?"
    answer = _get(app, url + query, 400)
    assert answer["error"] == "bad_request" and answer["parameter"] == query.split("=")[0]


def test_the_api_does_what_its_openapi_description_says(app, site):
    """Generated requests to every operation: each answer's status, type and body are as described."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        check()
    assert len(labels) == 11, labels  # 7, and the action concept's 4 (test_measure_api)


def test_paging_goes_on_by_id_and_links_carry_only_known_filters(app, site):
    first = _get(app, "/api/v1/proposals?per_page=1&status=published&endpoint=x&_external=1&_method=POST")
    assert first["next"] == "http://localhost/api/v1/proposals?per_page=1&status=published&page=2"
    onward = _get(app, f"/api/v1/proposals?per_page=2&after={site['shown'][0].id}")
    assert [item["id"] for item in onward["items"]] == [p.id for p in site["shown"][1:]]
    assert onward["next"] is None and onward["previous"] is None
    assert _get(app, "/api/v1/proposals?per_page=1&after=0")["next"].endswith(f"after={site['shown'][0].id}")
    assert _get(app, "/api/v1/proposals?page=101", 400)["parameter"] == "page"


BASE = "https://mitmachen.stadt-koeln.de"


def _links(answer) -> list[str]:
    """Every absolute URL anywhere in a JSON answer."""
    if isinstance(answer, dict):
        return [link for value in answer.values() for link in _links(value)]
    if isinstance(answer, list):
        return [link for value in answer for link in _links(value)]
    return [answer] if isinstance(answer, str) and "://" in answer else []


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": BASE + "/"}])
def test_links_come_from_the_public_address_not_the_host_header(app, site):
    """A forged Host (or X-Forwarded-Host) would otherwise go into the links, and a cache in front
    would hand them to everyone."""
    client = app.test_client()
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    number = site["draft"].number
    links = []
    for url in (
        "/api/v1/proposals?per_page=1",
        "/api/v1/proposals?per_page=1&after=0",
        "/api/v1/proposals?per_page=1&page=2",
        f"/api/v1/proposals/{site['shown'][0].id}",
        "/api/v1/versions",
        f"/api/v1/versions/{number}",
        f"/api/v1/versions/{number}/paragraphs?per_page=1",
        "/api/v1/comments?per_page=1",
    ):
        response = client.get(url, headers=forged)
        assert response.status_code == 200, url
        links += _links(response.get_json())
    assert links and all(link.startswith(BASE + "/") for link in links), links
    assert f"{BASE}/api/v1/proposals?per_page=1&page=2" in links  # the next link
    assert f"{BASE}/proposals/{site['shown'][0].id}" in links  # an item's page
    servers = client.get("/api/openapi.json", headers=forged).get_json()["servers"]
    assert servers == [{"url": BASE}]
