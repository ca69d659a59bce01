"""The action concept in the open data: the measure and report tables with a README line for
every column; drafts of measures and reports and contributions hidden since they were linked
never appear; a change to a public measure or a published report makes the open data out of date."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest

from participation.exports import freshness, measure_data
from participation.extensions import db as _db
from participation.measures import services
from participation.reporting import open_data as report_data
from tests.conftest import Browser
from tests.measure_public import (
    DRAFT_REPORT,
    DRAFT_TITLE,
    DRAFT_UPDATE,
    HIDDEN_PROPOSAL,
    HOSTILE,
    MEASURE_FILES,
    action_concept,
)
from tests.measure_public import report as make_report


@pytest.fixture
def site(db, users, draft):
    return action_concept(db, users, draft)


def _files(app) -> dict[str, bytes]:
    response = Browser(app.test_client()).get("/open-data/open-data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def test_the_zip_holds_the_published_action_concept_with_every_column_described(app, site):
    files = _files(app)
    assert set(files) >= MEASURE_FILES
    readme = files["README.md"].decode()
    for name in MEASURE_FILES:
        headings = next(csv.reader(io.StringIO(files[name].decode("utf-8").lstrip("\ufeff"))))
        section = readme.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
        for heading in headings:
            line = next(line for line in section.splitlines() if line.startswith(f"| `{heading}` |"))
            assert " – " in line and " / " in line, line  # German heading, then the meaning in both languages

    fibre, schools = site["fibre"], site["schools"]
    measures = {int(row["id"]): row for row in _csv(files["measures.csv"])}
    assert set(measures) == {fibre.id, schools.id}
    row = measures[fibre.id]
    assert row["title_de"] == HOSTILE  # as typed: the CSV is data, not a page
    assert (row["status"], row["responsible"], row["responsible_kind"]) == (
        "in Umsetzung",
        "RheinEnergie AG",
        "Städtische Gesellschaft",
    )
    assert (row["budget_eur"], row["inside_administration"], row["topic"]) == ("250000", "ja", "Digitale Infrastruktur")
    assert row["url"].endswith(f"/measures/{fibre.id}") and row["published_at"]
    assert measures[schools.id]["inside_administration"] == "nein" and measures[schools.id]["district"] == "Ehrenfeld"

    assert [r["title_de"] for r in _csv(files["milestones.csv"])] == ["Ausschreibung"]
    (indicator,) = _csv(files["indicators.csv"])
    assert (indicator["measure_id"], indicator["target"]) == (str(fibre.id), "100")
    (value,) = _csv(files["indicator_values.csv"])
    assert (value["indicator_id"], value["measured_on"], value["value"]) == (indicator["id"], "2026-06-30", "35")
    updates = _csv(files["measure_updates.csv"])
    assert sorted(int(u["measure_id"]) for u in updates) == sorted([fibre.id, schools.id])
    assert "author" not in updates[0]
    (paragraph,) = _csv(files["measure_paragraphs.csv"])
    assert (paragraph["lineage"], paragraph["paragraph"]) == (site["paragraph"].lineage_key, "1.1")
    sources = _csv(files["measure_sources.csv"])
    assert [(s["kind"], s["contribution_id"]) for s in sources] == [
        ("proposal", str(site["kept"].id)),
        ("comment", str(site["comment"].id)),
    ]
    assert sources[1]["url"].endswith(f"/paragraphs/{site['paragraph'].id}#comment-{site['comment'].id}")

    (published,) = _csv(files["interim_reports.csv"])
    assert (published["id"], published["revision"], published["title_de"]) == (
        str(site["report"].id),
        "1",
        "Erster Zwischenbericht",
    )
    snapshot = _csv(files["interim_report_measures.csv"])
    assert sorted(int(r["measure_id"]) for r in snapshot) == sorted([fibre.id, schools.id])  # not the draft's row
    assert {r["report_id"] for r in snapshot} == {published["id"]}

    data = json.loads(files["data.json"])
    assert [m["id"] for m in data["measures"]] == sorted([fibre.id, schools.id])
    assert len(data["interim_report_measures"]) == 2
    everything = b" ".join(files.values()).decode("utf-8")
    for private in (DRAFT_TITLE, DRAFT_UPDATE, "Geheimer Meilenstein", DRAFT_REPORT, HIDDEN_PROPOSAL, "Planerin Paula"):
        assert private not in everything, private


def test_every_column_has_a_description(app, site):
    with app.test_request_context():
        for sheet, notes in [(sheet, measure_data.NOTES) for sheet in measure_data.sheets()] + report_data.tables():
            for column in sheet.columns:
                assert f"{sheet.key}.{column.key}" in notes, (sheet.key, column.key)


def _revision() -> int:
    return freshness.revision(_db.session)


def test_changes_to_public_measures_and_reports_put_the_open_data_out_of_date(app, db, site):
    planner, fibre, secret = site["planner"], site["fibre"], site["secret"]
    steps = [
        ("an update", lambda: services.post_update(planner, fibre, "Neue Schulen")),
        ("a changed measure", lambda: services.change_measure(planner, fibre, {"title_en": "Fibre, faster"})),
        ("a new value", lambda: services.record_value(planner, fibre.indicators[0], date(2026, 9, 30), 50.0)),
        ("a paragraph unlinked", lambda: services.unlink_paragraph(planner, fibre, site["paragraph"].lineage_key)),
        ("a measure published", lambda: services.publish_measure(planner, secret)),
        ("a report published", lambda: make_report(db, "Zweiter Bericht", [fibre], publish=True)),
    ]
    for name, step in steps:
        before = _revision()
        step()
        db.session.commit()
        assert _revision() > before, name


def test_drafts_and_draft_reports_leave_the_open_data_as_it_is(app, db, site):
    planner = site["planner"]
    before = _revision()
    draft = services.create_measure(planner, {"title_de": "Noch ein Entwurf", "topic": "education",
                                              "organisation_id": site["office"].id})  # fmt: skip
    services.post_update(planner, draft, "Entwurf")
    services.change_measure(planner, draft, {"title_en": "Another draft"})
    make_report(db, "Dritter Bericht (Entwurf)", [site["fibre"]], publish=False)
    db.session.commit()
    assert _revision() == before


def test_the_open_data_page_names_the_action_concept(app, site):
    page = Browser(app.test_client()).get("/open-data/").get_data(as_text=True)
    assert "Maßnahmen" in page and "Zwischenberichte" in page
