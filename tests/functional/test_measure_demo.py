"""The action concept's demo (`flask seed demo`) and scale data (`flask seed scale`): believable,
idempotent, with a dated history the interim reports can be made from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import pairwise

from sqlalchemy import func, select

from participation.accounts.models import find_user_by_email
from participation.measures.models import (
    Indicator,
    IndicatorValue,
    Measure,
    MeasureChange,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
    Milestone,
)
from participation.measures.permissions import can_edit_measure
from participation.organisations.models import VERIFIED, Membership, Organisation
from participation.reporting.models import InterimReport, ReportMeasure

COUNTED = (Measure, Milestone, Indicator, IndicatorValue, MeasureUpdate, MeasureChange, MeasureParagraph, MeasureSource)
COMPANIES = (
    "RheinEnergie AG",
    "AWB Abfallwirtschaftsbetriebe Köln",
    "KölnBusiness Wirtschaftsförderung",
    "Koelnmesse GmbH",
)


def _counts(db) -> list[int]:
    return [db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED]


def _seeded(app, db):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result


def _as_of(db, measure: Measure, field: str, day: date):
    """What the interim report's snapshot reads: the last change at or before the day, else the
    first later change's value before it, else the measure's value now."""
    cut = datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC)
    changes = list(
        db.session.scalars(
            select(MeasureChange)
            .where(MeasureChange.measure_id == measure.id, MeasureChange.subject == "measure")
            .where(MeasureChange.field == field)
            .order_by(MeasureChange.created_at, MeasureChange.id)
        )
    )
    earlier = [change for change in changes if change.created_at <= cut]
    if earlier:
        return earlier[-1].after
    return changes[0].before if changes else str(getattr(measure, field))


def _existing(db, measure: Measure, day: date, kind: str) -> bool:
    cut = datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC)
    return bool(
        db.session.scalar(
            select(MeasureChange.id).where(
                MeasureChange.measure_id == measure.id, MeasureChange.field == kind, MeasureChange.created_at <= cut
            )
        )
    )


def test_seed_demo_twice_adds_no_measures(app, db):
    _seeded(app, db)
    first = _counts(db)
    _seeded(app, db)
    assert _counts(db) == first
    published = db.session.scalar(select(func.count(Measure.id)).where(Measure.published_at.is_not(None)))
    assert 22 <= published <= 32
    assert all(first), first  # every part of a measure has demo rows


def test_demo_measures_are_believable(app, db):
    _seeded(app, db)
    measures = list(db.session.scalars(select(Measure)))
    from participation.drafts.models import TOPICS

    assert {measure.topic for measure in measures} == set(TOPICS)
    assert {measure.status for measure in measures} == {
        "planned",
        "preparing",
        "implementing",
        "completed",
        "paused",
        "stopped",
    }
    assert all(measure.title_en and measure.description_en and measure.description_de for measure in measures)
    owners = {measure.organisation.name for measure in measures}
    for company in COMPANIES:
        assert company in owners, company
    kinds = {measure.organisation.kind for measure in measures}
    assert {"city_office", "municipal_company"} <= kinds
    board = db.session.scalar(select(Organisation).where(Organisation.kind == "advisory_board"))
    assert board is not None and board.name == "Beirat Digitales Köln"
    # a programme's progress comes from its sub-measures, others' from their milestones
    programme = db.session.scalar(select(Measure).where(Measure.external_id == "demo-ozg-programm"))
    assert programme.progress_mode == "submeasures" and len(programme.children) == 4
    assert 0 < programme.progress < 100
    assert db.session.scalar(select(func.count(Measure.id)).where(Measure.progress_mode == "milestones")) >= 3
    # indicators have units, targets and dated values with sources
    indicators = list(db.session.scalars(select(Indicator)))
    assert len(indicators) >= 12
    for indicator in indicators:
        assert indicator.unit_de and indicator.target_on and indicator.values, indicator.title_de
        assert all(value.source and value.measured_on < date(2026, 12, 1) for value in indicator.values)
    titles = {indicator.title_en for indicator in indicators}
    assert {"Share of schools with a fibre connection", "Administrative services available online"} <= titles
    assert {"LoRaWAN gateways installed", "Public charging points", "Start-ups supported"} <= titles
    # each measure implements a paragraph of version 1, by lineage
    from participation.drafts.models import Paragraph

    lineages = set(db.session.scalars(select(Paragraph.lineage_key)))
    linked = list(db.session.scalars(select(MeasureParagraph.lineage_key)))
    assert len(linked) == len(measures) and set(linked) <= lineages


def test_the_measure_from_a_proposal_links_to_an_accepted_public_proposal(app, db, client):
    _seeded(app, db)
    source = db.session.scalars(select(MeasureSource)).one()
    assert source.proposal.status == "accepted" and source.proposal.is_public and source.proposal.answer
    measure = db.session.get(Measure, source.measure_id)
    assert measure.is_public and measure.topic == "open_data"
    assert measure.created_at >= source.proposal.answered_at  # it grew out of the answer
    assert client.get(f"/proposals/{source.proposal_id}").status_code == 200


def test_the_timeline_is_dated_back_for_two_reports(app, db):
    _seeded(app, db)
    first = db.session.scalar(select(func.min(MeasureChange.created_at)))
    assert first.year == 2025
    assert db.session.scalar(select(func.max(MeasureChange.created_at))) <= datetime.now(UTC)
    updates = list(db.session.scalars(select(MeasureUpdate.published_at)))
    assert min(updates).year == 2025
    end_2025, mid_2026 = date(2025, 12, 31), date(2026, 6, 30)
    measures = list(db.session.scalars(select(Measure).where(Measure.external_id.like("demo-%"))))
    existed = {m.external_id for m in measures if _existing(db, m, end_2025, "published")}
    later = {m.external_id for m in measures if _existing(db, m, mid_2026, "published")}
    assert len(existed) >= 15 and len(later - existed) >= 3  # new measures between the reports
    status = {m.external_id: (_as_of(db, m, "status", end_2025), _as_of(db, m, "status", mid_2026)) for m in measures}
    assert status["demo-ozg-termine"] == ("implementing", "completed")
    assert status["demo-digitale-stelen"] == ("preparing", "stopped")
    assert status["demo-digitaler-zwilling"] == ("paused", "paused")
    stopped = db.session.scalar(
        select(MeasureChange).where(MeasureChange.field == "status", MeasureChange.after == "stopped")
    )
    assert stopped.reason  # every status change says why
    # delayed: planned end passed without completion, or a milestone passed unreached
    delayed = [
        m.external_id
        for m in measures
        if m.external_id in later
        and m.planned_end_on < mid_2026
        and _as_of(db, m, "status", mid_2026) not in ("completed", "stopped")
    ]
    assert {"demo-ozg-bauantrag", "demo-awb-touren"} <= set(delayed)
    lab = db.session.scalar(select(Measure).where(Measure.external_id == "demo-koelnbusiness-reallabor"))
    assert any(stone.planned_on < mid_2026 and stone.achieved_on is None for stone in lab.milestones)
    # progress moved between the reports, also a programme's from its parts
    programme = db.session.scalar(select(Measure).where(Measure.external_id == "demo-ozg-programm"))
    assert int(_as_of(db, programme, "progress", end_2025)) < int(_as_of(db, programme, "progress", mid_2026))


def test_the_rheinenergie_demo_account_edits_its_measures(app, db):
    app.config["APP_ENV"] = "development"
    _seeded(app, db)
    member = find_user_by_email("rheinenergie@example.org")
    company = db.session.scalar(select(Organisation).where(Organisation.name == "RheinEnergie AG"))
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == member.id, Membership.organisation_id == company.id)
    )
    assert membership.status == VERIFIED
    own = db.session.scalar(select(Measure).where(Measure.external_id == "demo-lorawan"))
    other = db.session.scalar(select(Measure).where(Measure.external_id == "demo-awb-fuellstand"))
    assert can_edit_measure(member, own) and not can_edit_measure(member, other)
    # their changes show under the company on the timeline
    assert db.session.scalar(
        select(func.count(MeasureChange.id)).where(
            MeasureChange.actor_id == member.id, MeasureChange.organisation_id == company.id
        )
    )
    board = find_user_by_email("beirat@example.org")
    assert any(m.status == VERIFIED and m.organisation.kind == "advisory_board" for m in _memberships(db, board))
    from tests.conftest import Browser

    browser = Browser(app.test_client())
    assert browser.login("rheinenergie@example.org", app.config["DEMO_PASSWORD"]).status_code in (302, 303)


def _memberships(db, user):
    return list(db.session.scalars(select(Membership).where(Membership.user_id == user.id)))


def test_seed_scale_adds_measures_and_reports(app, db, client):
    from bench.scale import seed_scale

    report = seed_scale(factor=0.001, users=300, measures=120, measure_updates=600, indicator_values=600)
    db.session.commit()
    line = next(line for line in report if line.startswith("measures:"))
    assert "120 (" in line and "10 interim reports" in line
    assert db.session.scalar(select(func.count(Measure.id))) == 120
    assert db.session.scalar(select(func.count(Measure.id)).where(Measure.parent_id.is_not(None))) >= 10
    assert db.session.scalar(select(func.count(MeasureUpdate.id))) == 600
    assert db.session.scalar(select(func.count(IndicatorValue.id))) == 600
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    assert db.session.scalar(select(func.count(func.distinct(Measure.organisation_id)))) >= min(organisations, 10)
    reports = list(db.session.scalars(select(InterimReport).order_by(InterimReport.period_end)))
    assert len(reports) == 10 and all(r.is_published for r in reports)
    assert (reports[0].period_start, reports[-1].period_end) == (date(2021, 7, 1), date(2026, 6, 30))
    assert all(later.previous_id == earlier.id for earlier, later in pairwise(reports))
    rows = dict(
        db.session.execute(select(ReportMeasure.report_id, func.count()).group_by(ReportMeasure.report_id)).all()
    )
    assert rows[reports[0].id] < rows[reports[-1].id] <= 120
    # the frozen rows agree with the timeline: a completed measure's snapshot after it finished
    done = db.session.scalar(select(Measure).where(Measure.status == "completed").limit(1))
    finished = db.session.scalar(
        select(MeasureChange.created_at).where(
            MeasureChange.measure_id == done.id, MeasureChange.field == "status", MeasureChange.after == "completed"
        )
    )
    after = [
        r for r in reports if datetime(r.period_end.year, r.period_end.month, r.period_end.day, tzinfo=UTC) > finished
    ]
    for r in after:
        row = db.session.scalar(
            select(ReportMeasure).where(ReportMeasure.report_id == r.id, ReportMeasure.measure_id == done.id)
        )
        assert row is None or row.status == "completed"
    # the scale reports are written as the snapshot writes them: their pages and files read them
    for url in (f"/measures/reports/{reports[-1].id}", f"/measures/reports/{reports[-1].id}/download.md"):
        assert client.get(url).status_code == 200, url
    # the ids continue after the bulk insert, and a second run adds nothing
    again = seed_scale(factor=0.001, users=300, measures=120)
    assert any("exist already" in line for line in again if line.startswith("measures:"))
    assert db.session.scalar(select(func.count(Measure.id))) == 120
    from tests.measuring import measure

    assert measure(db).id > 120


def test_the_demo_has_two_published_reports_whose_second_shows_what_changed(app, db):
    from participation.reporting.changes import report_changes

    _seeded(app, db)
    _seeded(app, db)  # a second run adds no report
    reports = list(db.session.scalars(select(InterimReport).order_by(InterimReport.period_end)))
    assert [r.status for r in reports] == ["published", "published"]
    first, second = reports
    assert second.previous_id == first.id
    assert first.sections and second.sections  # the planners' texts per field of action
    changes = report_changes(second)
    assert len(changes.new) == 4 and len(changes.completed) == 1 and len(changes.stopped) == 1
    assert changes.delayed and changes.progress and changes.indicators
