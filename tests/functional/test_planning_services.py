"""The planners' edits as services (participation.drafts.editing), without a request."""

from __future__ import annotations

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
    assert actions(db) == ["version_opened", "version_closed", "version_final"]
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
