"""Proposals below the pages: search with German stemming on both databases, similar proposals,
spam signals, supports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participation.proposals import search, services
from participation.proposals.models import HIDDEN, PENDING, PUBLISHED, Proposal, Support


@pytest.fixture
def author(users):
    return users(email="ada@example.org", display_name="Ada", stakeholder_group="residents")


def propose(db, author, title, body="Ein Vorschlag für Köln.", **kwargs):
    proposal = services.submit(author, title, body, **kwargs)
    db.session.commit()
    return proposal


def found(db, query: str) -> list[str]:
    statement, order = search.search(
        select(Proposal).where(Proposal.status == PUBLISHED), db.engine.dialect.name, query
    )
    if order is None:
        return []
    return [p.title for p in db.session.scalars(statement.order_by(order, Proposal.id))]


def test_search_finds_german_word_forms_and_ranks_the_title_first(db, author):
    propose(db, author, "Schnelles WLAN an allen Schulen", "Jede Schule braucht Glasfaser.")
    propose(db, author, "Mehr Radwege in Ehrenfeld", "Sichere Radwege für Kinder auf dem Weg zur Schule.")
    propose(db, author, "Offene Daten zum Nahverkehr", "Fahrpläne als offene Daten.")
    assert found(db, "Schule") == ["Schnelles WLAN an allen Schulen", "Mehr Radwege in Ehrenfeld"]
    assert found(db, "radweg") == ["Mehr Radwege in Ehrenfeld"]
    assert found(db, "offenen Daten") == ["Offene Daten zum Nahverkehr"]
    assert found(db, "Schulen Glasfaser") == ["Schnelles WLAN an allen Schulen"]  # every word must match
    assert found(db, "Straßenbahn") == []


@pytest.mark.parametrize(
    "query", ['"', "*", "Schule OR", "NEAR(Schule", "'; DROP TABLE proposal; --", "-Schule", "title:Schule", "ü" * 500]
)
def test_search_survives_hostile_queries(db, author, query):
    propose(db, author, "Schnelles WLAN an allen Schulen")
    assert isinstance(found(db, query), list)  # no syntax error reaches the database
    assert db.session.scalar(select(Proposal.id)) is not None


def test_similar_proposals_rank_the_near_duplicate_first_and_skip_what_is_not_public(db, author, users):
    wlan = propose(db, author, "Schnelles WLAN an allen Schulen", "Glasfaser und WLAN für jede Schule in Köln.")
    propose(db, author, "Offene Daten zum Nahverkehr", "Fahrpläne als offene Daten veröffentlichen.")
    hidden = propose(db, author, "WLAN in Schulen, versteckt", "Glasfaser für jede Schule.")
    hidden.status = HIDDEN
    db.session.commit()
    similar = services.similar_to("WLAN für Schulen", "Alle Schulen sollen Glasfaser bekommen.")
    assert [p.id for p in similar][:1] == [wlan.id]
    assert hidden.id not in [p.id for p in similar]
    assert services.similar_to("", "") == []


def test_spam_signals_hold_a_proposal_for_review(db, author):
    assert propose(db, author, "Ein guter Vorschlag").status == PUBLISHED
    held = propose(db, author, "Honig", "Ganz anderer Text.", honeypot="http://spam.example")
    assert held.status == PENDING and held.held_because == "honeypot" and held.published_at is None
    links = " ".join(f"https://spam{n}.example" for n in range(4))
    assert propose(db, author, "Links", links).held_because == "links"
    again = propose(db, author, "Noch einmal", "  ein Vorschlag FÜR Köln. ")
    assert again.status == PENDING and again.held_because == "repeated"


def test_one_support_per_person_and_withdrawing_it(db, author, users):
    proposal = propose(db, author, "Schnelles WLAN an allen Schulen")
    fan = users(email="fan@example.org", stakeholder_group="businesses")
    assert services.support(fan, proposal) is True
    assert services.support(fan, proposal) is False
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.support_count == 1
    assert db.session.scalar(select(Support.stakeholder_group)) == "businesses"
    assert services.supported_by(fan, [proposal.id]) == {proposal.id}
    assert services.withdraw_support(fan, proposal) is True
    assert services.withdraw_support(fan, proposal) is False
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.support_count == 0
