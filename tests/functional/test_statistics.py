"""The participation report: the public summary and the planners' report show the data as charts
with tables, in a fixed number of queries, and the same tables download as XLSX and CSV."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup

from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.incorporation import services as incorporation
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, queries_for
from tests.drafting import first_paragraph, hide_as_spam, open_phase


@pytest.fixture
def app_config():
    """One person per group: these tests check how the figures are made and shown, with the
    smallest public group at one; test_disclosure checks the figures at the default of five."""
    return {"MIN_PUBLIC_GROUP_SIZE": 1}


@pytest.fixture
def data(db, users, draft):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Paula", roles=("participant", "planner"))
    mod = users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    anna = users(email="anna@example.org", display_name="Anna", stakeholder_group="residents")
    firma = users(email="firma@example.org", display_name="Firma", stakeholder_group="businesses")
    uni = users(email="uni@example.org", display_name="Uni", stakeholder_group="universities")
    paragraph = first_paragraph(draft)
    accepted = proposals.submit(anna, "WLAN in allen Schulen", "Jede Schule bekommt WLAN.", "education")
    proposals.answer(planner, accepted, "accepted", "Ja.")
    proposals.submit(firma, "Offene Daten", "Ein Portal.", "open_data")
    spam = proposals.submit(firma, "<script>alert(1)</script> Billig", "Kaufen!", "open_data")
    hide_as_spam(mod, anna, spam)
    add_comment(firma, "Auch Berufsschulen", "addition", paragraph.chapter, paragraph)
    for person, value in ((anna, 1), (firma, -1), (uni, 1)):
        drafts.cast_vote(person, paragraph, value)
    incorporation.incorporate(planner, paragraph, accepted, "full", "")
    db.session.commit()
    return {"draft": draft, "paragraph": paragraph}


def _main(page: str) -> str:
    return str(BeautifulSoup(page, "html.parser").find("main"))


def _table(page: str, key: str) -> list[list[str]]:
    section = BeautifulSoup(page, "html.parser").find(id=key).find_parent("section")
    return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in section.find_all("tr")]


def test_the_public_summary_shows_charts_with_their_tables(app, data):
    response = Browser(app.test_client()).get("/report/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    participants = _table(page, "participants")
    assert participants[0] == ["Gruppe", "Personen"]
    assert ["Einwohner*innen", "1"] in participants and ["Unternehmen und Start-ups", "1"] in participants
    statuses = dict(row for row in _table(page, "statuses")[1:])
    assert statuses["angenommen"] == "1" and statuses["veröffentlicht"] == "1"  # not the hidden one
    agreement = {row[0]: row for row in _table(page, "agreement")[1:]}
    assert agreement["Unternehmen und Start-ups"][1:4] == ["0", "0", "1"]
    assert _table(page, "reach")[1] == ["Vorschläge", "1", "1"]
    assert "Moderation" not in [h.get_text() for h in BeautifulSoup(page, "html.parser").find_all("h2")]
    soup = BeautifulSoup(page, "html.parser")
    charts = soup.find_all("svg")
    assert len(charts) >= 6 and all(chart.get("role") == "img" and chart.title for chart in charts)
    for chart in charts:  # each chart has its numbers as a table right after it
        assert chart.find_next_sibling("div", class_="table-scroll").table.caption
    assert "<script>alert(1)" not in page


def test_the_planners_report_adds_moderation_and_is_theirs_only(app, data):
    assert Browser(app.test_client()).get("/planning/report/").status_code == 302
    assert logged_in(app, "anna@example.org").get("/planning/report/").status_code == 403
    page = logged_in(app, "plan@example.org").get("/planning/report/").get_data(as_text=True)
    moderation_rows = {row[0]: row[1] for row in _table(page, "moderation")[1:]}
    assert moderation_rows["Meldungen"] == "1" and moderation_rows["Ausgeblendet"] == "1"
    assert moderation_rows["Jetzt ausgeblendet: Spam oder Werbung"] == "1"
    assert moderation_rows["Stunden von einer Meldung bis zur Entscheidung (Median)"] == "0"
    consensus = _table(page, "consensus")
    assert consensus[1][:4] == ["Konsens", "1.1", "3", "67 %"]


def test_the_report_is_a_fixed_number_of_queries(app, db, users, data):
    planner = logged_in(app, "plan@example.org")
    before = queries_for(planner.client, "/planning/report/")
    for n in range(5):
        person = users(email=f"more{n}@example.org", stakeholder_group="civil_society")
        proposals.submit(person, f"Noch ein Vorschlag {n}", "Text", "smart_city")
        drafts.cast_vote(person, data["paragraph"], 0)
    db.session.commit()
    assert queries_for(planner.client, "/planning/report/") == before


def test_the_tables_download_as_xlsx_and_csv(app, data):
    visitor = Browser(app.test_client())
    book = openpyxl.load_workbook(io.BytesIO(visitor.get("/report/report.xlsx").get_data()))
    assert "Teilnehmende nach Gruppe" in book.sheetnames and "Moderation" not in book.sheetnames
    sheet = book["Teilnehmende nach Gruppe"]
    assert sheet["A1"].value == "Teilnehmende nach Gruppe – Runde 1: Version 1"
    assert [c.value for c in sheet[2]] == ["Gruppe", "Personen"] and sheet["B3"].value == 1
    text = visitor.get("/report/statuses.csv").get_data().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Status", "Vorschläge"] and ["angenommen", "1"] in rows
    assert visitor.get("/report/moderation.csv").status_code == 404
    assert visitor.get("/report/report.csv").status_code == 404
    assert visitor.get("/report/statuses.xlsx").status_code == 404
    planner = logged_in(app, "plan@example.org")
    full = openpyxl.load_workbook(io.BytesIO(planner.get("/planning/report/report.xlsx").get_data()))
    assert "Moderation" in full.sheetnames


def test_an_empty_site_has_a_report_too(app, db):
    page = Browser(app.test_client()).get("/report/").get_data(as_text=True)
    assert "Beteiligung in Zahlen" in page


def test_the_median_time_to_a_decision_is_the_middle_one(app, db, users):
    from datetime import timedelta

    from participation.core.models import utcnow
    from participation.moderation.models import Flag
    from participation.statistics.figures import _hours, _median, _seconds_between

    author = users(email="author@example.org")
    proposal = proposals.submit(author, "Ein Vorschlag", "Text", "education")
    start = utcnow() - timedelta(days=2)
    for hours in (1, 10, 3, None):
        decided = start + timedelta(hours=hours) if hours else None
        status = "dismissed" if hours else "open"
        db.session.add(
            Flag(proposal_id=proposal.id, reason="spam", created_at=start, decided_at=decided, status=status)
        )
    db.session.commit()
    seconds = _median(_seconds_between(Flag.created_at, Flag.decided_at), Flag.decided_at.is_not(None))
    assert _hours(seconds) == 3.0


def test_the_demo_data_fill_the_report(app, db):
    from bs4 import BeautifulSoup

    from participation.seed import seed_demo

    seed_demo()
    db.session.commit()
    page = BeautifulSoup(Browser(app.test_client()).get("/report/").get_data(as_text=True), "html.parser")
    sections = page.find_all("section", class_="report-figure")
    assert len(sections) == 9
    for section in sections:  # each with a chart and its table, holding more than zeros
        assert section.find("svg", attrs={"role": "img"}) and section.find("table").caption, section.h2
        numbers = [td.get_text() for td in section.find_all("td", class_="number")]
        assert any(number not in ("0", "") for number in numbers), section.h2.get_text()


@pytest.mark.parametrize("app_config", [{"REPORT_CACHE_SECONDS": 300}])
def test_one_worker_makes_the_figures_and_the_others_read_them(app, db, data, monkeypatch):
    from datetime import timedelta

    from participation.core import cache
    from participation.statistics import figures
    from participation.statistics.models import ReportSnapshot

    made = Browser(app.test_client()).get("/report/").get_data(as_text=True)
    stored = db.session.get(ReportSnapshot, "public-de-v1")
    assert stored is not None and "Teilnehmende nach Gruppe" in stored.html

    def fail(full, round_):
        raise AssertionError("computed again")

    monkeypatch.setattr(figures, "report", fail)
    cache.store().clear()  # as another worker, which has nothing of its own yet
    again = Browser(app.test_client()).get("/report/").get_data(as_text=True)
    assert _main(again) == _main(made)  # the same figures (the page around them has its own token)

    calls = []
    monkeypatch.setattr(figures, "report", lambda full, round_: calls.append(full) or [])
    stored.made_at -= timedelta(seconds=301)
    db.session.commit()
    cache.store().clear()
    later = Browser(app.test_client()).get("/report/").get_data(as_text=True)
    assert calls == [False] and "Teilnehmende nach Gruppe" not in later  # made anew once it was old
