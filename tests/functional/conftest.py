"""Fixtures shared by the functional tests."""

from __future__ import annotations

import pytest

from participation.drafts import services
from participation.drafts.importer import apply_draft, parse_markdown
from tests.drafting import DRAFT, open_phase


@pytest.fixture
def draft(db):
    open_phase(db)
    version = services.create_version(None, "Digitales Köln 2025")
    apply_draft(version, parse_markdown(DRAFT))
    services.open_consultation(None, version)
    db.session.commit()
    return version
