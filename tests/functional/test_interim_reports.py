"""The interim report: a snapshot of every public measure as it stood on the reporting date (read
from the timeline), what changed since the previous report, the planners' pages from draft to
published (and never changed after), corrections as new revisions, the public pages, the Word
and Markdown files, and the comparison of two reports."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from itertools import islice

import docx as python_docx
import pytest
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.measures import services as measures
from participation.measures.models import MeasureChange
from participation.reporting import services
from participation.reporting.changes import report_changes
from participation.reporting.markdown import report_markdown
from participation.reporting.models import InterimReport, ReportMeasure, ReportSection
from participation.reporting.word import report_docx
from tests.conftest import Browser, logged_in, queries_for
from tests.measuring import measure

H1 = {"title_de": "Zwischenbericht 1. Halbjahr 2027", "title_en": "Interim report H1 2027"}
H2 = {"title_de": "Zwischenbericht 2. Halbjahr 2027", "title_en": "Interim report H2 2027"}
PERIOD1 = {"period_start": date(2027, 1, 1), "period_end": date(2027, 6, 30)}
PERIOD2 = {"period_start": date(2027, 7, 1), "period_end": date(2027, 12, 31)}


def at(year, month, day):
    return datetime(year, month, day, 12, tzinfo=UTC)


def backdate(db, made, moment, fields=("created", "published", "progress")):
    """Move the measure's first timeline entries (creation, publication, first progress) to `moment`."""
    for change in db.session.scalars(select(MeasureChange).where(MeasureChange.measure_id == made.id)):
        if change.field in fields:
            change.created_at = moment
    made.created_at = moment
    made.published_at = moment
    db.session.flush()


def change_at(db, actor, made, moment, values, reason="Stand"):
    """A change through the services, then dated `moment` on the timeline."""
    known = set(db.session.scalars(select(MeasureChange.id).where(MeasureChange.measure_id == made.id)))
    measures.change_measure(actor, made, values, reason)
    for change in db.session.scalars(select(MeasureChange).where(MeasureChange.measure_id == made.id)):
        if change.id not in known:
            change.created_at = moment
    db.session.flush()


@pytest.fixture
def planner(users):
    return users(email="plan@example.org", roles=("participant", "planner"))


@pytest.fixture
def world(db, planner):
    """Three measures with a past: fibre (40 % in May 2027, 80 % and completed in autumn), a
    portal (stopped in autumn), sensors (created only in August); and a draft measure."""
    fibre = measure(db, planner, title_de="Glasfaser für Schulen", title_en="Fibre for schools")
    backdate(db, fibre, at(2026, 12, 1))
    change_at(db, planner, fibre, at(2027, 2, 1), {"status": "implementing"})
    change_at(db, planner, fibre, at(2027, 5, 1), {"progress_set": 40})
    change_at(db, planner, fibre, at(2027, 9, 1), {"progress_set": 80})
    change_at(db, planner, fibre, at(2027, 11, 1), {"status": "completed", "progress_set": 100})
    portal = measure(
        db,
        planner,
        title_de="Serviceportal",
        title_en="Service portal",
        topic="administration",
        planned_end_on=date(2027, 3, 31),
    )
    backdate(db, portal, at(2026, 12, 1))
    change_at(db, planner, portal, at(2027, 10, 1), {"status": "stopped"})
    sensors = measure(db, planner, title_de="Sensoren im Park", title_en="Park sensors", topic="smart_city")
    backdate(db, sensors, at(2027, 8, 1))
    measure(db, planner, public=False, title_de="Geheimer Entwurf")
    db.session.commit()
    return {"fibre": fibre, "portal": portal, "sensors": sensors}


def rows_by_title(report):
    return {json.loads(row.data)["title_de"]: row for row in services.rows_of(report)}


