"""The API says what is open now: each version whether comments and votes can be made on it (phase
by phase) and which round it is; /api/v1/phases lists the phases with what each opens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.phases.models import Phase
from tests.conftest import Browser
from tests.drafting import open_phase

HOSTILE = '</script><script>alert("x")</script> „Ideen“ & <b>mehr</b>'


def _get(app, url):
    response = Browser(app.test_client()).get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def _versions(app) -> dict[int, dict]:
    return {item["number"]: item for item in _get(app, "/api/v1/versions")["items"]}


def _flags(answer: dict) -> tuple:
    return answer["round"], answer["comments_open"], answer["votes_open"]


def test_the_flags_follow_the_phase_and_the_version(app, db, draft):
    assert _flags(_versions(app)[1]) == (1, True, True)
    assert _flags(_get(app, "/api/v1/versions/1")) == (1, True, True)
    # the phase ends: nothing is open any more, though the version still is
    db.session.execute(update(Phase).values(ends_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert _flags(_versions(app)[1]) == (1, False, False)
    # a phase that opens only comments on it
    open_phase(db, votes=False, comments=True, version=draft)
    db.session.commit()
    assert _flags(_get(app, "/api/v1/versions/1")) == (1, True, False)
    # version 2 opens: its own round; a phase still opens comments on version 1 only
    second = drafts.copy_version(None, draft)
    db.session.flush()
    assert 2 not in _versions(app)  # being prepared: not public, no round
    drafts.open_consultation(None, second)
    db.session.commit()
    versions = _versions(app)
    assert _flags(versions[1]) == (1, True, False) and _flags(versions[2]) == (2, False, False)
    open_phase(db, votes=True, comments=True, version=second)
    drafts.close_consultation(None, draft)  # closing version 1 closes its comments, whatever the phase
    db.session.commit()
    versions = _versions(app)
    assert _flags(versions[1]) == (1, False, False) and _flags(versions[2]) == (2, True, True)


def test_the_phases_say_when_they_run_what_they_open_and_on_which_version(app, db, draft):
    preparing = drafts.copy_version(None, draft)
    db.session.flush()
    db.session.add_all(
        [
            Phase(
                slug="ideen",
                position=5,
                title_de=HOSTILE,
                title_en="Ideas <i>too</i>",
                description_de="**Fett** und [Link](javascript:alert(1))",
                description_en="",
                starts_at=utcnow() + timedelta(days=10),
                opens_proposals=True,
                opens_supports=True,
            ),
            Phase(  # opens comments on a version still being prepared: which one is not told
                slug="entwurf-2",
                position=6,
                title_de="Entwurf 2",
                title_en="Draft 2",
                starts_at=utcnow() + timedelta(days=20),
                ends_at=utcnow() + timedelta(days=30),
                opens_draft_comments=True,
                version_id=preparing.id,
            ),
        ]
    )
    db.session.commit()
    response = Browser(app.test_client()).get("/api/v1/phases")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    items = {item["slug"]: item for item in json.loads(response.get_data())["items"]}
    running = db.session.scalar(select(Phase).where(Phase.slug.not_in(("ideen", "entwurf-2"))))
    assert items[running.slug]["running"] is True and items[running.slug]["version"] == 1
    assert set(items[running.slug]["opens"]) == {"draft_comments", "draft_votes"}
    assert items[running.slug]["starts_at"] == running.starts_at.isoformat(timespec="seconds")
    ideas = items["ideen"]
    assert ideas["title"] == {"de": HOSTILE, "en": "Ideas <i>too</i>"}  # as text, exactly, for the client to escape
    assert ideas["description"]["de"] == "**Fett** und [Link](javascript:alert(1))"
    assert ideas["opens"] == ["proposals", "supports"] and ideas["version"] is None
    assert ideas["running"] is False and ideas["ends_at"] is None
    assert items["entwurf-2"]["version"] is None and items["entwurf-2"]["opens"] == ["draft_comments"]
    assert list(items)[-2:] == ["ideen", "entwurf-2"]  # in the order of the process


@pytest.mark.parametrize("url", ["/api/v1/phases", "/api/v1/versions"])
def test_nothing_is_refused_without_phases_or_versions(app, db, url):
    assert _get(app, url) == {"items": []}
