"""Fixtures shared by the functional tests."""

from __future__ import annotations

import pytest

from participation.drafts import services
from participation.drafts.importer import apply_draft, parse_markdown
from tests.drafting import DRAFT, open_phase


@pytest.fixture
def draft(db):
    version = services.create_version(None, "Digitales Köln 2025")
    apply_draft(version, parse_markdown(DRAFT))
    services.open_consultation(None, version)
    open_phase(db, version=version)
    db.session.commit()
    return version


# the proposal tests' people and phase (test_proposals.py, test_proposal_list.py); modules with
# people of their own define their own fixture of that name
@pytest.fixture
def people(users):
    return {
        "anna": users(email="anna@example.org", display_name="Anna", stakeholder_group="residents"),
        "firma": users(email="firma@example.org", display_name="Firma", stakeholder_group="businesses"),
        "uni": users(email="uni@example.org", display_name="Uni", stakeholder_group="universities"),
        "mod": users(email="mod@example.org", display_name="Moderation", roles=("participant", "moderator")),
    }


@pytest.fixture
def phase(db):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    db.session.commit()


@pytest.fixture
def sqlite_only(database_url):
    """Escaping does not depend on the database: the XSS suites run once, on SQLite."""
    if not database_url.startswith("sqlite"):
        pytest.skip("escaping does not depend on the database; this suite runs once, on SQLite")