def test_a_snapshot_shows_each_measure_as_it_stood_on_the_reporting_date(db, planner, world):
    report = services.create_report(planner, {**H1, **PERIOD1})
    rows = rows_by_title(report)
    assert set(rows) == {"Glasfaser für Schulen", "Serviceportal"}  # no sensors yet, no draft
    assert (rows["Glasfaser für Schulen"].status, rows["Glasfaser für Schulen"].progress) == ("implementing", 40)
    assert rows["Serviceportal"].status == "planned"
    assert json.loads(rows["Serviceportal"].data)["delayed"]  # planned end in March passed
    assert report.previous_id is None and report.snapshot_taken_at is not None
    assert db.session.scalar(select(ModerationDecision.id).where(ModerationDecision.action == "report_created"))
    # the current state is something else entirely
    assert (world["fibre"].status, world["fibre"].progress) == ("completed", 100)


def test_changes_between_two_reports(db, planner, world):
    first = services.create_report(planner, {**H1, **PERIOD1})
    services.publish_report(planner, first)
    second = services.create_report(planner, {**H2, **PERIOD2})
    assert second.previous_id == first.id
    changes = report_changes(second)
    assert [row.data["title_de"] for row in changes.new] == ["Sensoren im Park"]
    assert [row.data["title_de"] for row in changes.completed] == ["Glasfaser für Schulen"]
    assert [row.data["title_de"] for row in changes.stopped] == ["Serviceportal"]
    assert [(m.row.data["title_de"], m.before, m.after) for m in changes.progress] == [
        ("Glasfaser für Schulen", 40, 100)
    ]
    assert changes.delayed == []  # the portal is stopped now: no longer delayed
    first_changes = report_changes(first)
    assert {row.data["title_de"] for row in first_changes.new} == {"Glasfaser für Schulen", "Serviceportal"}
    assert [(row.data["title_de"], newly) for row, newly in first_changes.delayed] == [("Serviceportal", True)]


def test_milestones_and_indicator_values_up_to_the_date(db, planner, world):
    fibre = world["fibre"]
    measures.add_milestone(
        planner, fibre, {"title_de": "Ausschreibung", "planned_on": date(2027, 3, 1), "achieved_on": date(2027, 8, 1)}
    )
    indicator = measures.add_indicator(
        planner, fibre, {"title_de": "Schulen mit Glasfaser", "unit_de": "%", "baseline": 10, "target": 100}
    )
    measures.record_value(planner, indicator, date(2027, 6, 1), 35)
    measures.record_value(planner, indicator, date(2027, 9, 1), 70)
    first = services.create_report(planner, {**H1, **PERIOD1})
    data = json.loads(rows_by_title(first)["Glasfaser für Schulen"].data)
    assert data["milestones"][0]["reached"] is False and data["delayed"]
    assert data["indicators"][0]["values"] == [["2027-06-01", 35]]
    services.publish_report(planner, first)
    second = services.create_report(planner, {**H2, **PERIOD2})
    movement = report_changes(second).indicators[0]
    assert (movement.before, movement.after, movement.indicator["target"]) == (35, 70, 100)


def test_a_published_report_refuses_every_change_at_the_orm_level(db, planner, world):
    report = services.create_report(planner, {**H1, **PERIOD1})
    services.set_section(planner, report, "infrastructure", "Text", "")
    services.publish_report(planner, report)
    db.session.commit()
    report.title_de = "Anders"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    row = db.session.scalar(select(ReportMeasure).where(ReportMeasure.report_id == report.id))
    row.progress = 99
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    section = db.session.scalar(select(ReportSection).where(ReportSection.report_id == report.id))
    db.session.delete(section)
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(services.ReportError):
        services.refresh_snapshot(planner, report)
    with pytest.raises(services.ReportError):
        services.delete_report(planner, report)


def _published(db, planner, values=None, period=None):
    report = services.create_report(planner, {**(values or H1), **(period or PERIOD1)})
    services.set_section(planner, report, "infrastructure", "Die **Schulen** sind dran.", "Schools are on it.")
    services.publish_report(planner, report)
    db.session.commit()
    return report


