"""The participation report by round: round 1's figures stay when version 2 opens, every figure
and download is of the chosen round, the rounds are compared side by side, and a round's cached
page is never served for another."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from itertools import pairwise

import openpyxl
import pytest
from bs4 import BeautifulSoup

from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.phases.models import Phase
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, queries_for
from tests.drafting import first_paragraph, hide_as_spam, open_phase


@pytest.fixture
def app_config():
    return {"MIN_PUBLIC_GROUP_SIZE": 1}


def _open_version_2(db, draft):
    second = drafts.copy_version(None, draft)
    drafts.open_consultation(None, second)
    open_phase(db, version=second)
    db.session.commit()
    return second


@pytest.fixture
def rounds(db, users, draft):
    """Round 1: three people vote on version 1, one proposal (accepted), one comment, a report.
    Round 2: version 2 opened, two people vote on it, one proposal, one comment."""
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)  # a phase without a version
    planner = users(email="plan@example.org", display_name="Paula", roles=("participant", "planner"))
    mod = users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    anna = users(email="anna@example.org", display_name="Anna", stakeholder_group="residents")
    firma = users(email="firma@example.org", display_name="Firma", stakeholder_group="businesses")
    uni = users(email="uni@example.org", display_name="Uni", stakeholder_group="universities")
    paragraph = first_paragraph(draft)
    accepted = proposals.submit(anna, "WLAN in allen Schulen", "Jede Schule bekommt WLAN.", "education")
    proposals.answer(planner, accepted, "accepted", "Ja.")
    spam = proposals.submit(firma, "Billig", "Kaufen!", "open_data")
    hide_as_spam(mod, anna, spam)
    add_comment(firma, "Auch Berufsschulen", "addition", paragraph.chapter, paragraph)
    for person, value in ((anna, 1), (firma, -1), (uni, 1)):
        drafts.cast_vote(person, paragraph, value)
    db.session.commit()
    second = _open_version_2(db, draft)
    verein = users(email="verein@example.org", display_name="Verein", stakeholder_group="civil_society")
    new_paragraph = first_paragraph(second)
    drafts.cast_vote(verein, new_paragraph, -1)
    drafts.cast_vote(uni, new_paragraph, 0)
    proposals.submit(verein, "Offene Daten", "Ein Portal.", "open_data")
    add_comment(verein, "Mehr Bänke", "addition", new_paragraph.chapter, new_paragraph)
    db.session.commit()
    return {"draft": draft, "second": second}


def _table(page: str, key: str) -> list[list[str]]:
    section = BeautifulSoup(page, "html.parser").find(id=key).find_parent("section")
    return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in section.find_all("tr")]


def _rows(page: str, key: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in _table(page, key)[1:]}


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_round_1_keeps_its_figures_when_version_2_opens(app, rounds):
    page = _get(Browser(app.test_client()), "/report/?round=v1")
    assert "Angezeigt: Runde 1: Version 1" in page
    people = _rows(page, "participants")
    assert people["Einwohner*innen"] == ["1"] and people["Unternehmen und Start-ups"] == ["1"]
    assert people["Hochschulen und Forschung"] == ["1"] and people["Zivilgesellschaft"] == ["0"]
    agreement = _rows(page, "agreement")
    assert agreement["Unternehmen und Start-ups"][:3] == ["0", "0", "1"]
    assert agreement["Einwohner*innen"][:3] == ["1", "0", "0"]
    assert _rows(page, "statuses")["angenommen"] == ["1"] and _rows(page, "statuses")["veröffentlicht"] == ["0"]
    assert sum(int(row[1]) for row in _rows(page, "chapters").values()) == 3  # the votes on version 1
    assert "Version 1" in BeautifulSoup(page, "html.parser").find(id="chapters").get_text()
    assert [sum(int(n) for n in row[:2]) for row in _rows(page, "over_time").values()] == [2]  # proposal, comment
    assert _rows(page, "reach")["Vorschläge"] == ["1", "0"]


def test_round_2_has_its_own_figures_and_is_the_default(app, rounds):
    visitor = Browser(app.test_client())
    page = _get(visitor, "/report/?round=v2")
    people = _rows(page, "participants")
    assert people["Zivilgesellschaft"] == ["1"] and people["Hochschulen und Forschung"] == ["1"]
    assert people["Einwohner*innen"] == ["0"]
    agreement = _rows(page, "agreement")
    assert agreement["Zivilgesellschaft"][:3] == ["0", "0", "1"]
    assert agreement["Hochschulen und Forschung"][:3] == ["0", "1", "0"]
    assert _rows(page, "statuses")["veröffentlicht"] == ["1"] and _rows(page, "statuses")["angenommen"] == ["0"]
    assert sum(int(row[1]) for row in _rows(page, "chapters").values()) == 2
    default = _get(visitor, "/report/")
    assert "Angezeigt: Runde 2: Version 2" in default
    assert _rows(default, "agreement") == agreement
    chosen = BeautifulSoup(default, "html.parser").find("select", id="report-round").find("option", selected=True)
    assert chosen["value"] == "v2"


def test_all_rounds_together_add_up(app, rounds):
    page = _get(Browser(app.test_client()), "/report/?round=all")
    assert "Angezeigt: Alle Runden zusammen" in page
    people = _rows(page, "participants")
    assert [people[g] for g in ("Einwohner*innen", "Hochschulen und Forschung", "Zivilgesellschaft")] == [["1"]] * 3
    assert _rows(page, "agreement")["Hochschulen und Forschung"][:3] == ["1", "1", "0"]  # on both versions
    statuses = _rows(page, "statuses")
    assert statuses["angenommen"] == ["1"] and statuses["veröffentlicht"] == ["1"]
    section = BeautifulSoup(page, "html.parser").find(id="chapters").find_parent("section")
    assert section.find("table") is None and "je Version" in section.get_text()  # a sentence, not an empty chart


def test_a_phase_without_a_version_says_so(app, rounds):
    visitor = Browser(app.test_client())
    page = _get(visitor, "/report/?round=p-running-0011-0")
    for key in ("chapters", "agreement", "consensus"):
        section = BeautifulSoup(page, "html.parser").find(id=key).find_parent("section")
        assert section.find("svg") is None and "keine Version des Entwurfs" in section.get_text(), key
    options = BeautifulSoup(page, "html.parser").find("select", id="report-round").find_all("optgroup")
    assert [group["label"] for group in options] == ["Versionen", "Phasen"]


def test_the_rounds_are_compared_on_both_reports(app, rounds):
    expected = {"Runde 1: Version 1": ["3", "2", "3", "1"], "Runde 2: Version 2": ["2", "2", "2", "0"]}
    for round_key in ("v1", "v2", "all"):  # the same comparison whichever round is shown
        page = _get(Browser(app.test_client()), f"/report/?round={round_key}")
        table = _table(page, "rounds")
        assert table[0] == [
            "Runde",
            "Personen",
            "Vorschläge und Kommentare",
            "Stimmen",
            "Angenommen (ganz oder teilweise)",
        ]
        assert _rows(page, "rounds") == expected
    planners = _get(logged_in(app, "plan@example.org"), "/planning/report/?round=v1")
    assert _rows(planners, "rounds") == expected
    section = BeautifulSoup(planners, "html.parser").find(id="rounds").find_parent("section")
    assert section.find("svg", attrs={"role": "img"}) and section.find("table").caption
    text = Browser(app.test_client()).get("/report/rounds.csv?round=v1").get_data().decode("utf-8")
    assert ["Runde 1: Version 1", "3", "2", "3", "1"] in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_downloads_are_of_the_chosen_round(app, rounds):
    visitor = Browser(app.test_client())
    page = _get(visitor, "/report/?round=v1")
    links = [a["href"] for a in BeautifulSoup(page, "html.parser").find_all("a", href=re.compile(r"\.(csv|xlsx)"))]
    assert links and all("round=v1" in link for link in links)
    response = visitor.get("/report/report.xlsx?round=v1")
    assert re.search(r'filename="participation-report-v1-\d', response.headers["Content-Disposition"])
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert all(" – Runde 1: Version 1" in book[name]["A1"].value for name in book.sheetnames)
    agreement = book["Stimmen zum Entwurf nach Gruppe"]
    rows = {row[0]: row[1:4] for row in agreement.iter_rows(min_row=3, values_only=True)}
    assert rows["Unternehmen und Start-ups"] == (0, 0, 1)
    response = visitor.get("/report/statuses.csv?round=v2")
    assert "-statuses-v2-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8").lstrip("\ufeff"))))
    assert ["veröffentlicht", "1"] in rows and ["angenommen", "0"] in rows
    default = visitor.get("/report/statuses.csv")
    assert "-statuses-v2-" in default.headers["Content-Disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/report/?round=v9",
        "/report/?round=p-nothing",
        "/report/statuses.csv?round=v9",
        "/report/report.xlsx?round=<b>",
        "/report/?round=",
    ],
)
def test_an_unknown_round_is_not_found(app, rounds, url):
    response = Browser(app.test_client()).get(url)
    if url.endswith("round="):  # an empty choice is the current round
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_moderation_by_round_is_for_planners_only(app, rounds):
    visitor = Browser(app.test_client())
    assert "Moderation" not in _get(visitor, "/report/?round=v1")
    assert visitor.get("/report/moderation.csv?round=v1").status_code == 404
    assert visitor.get("/planning/report/?round=v1").status_code == 302
    assert logged_in(app, "anna@example.org").get("/planning/report/?round=v1").status_code == 403
    planner = logged_in(app, "plan@example.org")
    assert _rows(_get(planner, "/planning/report/?round=v1"), "moderation")["Meldungen"] == ["1"]
    assert _rows(_get(planner, "/planning/report/?round=v2"), "moderation")["Meldungen"] == ["0"]
    assert planner.get("/planning/report/moderation.csv?round=v1").status_code == 200
    assert planner.get("/planning/report/moderation.csv?round=v7").status_code == 404


def test_a_round_is_a_fixed_number_of_queries(app, db, users, rounds):
    planner = logged_in(app, "plan@example.org")
    before = queries_for(planner.client, "/planning/report/?round=v1")
    paragraph = first_paragraph(rounds["second"])
    for n in range(5):
        person = users(email=f"more{n}@example.org", stakeholder_group="administration")
        proposals.submit(person, f"Noch ein Vorschlag {n}", "Text", "smart_city")
        drafts.cast_vote(person, paragraph, 1)
    db.session.commit()
    assert queries_for(planner.client, "/planning/report/?round=v1") == before


@pytest.mark.parametrize("app_config", [{"MIN_PUBLIC_GROUP_SIZE": 5}])
def test_small_groups_stay_hidden_in_each_round(app, db, users, draft):
    for n in range(3):
        drafts.cast_vote(users(email=f"r{n}@example.org", stakeholder_group="residents"), first_paragraph(draft), 1)
    db.session.commit()
    second = _open_version_2(db, draft)
    for n in range(3, 5):
        drafts.cast_vote(users(email=f"r{n}@example.org", stakeholder_group="residents"), first_paragraph(second), 1)
    db.session.commit()
    visitor = Browser(app.test_client())
    assert _rows(_get(visitor, "/report/?round=all"), "participants")["Einwohner*innen"] == ["5"]
    for round_key in ("v1", "v2"):  # three and two: too few, in the page and in its download
        assert _rows(_get(visitor, f"/report/?round={round_key}"), "participants")["Einwohner*innen"] == ["–"]
        text = visitor.get(f"/report/participants.csv?round={round_key}").get_data().decode("utf-8")
        assert ["Einwohner*innen", ""] in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("app_config", [{"REPORT_CACHE_SECONDS": 300, "MIN_PUBLIC_GROUP_SIZE": 1}])
def test_a_rounds_cached_page_is_never_served_for_another(app, db, rounds):
    from participation.core import cache
    from participation.statistics.models import ReportSnapshot

    visitor = Browser(app.test_client())
    first = _rows(_get(visitor, "/report/?round=v1"), "agreement")
    second = _rows(_get(visitor, "/report/?round=v2"), "agreement")
    assert first != second
    assert db.session.get(ReportSnapshot, "public-de-v1") and db.session.get(ReportSnapshot, "public-de-v2")
    cache.store().clear()  # as another worker: from the shared snapshots
    assert _rows(_get(visitor, "/report/?round=v1"), "agreement") == first
    assert _rows(_get(visitor, "/report/?round=v2"), "agreement") == second
    assert _rows(_get(visitor, "/report/"), "agreement") == second  # the current round is round 2
    # phases' slugs run to 60 characters: their keys fit the column and stay apart
    for ending in ("a", "b"):
        db.session.add(
            Phase(
                slug="lange-phase-" + "x" * 47 + ending,
                title_de=f"Lang {ending}",
                title_en=f"Long {ending}",
                starts_at=utcnow() - timedelta(hours=1),
                ends_at=utcnow() + timedelta(hours=1),
            )
        )
    db.session.commit()
    for ending in ("a", "b"):
        assert "Angezeigt: Phase: Lang " + ending in _get(visitor, "/report/?round=p-lange-phase-" + "x" * 47 + ending)
    keys = list(db.session.scalars(db.select(ReportSnapshot.key)))
    assert len(keys) == len(set(keys)) == 4 and all(len(key) <= 40 for key in keys)


def test_a_phase_on_a_version_being_prepared_shows_nothing_of_that_version(client, db, users, draft):
    """An admin may set up the phase for version 2 before the planners open it: its round in the
    public report must not show the chapters being written, nor say that the version exists."""
    users(email="anna@example.org")
    second = drafts.copy_version(None, draft, "Entwurf 2")
    second.chapters[0].title = "GEHEIMES KAPITEL IN ARBEIT"
    db.session.add(
        Phase(
            slug="entwurf-2",
            title_de="Entwurf 2 kommentieren",
            title_en="Commenting draft 2",
            starts_at=utcnow() - timedelta(hours=1),
            opens_draft_comments=True,
            opens_draft_votes=True,
            version_id=second.id,
        )
    )
    db.session.commit()
    for url in (
        "/report/?round=p-entwurf-2",
        "/report/chapters.csv?round=p-entwurf-2",
        "/report/report.xlsx?round=p-entwurf-2",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        if url.endswith("xlsx?round=p-entwurf-2"):
            workbook = openpyxl.load_workbook(io.BytesIO(body))
            body = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row).encode()
        assert b"GEHEIMES" not in body, url
        assert b"Version 2" not in body and b"version 2" not in body, url


def test_rounds_follow_each_other_when_a_later_copy_opens_first(db, users, draft):
    """Copies 2 and 3 prepared side by side, 3 opened before 2: the rounds go by the time each
    version went public, so none runs backwards and no moment counts twice."""
    from participation.drafts.rounds import version_round_number, version_rounds

    draft.published_at = utcnow() - timedelta(days=10)
    second = drafts.copy_version(None, draft, "Entwurf 2")
    third = drafts.copy_version(None, draft, "Entwurf 3")
    drafts.open_consultation(None, third)
    third.published_at = utcnow() - timedelta(days=2)
    drafts.open_consultation(None, second)
    second.published_at = utcnow() - timedelta(days=1)
    db.session.commit()
    rounds = version_rounds()
    assert [round_.number for round_ in rounds] == [1, 3, 2]
    for earlier, later in pairwise(rounds):
        assert earlier.ends_at == later.starts_at
        assert later.ends_at is None or later.starts_at < later.ends_at
    assert version_round_number(utcnow() - timedelta(hours=36)) == 3
    assert version_round_number(utcnow()) == 2
