"""The planners' edits as services (participation.drafts.editing), without a request."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.drafts import editing, services
from participation.drafts.models import CLOSED, CONSULTATION, PREPARING


@pytest.fixture
def planner(users):
    return users(email="plan@example.org", roles=("participant", "planner"))


def actions(db) -> list[str]:
    return list(db.session.scalars(select(ModerationDecision.action).order_by(ModerationDecision.id)))


def test_status_changes_follow_the_rules_and_are_audited(app, db, planner):
    version = services.create_version(planner, "Entwurf")
    with pytest.raises(editing.StatusRefused):  # nothing to comment on yet
        editing.change_status(planner, version, "open")
    with pytest.raises(editing.StatusRefused):  # not open, so not to be closed
        editing.change_status(planner, version, "close")
    assert version.status == PREPARING and actions(db) == []
    editing.add_chapter(planner, version, "Bildung", None, "")
    editing.change_status(planner, version, "open")
    editing.change_status(planner, version, "close")
    editing.change_status(planner, version, "final")
    assert (version.status, version.is_final) == (CLOSED, True)
    assert actions(db) == ["chapter_added", "version_opened", "version_closed", "version_final"]
    with pytest.raises(editing.StatusRefused):
        editing.change_status(planner, version, "close")
    assert version.status != CONSULTATION


def test_chapters_and_paragraphs_keep_their_positions(app, db, planner):
    version = services.create_version(planner, "Entwurf")
    first = editing.add_chapter(planner, version, "Eins", "", "Vorwort")
    second = editing.add_chapter(planner, version, "Zwei", None, "")
    assert (first.position, second.position, first.topic, first.id is not None) == (1, 2, None, True)
    editing.move_chapter(planner, second, -1)
    assert (second.position, first.position) == (1, 2)
    paragraphs = [editing.add_paragraph(planner, first, text, "") for text in ("a", "b", "c")]
    assert [p.position for p in paragraphs] == [1, 2, 3] and paragraphs[0].subheading is None
    editing.change_paragraph(planner, paragraphs[1], "B", "Zwischentitel")
    editing.delete_paragraph(planner, paragraphs[0])
    assert [(p.text, p.position) for p in first.paragraphs] == [("B", 1), ("c", 2)]
    editing.change_chapter(planner, first, "Eins neu", "", "")
    editing.delete_chapter(planner, second)
    db.session.commit()
    assert [(c.title, c.position) for c in version.chapters] == [("Eins neu", 1)]


def test_the_planners_edits_of_the_text_are_in_the_audit_log(app, db, planner):
    """Who changed which wording of the draft, and how, stays traceable; a save that changed
    nothing leaves no entry."""
    version = services.create_version(planner, "Entwurf")
    chapter = editing.add_chapter(planner, version, "Bildung", None, "")
    other = editing.add_chapter(planner, version, "Verwaltung", None, "")
    paragraph = editing.add_paragraph(planner, chapter, "Alte Fassung", "")
    editing.change_paragraph(planner, paragraph, "Neue Fassung", "")
    editing.change_paragraph(planner, paragraph, "Neue Fassung", "")  # sent again: nothing changed
    editing.change_chapter(planner, chapter, "Digitale Bildung", None, "")
    editing.move_chapter(planner, other, -1)
    editing.change_version(planner, version, "Entwurf 2", "")
    editing.delete_paragraph(planner, paragraph)
    editing.delete_chapter(planner, other)
    db.session.commit()
    assert actions(db) == [
        "chapter_added",
        "chapter_added",
        "paragraph_added",
        "paragraph_changed",
        "chapter_changed",
        "chapter_moved",
        "version_changed",
        "paragraph_deleted",
        "chapter_deleted",
    ]
    changed = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "paragraph_changed"))
    assert (changed.actor_id, changed.target_type, changed.target_id) == (planner.id, "paragraph", paragraph.id)
    assert json.loads(changed.state_before)["text"] == "Alte Fassung"
    assert json.loads(changed.state_after)["text"] == "Neue Fassung"
    assert (changed.action_label, changed.target_label) == ("Absatz geändert", "Absatz")  # German by default


def test_opening_a_round_closes_the_chosen_versions_or_changes_nothing(app, db, planner):
    first = services.create_version(planner, "Entwurf 1")
    editing.add_chapter(planner, first, "Bildung", None, "")
    editing.change_status(planner, first, "open")
    second = services.copy_version(planner, first, title="Entwurf 2")
    third = services.copy_version(planner, first, title="Entwurf 3")
    assert services.versions_in_consultation(but=second) == [first]
    with pytest.raises(editing.StatusRefused):  # a version that is not open cannot be closed with it
        editing.open_round(planner, second, [first, third])
    with pytest.raises(editing.StatusRefused):  # nor the one being opened
        editing.open_round(planner, second, [second])
    assert (first.status, second.status, third.status) == (CONSULTATION, PREPARING, PREPARING)
    before = len(actions(db))
    editing.open_round(planner, second, [first])
    assert (first.status, second.status) == (CLOSED, CONSULTATION)
    assert actions(db)[before:] == ["version_opened", "version_closed"]
    assert services.versions_in_consultation() == [second]
