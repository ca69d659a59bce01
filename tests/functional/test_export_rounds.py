"""Downloads and the open data carry the round: a row made in round 1 keeps round 1 after version
2 opens, what is made on or during version 2 is round 2, the planners can download one round, and
nothing hidden, withdrawn or deleted appears in any of it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import openpyxl
import pytest

from participation.comments.services import add_comment, delete_comment
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.incorporation import services as incorporation
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in
from tests.drafting import first_paragraph, hide_as_spam, open_phase

KINDS = ("proposals", "comments", "votes", "decisions", "incorporations")
SECRETS = ("Versteckt in Runde zwei", "Zurückgezogen in Runde eins", "Gelöschter Kommentar")


def _round_one(db, users, draft) -> dict:
    """Round 1: a proposal, comments on it and on the draft, a vote on version 1; and a withdrawn
    proposal and a deleted comment that must appear nowhere."""
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Paula", roles=("participant", "planner"))
    users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    anna = users(email="anna@example.org", display_name="Anna", stakeholder_group="residents")
    firma = users(email="firma@example.org", display_name="Firma", stakeholder_group="businesses")
    paragraph = first_paragraph(draft)
    first = proposals.submit(anna, "Runde eins: WLAN", "In allen Schulen.", "education")
    on_draft = add_comment(firma, "Runde eins zum Absatz", "addition", paragraph.chapter, paragraph)
    on_first = add_comment(firma, "Runde eins zum Vorschlag", None, proposal=first)
    withdrawn = proposals.submit(anna, SECRETS[1], "Doch nicht.", "education")
    proposals.withdraw(withdrawn)
    deleted = add_comment(anna, SECRETS[2], None, proposal=first)
    delete_comment(deleted)
    drafts.cast_vote(anna, paragraph, 1)
    db.session.flush()
    # round 1 lies in the past: version 1 came out three days ago, its input two days ago
    draft.published_at = utcnow() - timedelta(days=3)
    for made in (first, on_draft, on_first, withdrawn, deleted):
        made.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    return {
        "planner": planner,
        "anna": anna,
        "firma": firma,
        "first": first,
        "on_draft": on_draft,
        "on_first": on_first,
    }


def _round_two(db, draft, site: dict) -> dict:
    """Version 2 opens; a new proposal, a vote and a comment on version 2, a late comment on the
    round-1 proposal, a hidden proposal, and the round-1 proposal taken into version 2."""
    planner, anna, firma = site["planner"], site["anna"], site["firma"]
    second_version = drafts.copy_version(planner, draft)
    drafts.close_consultation(planner, draft)
    drafts.open_consultation(planner, second_version)
    open_phase(db, version=second_version, proposals=True)
    db.session.flush()
    paragraph = first_paragraph(second_version)
    second = proposals.submit(firma, "Runde zwei: Sensoren", "LoRaWAN überall.", "smart_city")
    hidden = proposals.submit(firma, SECRETS[0], "Werbung", "smart_city")
    hide_as_spam(_moderator(db), anna, hidden)
    on_second_draft = add_comment(anna, "Runde zwei zum Absatz", "question", paragraph.chapter, paragraph)
    late = add_comment(anna, "Runde zwei zum alten Vorschlag", None, proposal=site["first"])
    drafts.cast_vote(firma, paragraph, -1)
    incorporation.incorporate(planner, paragraph, site["first"], "full", "")
    db.session.commit()
    return site | {
        "second_version": second_version,
        "second": second,
        "on_second_draft": on_second_draft,
        "late": late,
    }


def _moderator(db):
    from sqlalchemy import select

    from participation.accounts.models import User

    return db.session.scalar(select(User).where(User.email == "mod@example.org"))


@pytest.fixture
def rounds(db, users, draft):
    return _round_two(db, draft, _round_one(db, users, draft))


def _json_rows(client, kind: str, query: str = "") -> list[dict]:
    response = client.get(f"/planning/exports/{kind}.json{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.loads(response.get_data())[kind]


def _csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def _xlsx_rows(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_round_one_keeps_its_round_after_version_two_opens(app, db, users, draft):
    site = _round_one(db, users, draft)
    planner = logged_in(app, "plan@example.org")
    before = {row["id"]: row["round"] for row in _json_rows(planner, "proposals")}
    assert before == {site["first"].id: 1}
    site = _round_two(db, draft, site)
    after = {row["id"]: row["round"] for row in _json_rows(planner, "proposals")}
    assert after == {site["first"].id: 1, site["second"].id: 2}


def test_every_table_in_every_format_carries_the_round(app, rounds):
    planner = logged_in(app, "plan@example.org")
    comments = {row["id"]: row["round"] for row in _json_rows(planner, "comments")}
    assert comments == {
        rounds["on_draft"].id: 1,  # on version 1
        rounds["on_first"].id: 1,
        rounds["on_second_draft"].id: 2,  # on version 2
        rounds["late"].id: 2,  # on a round-1 proposal, but written in round 2
    }
    votes = {(row["version"], row["paragraph"]): (row["round"], row["total"]) for row in _json_rows(planner, "votes")}
    assert votes[(1, "1.1")] == (1, 1) and votes[(2, "1.1")] == (2, 1)  # the new vote on version 2 is round 2
    assert {r for r, _total in votes.values()} == {1, 2}
    taken = _json_rows(planner, "incorporations")
    assert [(row["contribution_id"], row["version"], row["round"]) for row in taken] == [(rounds["first"].id, 2, 1)]
    assert {row["round"] for row in _json_rows(planner, "decisions")} <= {1, 2}
    # the same in CSV (heading in German) and XLSX
    by_title = {row["Titel"]: row["Runde"] for row in _csv_rows(planner.get("/planning/exports/proposals.csv").data)}
    assert by_title == {"Runde eins: WLAN": "1", "Runde zwei: Sensoren": "2"}
    sheet = _xlsx_rows(planner.get("/planning/exports/proposals.xlsx").data)
    assert {row["Titel"]: row["Runde"] for row in sheet} == {"Runde eins: WLAN": 1, "Runde zwei: Sensoren": 2}
    xlsx_votes = _xlsx_rows(planner.get("/planning/exports/votes.xlsx").data)
    assert {(row["Version"], row["Runde"]) for row in xlsx_votes} == {(1, 1), (2, 2)}


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_hidden_withdrawn_or_deleted_in_any_round(app, rounds, kind):
    planner = logged_in(app, "plan@example.org")
    for query in ("", "?round=v1", "?round=v2"):
        for fmt in ("json", "csv", "xlsx"):
            body = planner.get(f"/planning/exports/{kind}.{fmt}{query}").get_data()
            text = body.decode("utf-8") if fmt != "xlsx" else str(_xlsx_rows(body))
            assert not any(secret in text for secret in SECRETS), (kind, fmt, query)


def test_the_round_filter_narrows_each_table_and_names_the_file(app, rounds):
    planner = logged_in(app, "plan@example.org")
    assert [row["id"] for row in _json_rows(planner, "proposals", "?round=v1")] == [rounds["first"].id]
    assert [row["id"] for row in _json_rows(planner, "proposals", "?round=v2")] == [rounds["second"].id]
    assert {row["id"] for row in _json_rows(planner, "comments", "?round=v1")} == {
        rounds["on_draft"].id,
        rounds["on_first"].id,
    }
    assert {row["id"] for row in _json_rows(planner, "comments", "?round=v2")} == {
        rounds["on_second_draft"].id,
        rounds["late"].id,
    }
    assert {row["version"] for row in _json_rows(planner, "votes", "?round=v2")} == {2}
    assert [row["round"] for row in _json_rows(planner, "incorporations", "?round=v1")] == [1]
    assert _json_rows(planner, "incorporations", "?round=v2") == []
    response = planner.get("/planning/exports/proposals.json?round=v2")
    assert json.loads(response.get_data())["meta"]["filters"] == {"round": 2}
    assert 'filename="masterplan-proposals-round-2-' in response.headers["Content-Disposition"]
    csv_file = planner.get("/planning/exports/comments.csv?round=v1&topic=education")
    assert 'filename="masterplan-comments-round-1-' in csv_file.headers["Content-Disposition"]
    # the page offers the rounds and carries the chosen one in every download link
    page = planner.get("/planning/exports/?round=v1").get_data(as_text=True)
    assert "Runde 2: Version 2" in page and "/planning/exports/votes.xlsx?round=v1" in page


@pytest.mark.parametrize("wrong", ["v9", "p-running-1111-1", "all", "1", "<script>"])
def test_a_round_that_is_no_version_round_is_refused_at_its_field(app, rounds, wrong):
    planner = logged_in(app, "plan@example.org")
    response = planner.get("/planning/exports/proposals.csv", query_string={"round": wrong})
    assert response.status_code == 422 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Bitte wählen Sie eine der angebotenen Möglichkeiten." in page and "<script>" not in page


def _open_data(app) -> dict[str, bytes]:
    response = Browser(app.test_client()).get("/open-data/open-data.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_open_data_carry_the_round_and_say_what_it_is(app, rounds):
    files = _open_data(app)
    proposals_ = {int(row["id"]): row["round"] for row in _csv_rows(files["proposals.csv"])}
    assert proposals_ == {rounds["first"].id: "1", rounds["second"].id: "2"}
    comments = {int(row["id"]): row["round"] for row in _csv_rows(files["comments.csv"])}
    assert comments == {
        rounds["on_draft"].id: "1",
        rounds["on_first"].id: "1",
        rounds["on_second_draft"].id: "2",
        rounds["late"].id: "2",
    }
    votes = {(row["version"], row["paragraph"]): row["round"] for row in _csv_rows(files["votes.csv"])}
    assert votes[("1", "1.1")] == "1" and votes[("2", "1.1")] == "2"
    assert [row["round"] for row in _csv_rows(files["incorporations.csv"])] == ["1"]
    data = json.loads(files["data.json"])
    assert {row["id"]: row["round"] for row in data["proposals"]} == {rounds["first"].id: 1, rounds["second"].id: 2}
    periods = data["meta"]["rounds"]
    second_published = rounds["second_version"].published_at.isoformat(timespec="seconds")
    assert [(p["round"], p["from"], p["until"]) for p in periods] == [
        (1, None, second_published),
        (2, second_published, None),
    ]
    readme = files["README.md"].decode()
    assert readme.count("| `round` |") == 4 and "Runde 1 umfasst auch alles vor Version 1" in readme
    assert f"| 2 | {second_published} | – |" in readme
    everything = b" ".join(files.values()).decode("utf-8", "replace")
    assert not any(secret in everything for secret in SECRETS)
    page = Browser(app.test_client()).get("/open-data/").get_data(as_text=True)
    assert "Spalte „round“" in page and 'href="/api/v1/phases"' in page


def _statements(app, client, url: str) -> int:
    """The SQL statements of one download, its streamed body read to the end."""
    from sqlalchemy import event

    from participation.extensions import db

    seen = []

    def count(*args):
        seen.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        assert response.status_code == 200 and response.get_data()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("kind", ["proposals", "comments", "incorporations"])
def test_the_round_costs_no_query_per_row(app, db, rounds, kind):
    planner = logged_in(app, "plan@example.org")
    before = _statements(app, planner, f"/planning/exports/{kind}.json")
    for n in range(6):
        made = proposals.submit(rounds["anna"], f"Noch einer {n}", "Text", "education")
        add_comment(rounds["firma"], f"Dazu {n}", None, proposal=made)
        incorporation.incorporate(rounds["planner"], first_paragraph(rounds["second_version"]), made, "partly", "")
    db.session.commit()
    assert before >= 4 and _statements(app, planner, f"/planning/exports/{kind}.json") == before
