"""Planners answer proposals in public: a queue of open proposals, and decisions with reasons."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.proposals import services
from participation.proposals.models import ACCEPTED, NOT_ACCEPTED, UNDER_REVIEW
from tests.conftest import Browser, logged_in
from tests.drafting import open_phase


@pytest.fixture
def proposals(db, users):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="anna@example.org", display_name="Anna")
    fan = users(email="fan@example.org")
    quiet = services.submit(author, "Bänke am Rhein", "Mehr Sitzplätze.", "smart_city")
    popular = services.submit(author, "WLAN in Bibliotheken", "Für alle.", "education")
    services.support(fan, popular)
    db.session.commit()
    return quiet, popular


def planner(app) -> Browser:
    return logged_in(app, "plan@example.org")


def test_the_queue_lists_open_proposals_most_supported_first(app, db, proposals):
    html = planner(app).get("/planning/proposals/").get_data(as_text=True)
    assert html.index("WLAN in Bibliotheken") < html.index("Bänke am Rhein")
    only = planner(app).get("/planning/proposals/?topic=smart_city").get_data(as_text=True)
    assert "Bänke am Rhein" in only and "WLAN in Bibliotheken" not in only


def test_answering_needs_reasons_for_a_no_and_shows_on_the_proposal(app, db, proposals):
    quiet, popular = proposals
    browser = planner(app)
    url = f"/planning/proposals/{quiet.id}"
    refused = browser.submit(url, {"status": NOT_ACCEPTED, "answer": ""})
    assert refused.status_code == 422
    assert "Bitte nennen Sie die Gründe" in refused.get_data(as_text=True)
    assert browser.submit(url, {"status": "merged"}).status_code == 422  # not a planner's choice here
    done = browser.submit(url, {"status": NOT_ACCEPTED, "answer": "Dafür ist das *Grünflächenamt* zuständig."})
    assert done.status_code == 303
    db.session.refresh(quiet)
    assert quiet.status == NOT_ACCEPTED and quiet.answered_at is not None
    page = Browser(app.test_client()).get(f"/proposals/{quiet.id}").get_data(as_text=True)
    assert "Antwort der Stadt: nicht angenommen" in page and "<em>Grünflächenamt</em>" in page
    logged = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "answer_proposal"))
    assert logged.target_id == quiet.id and '"status": "published"' in logged.state_before
    # answered proposals leave the queue; "under review" is an answer without a decision
    browser.submit(f"/planning/proposals/{popular.id}", {"status": UNDER_REVIEW, "answer": ""})
    queue = browser.get("/planning/proposals/").get_data(as_text=True)
    assert "Bänke am Rhein" not in queue and "WLAN in Bibliotheken" in queue
    browser.submit(f"/planning/proposals/{popular.id}", {"status": ACCEPTED, "answer": "Kommt in Kapitel 2."})
    db.session.refresh(popular)
    assert popular.status == ACCEPTED
    # the author can no longer change an answered proposal
    author = Browser(app.test_client())
    author.login("anna@example.org")
    assert author.get(f"/proposals/{popular.id}/edit").status_code == 403
