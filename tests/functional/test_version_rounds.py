"""Rounds of the masterplan: opening the next version asks first and closes the open ones with it
(unless a planner unticks them), a closed version stays readable with its votes and comments
frozen, and a copy asks for its new title."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.core.audit import ModerationDecision
from participation.drafts import services
from participation.drafts.models import CLOSED, CONSULTATION, PREPARING, DraftVote, MasterplanVersion, Paragraph
from tests.conftest import Browser
from tests.drafting import counters_match_rows, first_paragraph, open_phase

TITLE = "Digitales Köln 2025 – Entwurf 1"


@pytest.fixture
def planner(app, users):
    users(email="plan@example.org", roles=("participant", "planner"))
    browser = Browser(app.test_client())
    browser.login("plan@example.org")
    return browser


@pytest.fixture
def second(db, draft):
    """Version 2, a copy of version 1 (which is open for comments, with a running phase)."""
    draft.title = TITLE
    version = services.copy_version(None, draft, title="Digitales Köln 2025 – Entwurf 2")
    db.session.commit()
    return version


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def status_of(db, number: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(MasterplanVersion.status).where(MasterplanVersion.number == number))


def audit(db) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(ModerationDecision.action, ModerationDecision.target_id)
        .where(ModerationDecision.target_type == "masterplan_version")
        .order_by(ModerationDecision.id)
    )
    return [tuple(row) for row in rows]


def test_opening_version_2_closes_version_1_by_default(db, planner, draft, second):
    url = f"/planning/versions/{second.number}/open"
    box = page(planner.get(url)).find("input", attrs={"name": "close", "value": str(draft.number)})
    assert box is not None and box.has_attr("checked")
    assert status_of(db, 2) == PREPARING  # asking changes nothing
    # the browser sends the ticked box
    response = planner.submit(url, {"close": str(draft.number)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/planning/versions/{second.number}")
    assert (status_of(db, 1), status_of(db, 2)) == (CLOSED, CONSULTATION)
    assert db.session.get(MasterplanVersion, draft.id).closed_at is not None
    assert db.session.get(MasterplanVersion, second.id).published_at is not None
    assert audit(db)[-2:] == [("version_opened", second.id), ("version_closed", draft.id)]
    told = planner.get(f"/planning/versions/{second.number}").get_data(as_text=True)
    assert "Version 2 ist für Kommentare geöffnet." in told and "Version 1 ist abgeschlossen" in told


def test_a_version_left_unticked_stays_open(db, planner, draft, second):
    url = f"/planning/versions/{second.number}/open"
    assert planner.submit(url, {}).status_code == 303
    assert (status_of(db, 1), status_of(db, 2)) == (CONSULTATION, CONSULTATION)
    assert audit(db)[-1] == ("version_opened", second.id)
    assert ("version_closed", draft.id) not in audit(db)


def test_the_question_lists_what_changes_and_warns_without_a_phase(app, db, users, planner, draft, second):
    url = f"/planning/versions/{second.number}/open"
    question = page(planner.get(url))
    text = question.get_text(" ", strip=True)
    assert "Version 2 wird öffentlich" in text
    assert "Version 1 jetzt abschließen" in text and TITLE in text
    warning = question.find(id="no-phase-warning")
    assert warning is not None
    assert "können Version 2 lesen, aber nicht kommentieren oder abstimmen" in warning.get_text(" ", strip=True)
    assert warning.find("a") is None  # planners do not set up phases; admins do, and get the link
    admin = Browser(app.test_client())
    users(email="root@example.org", roles=("participant", "admin"))
    admin.login("root@example.org")
    link = page(admin.get(url)).find(id="no-phase-warning").find("a")
    assert link["href"] == "/admin/phases" and link.get_text() == "Die Phasen des Verfahrens einrichten"
    # once a running phase opens version 2, the page names it and the warning is gone
    open_phase(db, version=second)
    db.session.commit()
    question = page(planner.get(url))
    assert question.find(id="no-phase-warning") is None
    assert "öffnet Kommentare und Abstimmungen" in question.get_text(" ", strip=True)
    assert "läuft" in question.get_text(" ", strip=True)


def test_the_old_open_button_leads_to_the_question(db, planner, second):
    response = planner.submit(
        f"/planning/versions/{second.number}", {"action": "open"}, action=f"/planning/versions/{second.number}/status"
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/versions/{second.number}/open")
    assert status_of(db, 2) == PREPARING
    version_page = page(planner.get(f"/planning/versions/{second.number}"))
    assert version_page.find("a", href=f"/planning/versions/{second.number}/open") is not None
    assert version_page.find("button", attrs={"value": "open"}) is None


def test_a_version_without_chapters_cannot_be_opened(db, planner, draft):
    empty = services.create_version(None, "Leer")
    db.session.commit()
    url = f"/planning/versions/{empty.number}/open"
    assert planner.get(url).status_code == 303
    assert planner.submit(f"/planning/versions/{empty.number}", {"close": "1"}, action=url).status_code == 303
    told = planner.get(f"/planning/versions/{empty.number}").get_data(as_text=True)
    assert "Eine Version ohne Kapitel kann nicht für Kommentare geöffnet werden." in told
    assert (status_of(db, empty.number), status_of(db, draft.number)) == (PREPARING, CONSULTATION)


def test_only_planners_open_versions(app, db, users, draft, second):
    users(email="kim@example.org")
    kim = Browser(app.test_client())
    kim.login("kim@example.org")
    url = f"/planning/versions/{second.number}/open"
    assert kim.get(url).status_code == 403
    assert kim.client.post(url, data={"csrf_token": kim.token(), "close": "1"}).status_code == 403
    assert (status_of(db, 1), status_of(db, 2)) == (CONSULTATION, PREPARING)


# --- a closed version is frozen ----------------------------------------------------------------


def test_a_closed_version_keeps_its_votes_and_comments_frozen(app, db, users, planner, draft, second):
    users(email="kim@example.org", display_name="Kim")
    kim = Browser(app.test_client())
    kim.login("kim@example.org")
    paragraph = first_paragraph(draft)
    chapter = paragraph.chapter
    chapter_url, paragraph_url = f"/masterplan/chapters/{chapter.id}", f"/masterplan/paragraphs/{paragraph.id}"
    vote_url = f"/masterplan/paragraphs/{paragraph.id}/vote"
    assert kim.submit(paragraph_url, {"choice": "agree"}, action=vote_url).status_code == 303
    posted = kim.submit(paragraph_url, {"body": "Schnelles Netz auch in Porz."}, action=f"{paragraph_url}/comments")
    assert posted.status_code == 303
    comment = db.session.scalar(select(Comment))
    api_version, api_paragraphs = f"/api/v1/versions/{draft.number}", f"/api/v1/versions/{draft.number}/paragraphs"
    before = {url: json.loads(Browser(app.test_client()).get(url).get_data()) for url in (api_version, api_paragraphs)}
    # version 2 opens for comments, version 1 closes with it (the phase on version 1 still runs)
    planner.submit(f"/planning/versions/{second.number}/open", {"close": str(draft.number)})
    assert status_of(db, 1) == CLOSED

    token = kim.token(paragraph_url)
    writes = {
        "vote": (vote_url, {"choice": "disagree"}, "ihre Stimmen bleiben, wie sie waren"),
        "withdraw": (vote_url, {"choice": "withdraw"}, "ihre Stimmen bleiben, wie sie waren"),
        "on paragraph": (f"{paragraph_url}/comments", {"body": "Noch einer."}, "ihre Kommentare bleiben"),
        "on chapter": (f"{chapter_url}/comments", {"body": "Zum Kapitel."}, "ihre Kommentare bleiben"),
        "reply": (f"/comments/{comment.id}/reply", {"body": "Eine Antwort."}, "ihre Kommentare bleiben"),
        "edit": (f"/comments/{comment.id}/edit", {"body": "Geändert."}, "ihre Kommentare bleiben"),
    }
    for name, (url, data, why) in writes.items():
        response = kim.client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 403, name
        assert f"Version 1 ist abgeschlossen: {why}" in response.get_data(as_text=True), name
    for url in (f"/comments/{comment.id}/reply", f"/comments/{comment.id}/edit"):
        assert kim.get(url).status_code == 403, url
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Comment.id))) == 1
    assert db.session.get(Comment, comment.id).body == "Schnelles Netz auch in Porz."
    assert db.session.scalar(select(DraftVote.value)) == 1
    stored = db.session.get(Paragraph, paragraph.id)
    assert (stored.agree_count, stored.neutral_count, stored.disagree_count, stored.comment_count) == (1, 0, 0, 1)
    assert counters_match_rows(db, paragraph.id)

    # still readable, with its votes and comments, for everyone
    reader = Browser(app.test_client())
    for url in (chapter_url, paragraph_url):
        shown = reader.get(url)
        text = page(shown).get_text(" ", strip=True)
        assert shown.status_code == 200, url
        assert "1 Zustimmung" in text and "Schnelles Netz auch in Porz." in text, url
        assert page(shown).find("form", action=vote_url) is None, url
        assert "Version 1 ist abgeschlossen" in text, url
    assert page(kim.get(paragraph_url)).find("form", action=vote_url) is None
    version = json.loads(reader.get(api_version).get_data())
    assert version["status"] == CLOSED and version["closed_at"] is not None
    assert version["chapters"] == before[api_version]["chapters"]
    paragraphs = json.loads(reader.get(api_paragraphs).get_data())
    assert paragraphs == before[api_paragraphs]
    first = next(item for item in paragraphs["items"] if item["id"] == paragraph.id)
    assert first["votes"] == {"agree": 1, "neutral": 0, "disagree": 0} and first["comments"] == 1


# --- copying asks for the title ---------------------------------------------------------------


def test_copy_asks_for_a_title_with_a_suggestion(db, planner, draft):
    draft.title = TITLE
    db.session.commit()
    index = page(planner.get("/planning/"))
    assert index.find("a", href="/planning/versions/copy") is not None
    form = page(planner.get("/planning/versions/copy"))
    assert form.find("input", attrs={"name": "title"})["value"] == "Digitales Köln 2025 – Entwurf 2"
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 1  # asking copies nothing
    response = planner.submit("/planning/versions/copy", {"title": "Digitales Köln 2025 – Entwurf 2"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/planning/versions/2")
    copy = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == 2))
    assert (copy.title, copy.status, copy.based_on_id) == ("Digitales Köln 2025 – Entwurf 2", PREPARING, draft.id)
    assert [c.title for c in copy.chapters] == [c.title for c in draft.chapters]
    assert audit(db)[-1] == ("version_created", copy.id)


@pytest.mark.parametrize(
    ("title", "suggestion"),
    [
        ("Digitales Köln 2025 – Entwurf 1", "Digitales Köln 2025 – Entwurf 2"),
        ("Entwurf 9", "Entwurf 10"),
        ("Digitales Köln 2025", "Digitales Köln 2025 (Version 2)"),  # a year is no round number
        ("Masterplan", "Masterplan (Version 2)"),
        ("x" * 200, "x" * 188 + " (Version 2)"),
    ],
)
def test_the_suggested_title(db, title, suggestion):
    assert services.suggested_title(MasterplanVersion(number=1, title=title), 2) == suggestion


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Bitte geben Sie einen Titel ein."),
        ("   ", "Bitte geben Sie einen Titel ein."),
        ("T" * 201, "200"),
        (TITLE, "Version 1 hat bereits diesen Titel."),
        (" digitales köln 2025 – entwurf 1 ", "Version 1 hat bereits diesen Titel."),
    ],
)
def test_copy_title_is_checked_at_the_field(db, planner, draft, typed, message):
    draft.title = TITLE
    db.session.commit()
    response = planner.submit("/planning/versions/copy", {"title": typed})
    assert response.status_code == 422
    form = page(response)
    error = form.find(id="title-error")
    assert error is not None and message in error.get_text(" ", strip=True)
    assert form.find("input", attrs={"name": "title"})["aria-invalid"] == "true"
    if typed.strip():
        assert form.find("input", attrs={"name": "title"})["value"] == typed.strip()  # what was typed stays
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 1
