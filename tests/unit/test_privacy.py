"""The data download's coverage of the schema, and what it cuts out of mails."""

from __future__ import annotations

from participation.extensions import db
from participation.privacy.contents import COVERED, KINDS, NOT_EXPORTED
from participation.privacy.kinds_person import REMOVED, without_tokens

TOKEN = "eyJ1IjoxLCJwIjoiYWJjZGVmIn0.Z1x2Yw.q8L0m3yN0fVZt3u6vA5cJgR1sQ"


def test_every_column_pointing_at_a_person_is_exported_or_said_why_not():
    """A new table (or column) that points at a person fails here until the download holds it
    or contents.NOT_EXPORTED says why not."""
    pointing = {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.target_fullname == "user.id"
    }
    assert sorted(pointing - set(COVERED) - set(NOT_EXPORTED)) == []
    assert sorted(set(COVERED) - pointing) == [] and sorted(set(NOT_EXPORTED) - pointing) == []
    assert set(COVERED.values()) <= {kind.key for kind in KINDS}
    assert len({kind.key for kind in KINDS}) == len(KINDS)


def test_tokens_in_links_are_cut_and_everything_else_stays():
    text = (
        f"Bitte öffnen Sie https://mitmachen.stadt-koeln.de/password/reset/{TOKEN}\n"
        f"Abbestellen: http://localhost/mail/stop/{TOKEN}?x=1 und "
        "https://mitmachen.stadt-koeln.de/proposals/123 sowie https://mitmachen.stadt-koeln.de/pages/barrierefreiheit-erklaerung"
    )
    cleaned = without_tokens(text)
    assert TOKEN not in cleaned
    assert f"https://mitmachen.stadt-koeln.de/password/reset/{REMOVED}\n" in cleaned
    assert "https://mitmachen.stadt-koeln.de/proposals/123 sowie" in cleaned
    assert "pages/barrierefreiheit-erklaerung" in cleaned and cleaned.startswith("Bitte öffnen Sie https://")
    assert without_tokens("") == "" and without_tokens(None) == ""
