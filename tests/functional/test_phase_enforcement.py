"""No action can be taken outside its phase, by any route: each writing route is tried directly,
as a script would, while no phase opens its action, and must answer 403 with a sentence that
says what is open now and when the next phase starts, and write nothing.

And a phase opens comments and votes on its own version only: with version 2 open in a phase,
version 1 takes none, even while it is still open for comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.drafts.models import DraftVote
from participation.phases.models import Phase
from participation.proposals.models import Proposal, Support
from tests.conftest import logged_in
from tests.drafting import first_paragraph
from tests.proposing import propose


def _rows() -> tuple[int, ...]:
    """How many of every kind of contribution a route could write."""
    return tuple(db_count(model) for model in (Proposal, Comment, DraftVote, Support))


def db_count(model) -> int:
    from participation.extensions import db

    return db.session.scalar(select(func.count(model.id)))


def _said(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text().split())


@pytest.fixture
def scene(db, users, draft):
    """Version 1 open for comments with a comment on it, a public proposal with a comment, two
    people; then every phase ends and one is planned for next week."""
    anna = users(email="anna@example.org", display_name="Anna")
    users(email="ben@example.org", display_name="Ben")
    paragraph = first_paragraph(draft)
    draft_comment = add_comment(anna, "Ein Kommentar zum Entwurf.", None, paragraph.chapter, paragraph)
    proposal = propose(anna, "Mehr WLAN", "Mehr WLAN in allen Bezirken.")
    proposal_comment = add_comment(anna, "Ein Kommentar zum Vorschlag.", None, proposal=proposal)
    db.session.commit()
    for phase in db.session.scalars(select(Phase)):
        phase.starts_at = utcnow() - timedelta(days=3)
        phase.ends_at = utcnow() - timedelta(days=1)
    db.session.add(
        Phase(
            slug="later",
            title_de="Entwurf 2 kommentieren",
            title_en="Commenting draft 2",
            starts_at=utcnow() + timedelta(days=7),
            opens_proposals=True,
        )
    )
    db.session.commit()
    return {
        "paragraph": paragraph,
        "draft_comment": draft_comment.id,
        "proposal": proposal.id,
        "proposal_comment": proposal_comment.id,
    }


def _attempts(scene):
    """(who, url, data) for every route that writes a contribution."""
    paragraph = scene["paragraph"]
    return [
        ("ben", "/proposals/new", {"title": "Neu", "body": "Ein neuer Vorschlag.", "topic": "education"}),
        (
            "anna",
            f"/proposals/{scene['proposal']}/edit",
            {"title": "Mehr WLAN!", "body": "Mehr.", "topic": "education"},
        ),
        ("ben", f"/proposals/{scene['proposal']}/support", {"choice": "support"}),
        ("ben", f"/proposals/{scene['proposal']}/comments", {"body": "Dazu noch etwas.", "kind": ""}),
        ("ben", f"/comments/{scene['proposal_comment']}/reply", {"body": "Eine Antwort.", "kind": ""}),
        ("ben", f"/masterplan/paragraphs/{paragraph.id}/vote", {"choice": "agree"}),
        ("ben", f"/masterplan/paragraphs/{paragraph.id}/comments", {"body": "Zum Absatz.", "kind": ""}),
        ("ben", f"/masterplan/chapters/{paragraph.chapter_id}/comments", {"body": "Zum Kapitel.", "kind": ""}),
        ("ben", f"/comments/{scene['draft_comment']}/reply", {"body": "Eine Antwort.", "kind": ""}),
        ("anna", f"/comments/{scene['draft_comment']}/edit", {"body": "Geändert.", "kind": ""}),
        ("anna", f"/comments/{scene['proposal_comment']}/edit", {"body": "Geändert.", "kind": ""}),
    ]


def test_every_writing_route_is_refused_outside_its_phase_with_the_next_phase(app, db, scene):
    people = {"anna": logged_in(app, "anna@example.org"), "ben": logged_in(app, "ben@example.org")}
    before = _rows()
    texts = {row.id: row.body for row in db.session.scalars(select(Comment))}
    for who, url, data in _attempts(scene):
        browser = people[who]
        response = browser.client.post(url, data={"csrf_token": browser.token("/"), **data})
        said = _said(response)
        assert response.status_code == 403, (url, response.status_code)
        assert "Im Moment läuft keine Phase des Verfahrens." in said, url
        assert "Die nächste Phase, „Entwurf 2 kommentieren“, beginnt am" in said, url
    db.session.expire_all()
    assert _rows() == before
    assert {row.id: row.body for row in db.session.scalars(select(Comment))} == texts
    assert db.session.get(Proposal, scene["proposal"]).title == "Mehr WLAN"


def test_the_forms_that_would_write_are_refused_too(app, db, scene):
    """The pages that hold a form (new proposal, edit, reply, comment edit) refuse on GET as well,
    so nobody writes a long text only to have it refused."""
    people = {"anna": logged_in(app, "anna@example.org"), "ben": logged_in(app, "ben@example.org")}
    for who, url in (
        ("ben", "/proposals/new"),
        ("anna", f"/proposals/{scene['proposal']}/edit"),
        ("ben", f"/comments/{scene['proposal_comment']}/reply"),
        ("ben", f"/comments/{scene['draft_comment']}/reply"),
        ("anna", f"/comments/{scene['draft_comment']}/edit"),
    ):
        response = people[who].get(url)
        assert response.status_code == 403, url
        assert "Die nächste Phase" in _said(response), url


def test_withdrawing_and_deleting_stay_possible_outside_every_phase(app, db, scene):
    anna = logged_in(app, "anna@example.org")
    deleted = anna.submit(f"/comments/{scene['draft_comment']}/delete", {})
    assert deleted.status_code in (302, 303)
    withdrawn = anna.submit(f"/proposals/{scene['proposal']}/withdraw", {})
    assert withdrawn.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Proposal, scene["proposal"]).status == "withdrawn"


def test_a_phase_opens_comments_and_votes_on_its_own_version_only(app, db, users, draft):
    """Version 2 opened in a phase of its own while version 1 is still open for comments but
    its phase is over: votes and comments go to version 2 only."""
    users(email="ben@example.org", display_name="Ben")
    for phase in db.session.scalars(select(Phase)):
        phase.ends_at = utcnow() - timedelta(minutes=1)
        phase.starts_at = utcnow() - timedelta(days=2)
    second = drafts.copy_version(None, draft, "Digitales Köln 2025 – Entwurf 2")
    drafts.open_consultation(None, second)
    db.session.flush()
    db.session.add(
        Phase(
            slug="draft-2",
            title_de="Entwurf 2 kommentieren",
            title_en="Commenting draft 2",
            starts_at=utcnow() - timedelta(hours=1),
            ends_at=utcnow() + timedelta(days=30),
            opens_draft_votes=True,
            opens_draft_comments=True,
            version_id=second.id,
        )
    )
    db.session.commit()
    ben = logged_in(app, "ben@example.org")
    old, new = first_paragraph(draft), first_paragraph(second)
    refused = ben.client.post(
        f"/masterplan/paragraphs/{old.id}/vote", data={"csrf_token": ben.token("/"), "choice": "agree"}
    )
    said = _said(refused)
    assert refused.status_code == 403
    assert "Abstimmen über Version 1 ist im Moment nicht möglich." in said
    assert "Jetzt geöffnet: „Entwurf 2 kommentieren“ (bis " in said
    comment = ben.client.post(
        f"/masterplan/paragraphs/{old.id}/comments", data={"csrf_token": ben.token("/"), "body": "Alt", "kind": ""}
    )
    assert comment.status_code == 403
    assert db_count(DraftVote) == 0
    page = BeautifulSoup(ben.get(f"/masterplan/chapters/{old.chapter_id}").get_data(as_text=True), "html.parser")
    assert page.find("form", class_="vote-form") is None

    accepted = ben.client.post(
        f"/masterplan/paragraphs/{new.id}/vote", data={"csrf_token": ben.token("/"), "choice": "agree"}
    )
    assert accepted.status_code == 303
    assert db.session.scalar(select(DraftVote.paragraph_id)) == new.id
    page = BeautifulSoup(ben.get(f"/masterplan/chapters/{new.chapter_id}").get_data(as_text=True), "html.parser")
    assert page.find("form", class_="vote-form") is not None
