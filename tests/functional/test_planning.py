"""The planners' area: editing a version being prepared, and deleting only after a question."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.drafts import services
from participation.drafts.models import Chapter, Paragraph
from tests.drafting import first_paragraph


@pytest.fixture
def planner(users, browser):
    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")


@pytest.fixture
def preparing(db, draft):
    version = services.copy_version(None, draft)
    db.session.commit()
    return version


def titles(db, version_id):
    return list(
        db.session.scalars(select(Chapter.title).where(Chapter.version_id == version_id).order_by(Chapter.position))
    )


def test_add_edit_and_reorder_chapters_and_paragraphs(browser, planner, db, preparing):
    page = f"/planning/versions/{preparing.number}"
    response = browser.submit(
        page, {"new-chapter-title": "Smart City", "new-chapter-topic": ""}, action=f"{page}/chapters"
    )
    assert response.status_code == 303
    assert titles(db, preparing.id) == ["Digitale Bildung", "Offene Daten", "Smart City"]
    third = db.session.scalar(select(Chapter).where(Chapter.title == "Smart City"))
    browser.submit(page, {"action": "up"}, action=f"/planning/chapters/{third.id}/arrange")
    assert titles(db, preparing.id) == ["Digitale Bildung", "Smart City", "Offene Daten"]

    chapter_page = f"/planning/chapters/{third.id}"
    preview = browser.submit(
        chapter_page, {"text": "Sensoren *messen*", "preview": "1"}, action=f"{chapter_page}/paragraphs"
    )
    assert preview.status_code == 200 and "<em>messen</em>" in preview.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Paragraph.id)).where(Paragraph.chapter_id == third.id)) == 0
    assert (
        browser.submit(chapter_page, {"text": "Sensoren messen."}, action=f"{chapter_page}/paragraphs").status_code
        == 303
    )
    paragraph = db.session.scalar(select(Paragraph).where(Paragraph.chapter_id == third.id))
    assert (
        browser.submit(f"/planning/paragraphs/{paragraph.id}", {"text": "Sensoren messen die Luft."}).status_code == 303
    )
    assert db.session.get(Paragraph, paragraph.id).text == "Sensoren messen die Luft."


def test_deleting_a_chapter_asks_first_and_names_what_goes(browser, planner, db, preparing):
    chapter = preparing.chapters[0]
    url = f"/planning/chapters/{chapter.id}/delete"
    version_page = BeautifulSoup(
        browser.get(f"/planning/versions/{preparing.number}").get_data(as_text=True), "html.parser"
    )
    assert version_page.find("a", href=url)  # the list links to the question, it does not delete
    question = browser.get(url)
    text = question.get_data(as_text=True)
    assert question.status_code == 200 and "Digitale Bildung" in text and "2 Absätzen" in text
    assert db.session.get(Chapter, chapter.id) is not None  # asking deletes nothing
    assert browser.submit(url, {}).status_code == 303
    assert titles(db, preparing.id) == ["Offene Daten"]
    assert db.session.scalar(select(Chapter.position).where(Chapter.version_id == preparing.id)) == 1


def test_deleting_a_paragraph_asks_first(browser, planner, db, preparing):
    paragraph = first_paragraph(preparing)
    chapter_id, url = paragraph.chapter_id, f"/planning/paragraphs/{paragraph.id}/delete"
    assert "Alle Schulen bekommen schnelles Internet." in browser.get(url).get_data(as_text=True)
    assert browser.submit(url, {}).status_code == 303
    remaining = db.session.scalars(select(Paragraph).where(Paragraph.chapter_id == chapter_id)).all()
    assert [(p.position, p.text) for p in remaining] == [(1, "Lehrkräfte werden fortgebildet.")]


def test_a_version_open_for_comments_cannot_be_changed(browser, planner, db, draft):
    chapter = draft.chapters[0]
    for url in (f"/planning/chapters/{chapter.id}/delete", f"/planning/paragraphs/{chapter.paragraphs[0].id}/delete"):
        assert browser.get(url).status_code == 403
        assert browser.submit(f"/planning/versions/{draft.number}", {}, action=url).status_code == 403
    assert len(db.session.get(Chapter, chapter.id).paragraphs) == 2


def test_deleting_ones_comment_asks_first(browser, users, db, draft):
    users(email="kim@example.org")
    browser.login("kim@example.org")
    paragraph = first_paragraph(draft)
    browser.submit(
        f"/masterplan/paragraphs/{paragraph.id}",
        {"body": "Mein Beitrag"},
        action=f"/masterplan/paragraphs/{paragraph.id}/comments",
    )
    comment = db.session.scalar(select(Comment))
    page = BeautifulSoup(browser.get(f"/masterplan/paragraphs/{paragraph.id}").get_data(as_text=True), "html.parser")
    link = page.find("a", href=f"/comments/{comment.id}/delete")
    assert link is not None
    question = browser.get(link["href"]).get_data(as_text=True)
    assert "Mein Beitrag" in question and db.session.get(Comment, comment.id).status == "published"
    assert browser.submit(link["href"], {}).status_code == 303
    assert db.session.get(Comment, comment.id).status == "deleted"
