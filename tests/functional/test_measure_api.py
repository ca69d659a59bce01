"""The action concept in the JSON API: published measures, paginated and filtered, each with its
parts and only the public contributions behind it; the published interim reports with their
snapshot rows; drafts answer 404; lists take the same number of queries however long; and the
operations do what the OpenAPI description says (schemathesis, with data to find)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from participation.measures import services
from tests.conftest import Browser, queries_for
from tests.measure_public import DRAFT_REPORT, DRAFT_TITLE, DRAFT_UPDATE, HIDDEN_PROPOSAL, HOSTILE, action_concept
from tests.measuring import measure


@pytest.fixture
def site(db, users, draft):
    return action_concept(db, users, draft)


def _get(app, url, status=200):
    response = Browser(app.test_client()).get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def _ids(answer) -> list[int]:
    return [item["id"] for item in answer["items"]]


def test_measures_are_the_published_ones_paginated_and_filtered(app, site):
    fibre, schools = site["fibre"], site["schools"]
    first = _get(app, "/api/v1/measures?per_page=1&topic=&status=")
    assert first["total"] == 2 and _ids(first) == [fibre.id] and first["previous"] is None
    second = _get(app, first["next"])
    assert _ids(second) == [schools.id] and second["next"] is None
    item = first["items"][0]
    assert item["title"] == {"de": HOSTILE, "en": "Fibre for every school"}
    assert item["organisation"] == {"id": fibre.organisation_id, "name": "RheinEnergie AG", "kind": "municipal_company"}
    assert (item["status"], item["budget_eur"], item["progress"]) == ("implementing", 250000.0, 0)
    assert item["url"] == f"http://localhost/measures/{fibre.id}"
    for query, expected in (
        ("topic=education", [schools.id]),
        ("status=implementing", [fibre.id]),
        (f"organisation={site['office'].id}", [schools.id]),
        ("district=ehrenfeld", [schools.id]),
        ("district=citywide&topic=infrastructure", [fibre.id]),
        ("organisation=999999", []),
    ):
        assert _ids(_get(app, f"/api/v1/measures?{query}")) == expected, query
    # the filters go on into the next page's link, and nothing else does
    filtered = _get(app, "/api/v1/measures?per_page=1&district=citywide&endpoint=x")
    assert filtered["total"] == 1 and filtered["next"] is None
    assert _get(app, f"/api/v1/measures?after={fibre.id}")["items"][0]["id"] == schools.id
    for wrong in ("topic=weather", "status=done", "organisation=x", "district=paris", "per_page=500"):
        assert _get(app, f"/api/v1/measures?{wrong}", 400)["parameter"] == wrong.split("=")[0]


def test_a_measure_with_its_parts_and_only_the_public_sources(app, site):
    fibre = site["fibre"]
    found = _get(app, f"/api/v1/measures/{fibre.id}")
    assert [stone["title"]["de"] for stone in found["milestones"]] == ["Ausschreibung"]
    (indicator,) = found["indicators"]
    assert (indicator["baseline"], indicator["target"], indicator["unit"]["de"]) == (10.0, 100.0, "%")
    assert indicator["values"] == [{"measured_on": "2026-06-30", "value": 35.0, "source": "Schulverwaltungsamt"}]
    (update,) = found["updates"]
    assert update["body"]["de"].endswith(HOSTILE) and update["written_for"] is None  # by the coordinating unit
    assert found["paragraphs"] == [site["paragraph"].lineage_key]
    kinds = [(source["kind"], source["contribution_id"]) for source in found["sources"]]
    assert kinds == [("proposal", site["kept"].id), ("comment", site["comment"].id)]  # not the hidden proposal
    assert found["sources"][0]["url"] == f"http://localhost/proposals/{site['kept'].id}"
    text = json.dumps(found)
    for private in (HIDDEN_PROPOSAL, "Planerin Paula", "Erika", "@example.org"):
        assert private not in text, private


def test_drafts_answer_404_and_appear_nowhere(app, site):
    assert _get(app, f"/api/v1/measures/{site['secret'].id}", 404)["error"] == "not_found"
    assert _get(app, f"/api/v1/interim-reports/{site['draft_report'].id}", 404)["error"] == "not_found"
    everything = json.dumps(
        [
            _get(app, "/api/v1/measures"),
            _get(app, "/api/v1/interim-reports"),
            _get(app, f"/api/v1/interim-reports/{site['report'].id}"),
        ]
    )
    for private in (DRAFT_TITLE, DRAFT_UPDATE, DRAFT_REPORT):
        assert private not in everything, private
    assert f'"measure_id": {site["secret"].id}' not in everything  # not even the draft's snapshot row


def test_published_interim_reports_with_their_snapshot(app, site):
    reports = _get(app, "/api/v1/interim-reports")
    assert _ids(reports) == [site["report"].id] and reports["total"] == 1
    assert reports["items"][0]["period_end"] == "2026-06-30" and reports["items"][0]["revision"] == 1
    found = _get(app, f"/api/v1/interim-reports/{site['report'].id}")
    rows = {row["measure_id"]: row for row in found["measures"]}
    assert set(rows) == {site["fibre"].id, site["schools"].id}
    assert rows[site["fibre"].id] == {
        "measure_id": site["fibre"].id,
        "topic": "infrastructure",
        "status": "implementing",
        "progress": 0,
        "weight": 1.0,
        "planned_end_on": "2027-12-31",
    }
    assert found["sections"] == [{"topic": "infrastructure", "text": {"de": "Gut voran.", "en": "Going well."}}]


def test_lists_take_the_same_queries_however_many_measures(app, db, site):
    client = Browser(app.test_client())
    few = queries_for(client, "/api/v1/measures")
    single = queries_for(client, f"/api/v1/measures/{site['fibre'].id}")
    for number in range(6):
        made = measure(db, site["planner"], title_de=f"Maßnahme {number}", parent_id=site["secret"].id)
        services.post_update(site["planner"], made, f"Neu {number}")
    db.session.commit()
    assert queries_for(client, "/api/v1/measures") == few
    assert queries_for(client, "/api/v1/interim-reports") <= few
    assert single <= 12
    # a part of a draft does not point at it
    assert {item["parent_id"] for item in _get(app, "/api/v1/measures")["items"]} == {None}


def test_the_measure_operations_do_what_the_openapi_description_says(app, site):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if "measures" not in operation.path and "interim-reports" not in operation.path:
            continue
        checked.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        check()
    assert len(checked) == 4, checked
    # and with the ids that exist, so the details' schemas meet real answers
    for url in (f"/api/v1/measures/{site['fibre'].id}", f"/api/v1/interim-reports/{site['report'].id}"):
        response = app.test_client().get(url)
        operation = schema.find_operation_by_path("GET", url.rsplit("/", 1)[0] + "/{" + _name(url) + "}")
        operation.validate_response(response)


def _name(url: str) -> str:
    return "measure_id" if "/measures/" in url else "report_id"