def test_planners_create_edit_and_publish_a_report_through_the_pages(app, db, planner, world):
    browser = logged_in(app, "plan@example.org")
    page = browser.get("/planning/reports/new").get_data(as_text=True)
    assert "Halbjahr" in page
    refused = browser.submit(
        "/planning/reports/new",
        {"title_de": "Bericht", "title_en": "Report", "period_start": "2027-06-30", "period_end": "2027-01-01"},
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "The period cannot end before it starts." in text or "Der Zeitraum" in text
    assert 'value="Bericht"' in text and 'value="2027-06-30"' in text
    made = browser.submit(
        "/planning/reports/new",
        {"title_de": "Bericht", "title_en": "Report", "period_start": "2027-01-01", "period_end": "2027-06-30"},
    )
    assert made.status_code == 303
    report = db.session.scalar(select(InterimReport))
    manage = f"/planning/reports/{report.id}"
    assert "Glasfaser für Schulen" in browser.get(manage).get_data(as_text=True)
    saved = browser.submit(
        manage,
        {"infrastructure-text_de": "Gute **Fortschritte**.", "infrastructure-text_en": "Good progress."},
        action=f"{manage}/sections/infrastructure",
    )
    assert saved.status_code == 303
    too_long = browser.submit(
        manage, {"infrastructure-text_de": "x" * 20_001}, action=f"{manage}/sections/infrastructure"
    )
    assert too_long.status_code == 422
    assert browser.submit(manage, {}, action=f"{manage}/snapshot").status_code == 303
    # the public does not see the draft; planners do
    assert Browser(app.test_client()).get(f"/measures/reports/{report.id}").status_code == 404
    assert browser.get(f"/measures/reports/{report.id}").status_code == 200
    assert "Jetzt veröffentlichen" in browser.get(f"{manage}/publish").get_data(as_text=True)
    assert browser.submit(f"{manage}/publish", {}).status_code == 303
    public = Browser(app.test_client()).get(f"/measures/reports/{report.id}").get_data(as_text=True)
    assert "<strong>Fortschritte</strong>" in public and "Glasfaser für Schulen" in public
    # published: every change through the pages is refused with a message
    for url, data in (
        (f"{manage}/sections/infrastructure", {"infrastructure-text_de": "Neu"}),
        (f"{manage}/snapshot", {}),
        (f"{manage}/publish", {}),
        (f"{manage}/delete", {}),
    ):
        response = browser.submit(manage, data, action=url)
        assert response.status_code == 409, url
        assert "ändert sich nie" in response.get_data(as_text=True) or "bleibt erhalten" in response.get_data(
            as_text=True
        )
    db.session.expire_all()
    assert db.session.get(InterimReport, report.id).sections[0].text_de == "Gute **Fortschritte**."
    actions = set(db.session.scalars(select(ModerationDecision.action)))
    assert {"report_created", "report_changed", "report_published"} <= actions


def test_a_draft_is_deleted_after_asking(app, db, planner, world):
    report = services.create_report(planner, {**H1, **PERIOD1})
    db.session.commit()
    browser = logged_in(app, "plan@example.org")
    url = f"/planning/reports/{report.id}/delete"
    assert browser.get(url).status_code == 200
    assert browser.submit(url, {}).status_code == 303
    assert db.session.scalar(select(InterimReport)) is None
    assert db.session.scalar(select(ReportMeasure)) is None
    assert "report_deleted" in set(db.session.scalars(select(ModerationDecision.action)))


def test_a_correction_is_a_new_revision_and_both_stay_readable(app, db, planner, world):
    report = _published(db, planner)
    browser = logged_in(app, "plan@example.org")
    manage = f"/planning/reports/{report.id}"
    assert browser.submit(manage, {"note": ""}, action=f"{manage}/correct").status_code == 422
    response = browser.submit(manage, {"note": "Zahlen zum Portal berichtigt."}, action=f"{manage}/correct")
    assert response.status_code == 303
    revision = db.session.scalar(select(InterimReport).where(InterimReport.corrects_id == report.id))
    assert (revision.revision, revision.status, revision.period_end) == (2, "draft", report.period_end)
    assert revision.sections[0].text_de == "Die **Schulen** sind dran."
    assert len(services.rows_of(revision)) == 2
    visitor = Browser(app.test_client())
    listing = visitor.get("/measures/reports/").get_data(as_text=True)
    assert f"/measures/reports/{report.id}" in listing and f"/measures/reports/{revision.id}" not in listing
    assert (
        browser.submit(
            f"/planning/reports/{revision.id}", {}, action=f"/planning/reports/{revision.id}/publish"
        ).status_code
        == 303
    )
    listing = visitor.get("/measures/reports/").get_data(as_text=True)
    assert listing.index(f"/measures/reports/{revision.id}") < listing.index(f"/measures/reports/{report.id}")
    assert "Fassung 1 (berichtigt)" in listing
    new_page = visitor.get(f"/measures/reports/{revision.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Zahlen zum Portal berichtigt." in new_page and f"/measures/reports/{report.id}" in new_page
    old_page = visitor.get(f"/measures/reports/{report.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"/measures/reports/{revision.id}" in old_page and "has been corrected" in old_page
    # the old revision is not corrected twice; the next report compares with the correction
    assert browser.submit(manage, {"note": "Noch einmal"}, action=f"{manage}/correct").status_code == 422
    later = services.create_report(planner, {**H2, **PERIOD2})
    assert later.previous_id == revision.id


def test_word_and_markdown_in_the_committees_structure(app, db, planner, world):
    report = _published(db, planner)
    body = report_docx(report, "de")
    document = python_docx.Document(io.BytesIO(body))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Zwischenbericht 1. Halbjahr 2027"
    assert {"1 Zusammenfassung", "2 Beteiligung im Zeitraum", "3 Handlungsfelder", "4 Anhang: Indikatoren"} <= set(
        headings
    )
    assert "3.2 Digitale Infrastruktur" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Glasfaser für Schulen" in cells and "40 %" in cells
    assert any("Schulen" in p.text and "sind dran" in p.text for p in document.paragraphs)
    markdown = report_markdown(report, "en")
    assert "# Interim report H1 2027" in markdown and "Fibre for schools" in markdown
    assert "Schools are on it." in markdown and "## 4 Annex: indicators" in markdown
    visitor = Browser(app.test_client())
    download = visitor.get(f"/measures/reports/{report.id}/download.docx")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert python_docx.Document(io.BytesIO(download.data)).paragraphs
    md = visitor.get(f"/measures/reports/{report.id}/download.md")
    assert md.headers["Content-Type"] == "text/markdown; charset=utf-8" and "Glasfaser" in md.get_data(as_text=True)


def test_compare_two_published_reports(app, db, planner, world):
    first = _published(db, planner)
    second = _published(db, planner, H2, PERIOD2)
    visitor = Browser(app.test_client())
    page = visitor.get(
        f"/measures/reports/compare?earlier={second.id}&later={first.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Park sensors" in page and "Completed" in page and "40 % → 100 %" in page
    assert visitor.get("/measures/reports/compare").status_code == 200
    draft = services.create_report(planner, {**H2, **PERIOD2})
    db.session.commit()
    assert visitor.get(f"/measures/reports/compare?earlier={first.id}&later={draft.id}").status_code == 404
    assert visitor.get("/measures/reports/compare?earlier=x&later=1").status_code == 404


def test_who_may_see_and_do_what(app, db, planner, users, world):
    users(email="someone@example.org")
    draft = services.create_report(planner, {**H1, **PERIOD1})
    db.session.commit()
    participant = logged_in(app, "someone@example.org")
    for url in ("/planning/reports/", "/planning/reports/new", f"/planning/reports/{draft.id}"):
        assert participant.get(url).status_code == 403, url
    visitor = Browser(app.test_client())
    for url in (
        f"/measures/reports/{draft.id}",
        f"/measures/reports/{draft.id}/download.docx",
        f"/measures/reports/{draft.id}/download.md",
        "/measures/reports/9999",
    ):
        assert visitor.get(url).status_code == 404, url
    assert participant.get(f"/measures/reports/{draft.id}").status_code == 404
    assert visitor.get("/planning/reports/").status_code == 302


def test_the_lists_need_the_same_queries_for_one_report_or_many(app, db, planner, world):
    _published(db, planner)
    browser = logged_in(app, "plan@example.org")
    few = {url: queries_for(browser.client, url) for url in ("/measures/reports/", "/planning/reports/")}
    for number in range(4):
        revision = services.correct_report(planner, _published(db, planner), f"Berichtigung {number}")
        services.publish_report(planner, revision)
        db.session.commit()
    many = {url: queries_for(browser.client, url) for url in ("/measures/reports/", "/planning/reports/")}
    assert many == few


@pytest.mark.parametrize("start", range(0, 60, 20))
def test_hostile_titles_and_texts_are_escaped(app, db, planner, world, sqlite_only, start):
    from tests.xss import check, payloads

    sample = list(islice(payloads(), start * 7, None, 7))[:20]
    payload = "".join(sample) or "x"
    report = services.create_report(planner, {"title_de": payload[:200], "title_en": payload[-200:], **PERIOD1})
    services.set_section(planner, report, "infrastructure", payload, payload)
    world["fibre"].title_de = payload[:200]
    services.refresh_snapshot(planner, report)
    db.session.commit()
    browser = logged_in(app, "plan@example.org")
    for url in (
        f"/planning/reports/{report.id}",
        "/planning/reports/",
        f"/measures/reports/{report.id}",
        f"/planning/reports/{report.id}/publish",
    ):
        check(browser.get(url), url)
    services.publish_report(planner, report)
    db.session.commit()
    visitor = Browser(app.test_client())
    for url in (
        "/measures/reports/",
        f"/measures/reports/{report.id}",
        f"/measures/reports/compare?earlier={report.id}&later={report.id}",
    ):
        check(visitor.get(url), url)
    assert not re.search(r"<script", report_markdown(report, "de"))


def test_a_report_is_compared_with_the_newest_report_published_before_it(db, planner):
    """Two drafts made at once: the later one, published after the earlier, compares with it
    (not with what was newest when the draft was made)."""

    def report(start, end):
        return services.create_report(planner, {"title_de": f"Bericht {end}", "period_start": start, "period_end": end})

    first = report(date(2025, 7, 1), date(2025, 12, 31))
    services.publish_report(planner, first)
    spring = report(date(2026, 1, 1), date(2026, 6, 30))
    autumn = report(date(2026, 7, 1), date(2026, 12, 31))
    assert spring.previous_id == first.id and autumn.previous_id == first.id
    services.publish_report(planner, spring)
    services.publish_report(planner, autumn)
    db.session.commit()
    assert autumn.previous_id == spring.id


def test_comments_on_measures_are_not_counted_as_comments_on_the_draft(db, planner, users):
    from participation.comments.services import add_comment
    from participation.proposals import services as proposals
    from participation.reporting import period

    start, end = date(2020, 1, 1), datetime.now(UTC).date() + timedelta(days=1)
    before = period.figures(start, end)["comments"]
    someone = users()
    add_comment(someone, "Zur Maßnahme.", None, measure=measure(db, planner))
    db.session.commit()
    assert period.figures(start, end)["comments"] == before
    idea = proposals.submit(someone, "Idee", "Text.", "education")
    add_comment(someone, "Zum Vorschlag.", None, proposal=idea)
    db.session.commit()
    assert period.figures(start, end)["comments"] == before + 1  # the window holds today
