"""Reporting proposals and comments: once per person and item, never one's own, with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participation.comments.services import add_comment
from participation.moderation.models import Flag
from participation.proposals import services
from tests.conftest import logged_in
from tests.drafting import open_phase


@pytest.fixture
def proposal(db, users):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    author = users(email="author@example.org", display_name="Autorin")
    users(email="reader@example.org", display_name="Leserin")
    proposal = services.submit(author, "Mehr Bänke", "Am Rhein.", "smart_city")
    db.session.commit()
    return proposal


def test_report_a_proposal_once_with_a_reason(app, db, proposal):
    reader = logged_in(app, "reader@example.org")
    url = f"/proposals/{proposal.id}/report"
    assert f'href="{url}"' in reader.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    missing = reader.submit(url, {"note": "Bitte prüfen"})
    assert missing.status_code == 422
    assert "Bitte wählen Sie einen Grund" in missing.get_data(as_text=True)
    assert "Bitte prüfen</textarea>" in missing.get_data(as_text=True)
    sent = reader.submit(url, {"reason": "spam", "note": "Werbung"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/proposals/{proposal.id}")
    report = db.session.scalar(select(Flag))
    assert (report.reason, report.note, report.status, report.proposal_id) == ("spam", "Werbung", "open", proposal.id)
    # twice: told so, still one report
    again = reader.submit(url, {"reason": "insult"})
    assert "Sie haben dies am" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Flag.id))) == 1
    # nobody reports their own
    other = logged_in(app, "author@example.org")
    assert other.get(url).status_code == 403


def test_report_a_comment_but_not_ones_own(app, db, proposal, users):
    comment = add_comment(db.session.get(type(proposal.author), proposal.author_id), "Text", None, proposal=proposal)
    db.session.commit()
    reader = logged_in(app, "reader@example.org")
    page = reader.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/comments/{comment.id}/report" in page
    author = logged_in(app, "author@example.org")
    assert f"/comments/{comment.id}/report" not in author.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    bad = reader.submit(f"/comments/{comment.id}/report", {"reason": "<script>"})
    assert bad.status_code == 422
    assert reader.submit(f"/comments/{comment.id}/report", {"reason": "insult"}).status_code == 303
    assert db.session.scalar(select(Flag.comment_id)) == comment.id
    assert author.submit(f"/comments/{comment.id}/report", {"reason": "spam"}).status_code == 403
    assert db.session.scalar(select(func.count(Flag.id))) == 1
