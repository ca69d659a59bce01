"""The measures' services: the timeline keeps every changed value with who, as which body and
why; progress is computed with weights from milestones and sub-measures, up the whole chain;
a published interim report refuses every change."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.measures import services
from participation.measures.models import MeasureChange
from participation.reporting.models import DRAFT, PUBLISHED, InterimReport, ReportMeasure, ReportSection
from tests.measuring import measure, organisation, verified_member


def _timeline(db, made):
    return list(
        db.session.scalars(select(MeasureChange).where(MeasureChange.measure_id == made.id).order_by(MeasureChange.id))
    )


def test_a_status_change_needs_a_reason_and_is_kept_with_who_and_as_whom(db, users):
    planner = users(roles=("planner",))
    member = users()
    made = measure(db, planner)
    verified_member(db, member, made.organisation)

    with pytest.raises(services.MeasureError) as refused:
        services.change_measure(member, made, {"status": "implementing"})
    assert refused.value.field == "reason"
    assert made.status == "planned"

    services.change_measure(member, made, {"status": "implementing", "title_en": "Fibre"}, reason="Bau begonnen")
    db.session.commit()
    changes = {change.field: change for change in _timeline(db, made)}
    assert (changes["status"].before, changes["status"].after) == ("planned", "implementing")
    assert changes["status"].reason == "Bau begonnen"
    assert changes["status"].actor_id == member.id
    assert changes["status"].organisation_id == made.organisation_id  # shown as RheinEnergie
    assert changes["created"].organisation_id is None  # the planner: the coordinating unit
    decision = db.session.scalar(
        select(ModerationDecision)
        .where(ModerationDecision.action == "measure_changed")
        .order_by(ModerationDecision.id.desc())
    )
    assert json.loads(decision.state_after) == {"status": "implementing", "title_en": "Fibre"}


def test_nothing_unchanged_is_written_to_the_timeline(db, users):
    planner = users(roles=("planner",))
    made = measure(db, planner)
    before = len(_timeline(db, made))
    assert services.change_measure(planner, made, {"title_de": made.title_de, "weight": 1}) == {}
    assert len(_timeline(db, made)) == before


def test_progress_from_weighted_milestones_and_submeasures_up_the_chain(db, users):
    planner = users(roles=("planner",))
    parent = measure(db, planner, title_de="Smart City Programm")
    services.change_measure(planner, parent, {"progress_mode": "submeasures"})
    child = measure(db, planner, title_de="LoRaWAN", parent_id=parent.id, weight=3.0)
    other = measure(db, planner, title_de="Sensoren", parent_id=parent.id, weight=1.0)
    services.change_measure(planner, other, {"progress_set": 100})
    services.change_measure(planner, child, {"progress_mode": "milestones"})
    first = services.add_milestone(planner, child, {"title_de": "Planung", "planned_on": date(2026, 3, 1), "weight": 1})
    services.add_milestone(planner, child, {"title_de": "Bau", "planned_on": date(2026, 9, 1), "weight": 3})
    assert child.progress == 0
    assert parent.progress == 25  # (0 * 3 + 100 * 1) / 4

    services.change_milestone(planner, first, {"achieved_on": date(2026, 3, 5)})
    db.session.commit()
    assert child.progress == 25  # one of four weight units reached
    assert parent.progress == round((25 * 3 + 100) / 4)
    progress_changes = [c for c in _timeline(db, parent) if c.field == "progress"]
    assert [c.after for c in progress_changes][-1] == str(parent.progress)


def test_a_measure_is_no_part_of_its_own_parts(db, users):
    planner = users(roles=("planner",))
    parent = measure(db, planner)
    child = measure(db, planner, parent_id=parent.id)
    with pytest.raises(services.MeasureError) as refused:
        services.change_measure(planner, parent, {"parent_id": child.id})
    assert refused.value.field == "parent_id"


def test_a_second_value_on_the_same_day_replaces_the_first_and_says_so(db, users):
    planner = users(roles=("planner",))
    made = measure(db, planner)
    indicator = services.add_indicator(planner, made, {"title_de": "Schulen mit Glasfaser", "target": 100})
    services.record_value(planner, indicator, date(2026, 6, 30), 40, "Schulamt")
    services.record_value(planner, indicator, date(2026, 6, 30), 42.5, "Schulamt, korrigiert")
    db.session.commit()
    assert [(v.value, v.source) for v in indicator.values] == [(42.5, "Schulamt, korrigiert")]
    value_changes = [(c.field, c.before, c.after) for c in _timeline(db, made) if c.subject == "value"]
    assert ("value", "40", "42.5") in value_changes


def test_the_rollup_weighs_published_top_level_measures_only(db, users):
    planner = users(roles=("planner",))
    a = measure(db, planner, topic="education", weight=1.0)
    b = measure(db, planner, topic="education", weight=3.0)
    measure(db, planner, topic="education", public=False, progress_set=100)  # a draft: not counted
    services.change_measure(planner, a, {"progress_set": 100})
    services.change_measure(planner, b, {"progress_set": 20})
    measure(db, planner, topic="education", parent_id=b.id, progress_set=100)  # a part: in b only
    rolled = services.rollup()
    assert rolled["education"] == {"progress": 40, "measures": 2}
    assert rolled["all"]["measures"] == 2


def test_a_published_report_and_its_rows_never_change(db, users):
    made = measure(db, users(roles=("planner",)))
    report = InterimReport(title_de="Bericht 1/2027", period_start=date(2027, 1, 1), period_end=date(2027, 6, 30))
    db.session.add(report)
    db.session.flush()
    row = ReportMeasure(report_id=report.id, measure_id=made.id, topic="education", status="planned", progress=0)
    db.session.add_all([row, ReportSection(report_id=report.id, topic="education", text_de="Gut.")])
    report.status = PUBLISHED
    db.session.commit()

    report.title_de = "geändert"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    row.progress = 50
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    db.session.add(ReportSection(report_id=report.id, topic="economy", text_de="nachgeschoben"))
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(RuntimeError):
        db.session.delete(report)
        db.session.flush()
    db.session.rollback()
    assert db.session.get(InterimReport, report.id).title_de == "Bericht 1/2027"
    assert DRAFT != PUBLISHED


def test_an_organisation_kind_for_city_offices_and_advisory_boards(db):
    office = organisation(db, "Amt für Informationsverarbeitung", "city_office")
    board = organisation(db, "Beirat Digitales Köln", "advisory_board")
    db.session.commit()
    assert office.kind_label and board.kind_label


def test_a_draft_part_counts_towards_its_parent_only_once_published(db, users):
    """Nothing of a draft shows in public, not even through its parent's progress."""
    planner = users(roles=("planner",))
    parent = measure(db, planner, title_de="Programm")
    services.change_measure(planner, parent, {"progress_mode": "submeasures"})
    done = measure(db, planner, title_de="Fertig", parent_id=parent.id, progress_set=100)
    draft = measure(db, planner, public=False, title_de="Entwurf", parent_id=parent.id, progress_set=0, weight=3.0)
    assert done.progress == 100 and parent.progress == 100  # the draft's weight does not count yet
    services.publish_measure(planner, draft)
    assert parent.progress == 25
    other = measure(db, planner, public=False, title_de="Noch ein Entwurf", parent_id=parent.id, progress_set=0)
    services.delete_measure(planner, other)
    db.session.commit()
    assert parent.progress == 25
    assert not [c for c in _timeline(db, parent) if c.field == "progress" and c.after == "0"]


def test_the_command_line_acts_as_the_coordinating_unit(db, users):
    """An import run from the command line has no actor: its changes are the coordinating unit's,
    not the responsible organisation's."""
    made = measure(db, users(roles=("planner",)))
    services.change_measure(None, made, {"status": "implementing"}, reason="Import")
    db.session.commit()
    status = next(c for c in _timeline(db, made) if c.field == "status")
    assert status.organisation_id is None and status.actor_id is None


def test_ids_shaped_like_the_exports_own_are_refused(db, users):
    made = measure(db, users(roles=("planner",)))
    for taken in ("M-12", "MS-3", "I-7"):
        with pytest.raises(services.MeasureError) as refused:
            services.check_external_id(taken, made)
        assert refused.value.field == "external_id"
    services.check_external_id("KOELN-2027-012", made)  # the city's own ids are fine
