"""Shared page parts (participation.core.cache.fragments): the draft pages are rendered once for
everyone who may do the same there, and each person's own bits are filled in per request.
These tests drive the pages as several people at once and check that a change shows at once
and that nothing personal crosses from one person to another."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from participation.comments.models import Comment
from participation.comments.services import add_comment, delete_comment, edit_comment
from participation.core.cache import fragments
from participation.drafts import services
from participation.drafts.models import Chapter
from tests.conftest import Browser
from tests.drafting import first_paragraph

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def pressed(page: BeautifulSoup) -> list[str]:
    return [button["value"] for button in page.find_all("button", attrs={"aria-pressed": "true"})]


def revision(db, chapter_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Chapter, chapter_id).revision


def signed_in(app, users, email, **kwargs) -> Browser:
    person = Browser(app.test_client())
    users(email=email, **kwargs)
    person.login(email, unconfirmed=not kwargs.get("confirmed", True))
    return person


@pytest.mark.parametrize("path", ["/masterplan/chapters/{chapter}", "/masterplan/paragraphs/{paragraph}"])
def test_own_votes_comments_and_tokens_never_reach_another_person(app, users, db, draft, path):
    paragraph = first_paragraph(draft)
    url = path.format(chapter=paragraph.chapter_id, paragraph=paragraph.id)
    anna = signed_in(app, users, "anna@example.org", display_name="Anna")
    ben = signed_in(app, users, "ben@example.org", display_name="Ben")
    anna.submit(url, {"choice": "agree"}, action=f"/masterplan/paragraphs/{paragraph.id}/vote")
    anna.submit(url, {"body": "Annas Gedanke"}, action=f"/masterplan/paragraphs/{paragraph.id}/comments")
    comment = db.session.query(Comment).one()
    if "chapters" in url:  # on the chapter page, the thread of chapter comments has actions too
        anna.submit(
            url, {"body": "Annas Kapitelkommentar"}, action=f"/masterplan/chapters/{paragraph.chapter_id}/comments"
        )
        comment = db.session.query(Comment).filter(Comment.paragraph_id.is_(None)).one()

    anna_page, ben_page = soup(anna.get(url)), soup(ben.get(url))  # Ben's comes from the shared part
    assert pressed(anna_page) == ["agree"] and pressed(ben_page) == []
    assert anna_page.find("button", attrs={"value": "withdraw"}) and not ben_page.find(
        "button", attrs={"value": "withdraw"}
    )
    edit, delete = f"/comments/{comment.id}/edit", f"/comments/{comment.id}/delete"
    assert anna_page.find("a", href=edit) and anna_page.find("a", href=delete)
    assert not ben_page.find("a", href=edit) and not ben_page.find("a", href=delete)
    assert ben_page.find("a", href=f"/comments/{comment.id}/reply")  # replying is for everyone

    anna_tokens = set(TOKEN.findall(str(anna_page)))
    ben_tokens = set(TOKEN.findall(str(ben_page)))
    assert len(anna_tokens) == 1 and len(ben_tokens) == 1 and anna_tokens != ben_tokens
    # each token works for its owner: Ben votes with the token from his (shared) page
    response = ben.client.post(
        f"/masterplan/paragraphs/{paragraph.id}/vote", data={"csrf_token": next(iter(ben_tokens)), "choice": "disagree"}
    )
    assert response.status_code == 303
    assert pressed(soup(ben.get(url))) == ["disagree"] and pressed(soup(anna.get(url))) == ["agree"]

    visitor = soup(app.test_client().get(url))
    assert not visitor.find("a", href=delete) and not pressed(visitor)
    assert not set(TOKEN.findall(str(visitor))) & (anna_tokens | ben_tokens)
    for page in (anna_page, ben_page, visitor):
        assert fragments._SECRET not in str(page)  # every slot was filled


def test_every_change_reaches_readers_at_once(app, users, db, draft):
    paragraph = first_paragraph(draft)
    chapter_url = f"/masterplan/chapters/{paragraph.chapter_id}"
    paragraph_url = f"/masterplan/paragraphs/{paragraph.id}"
    visitor = app.test_client()
    person = users(email="kim@example.org", display_name="Kim")
    before = revision(db, paragraph.chapter_id)
    assert "0 Zustimmungen" in visitor.get(chapter_url).get_data(as_text=True)

    services.cast_vote(person, paragraph, 1)
    db.session.commit()
    for url in (chapter_url, paragraph_url):
        assert "1 Zustimmung<" in visitor.get(url).get_data(as_text=True).replace("</span>", "<")
    assert "1 agrees" in visitor.get(chapter_url, headers={"Accept-Language": "en"}).get_data(as_text=True)

    comment = add_comment(person, "Erster Gedanke", None, paragraph.chapter, paragraph)
    db.session.commit()
    assert "Erster Gedanke" in visitor.get(paragraph_url).get_data(as_text=True)
    edit_comment(comment, "Zweiter Gedanke", "question")
    db.session.commit()
    assert "Zweiter Gedanke" in visitor.get(chapter_url).get_data(as_text=True)
    delete_comment(db.session.get(Comment, comment.id))
    db.session.commit()
    assert "Zweiter Gedanke" not in visitor.get(paragraph_url).get_data(as_text=True)

    opinions = f"/masterplan/chapters/{paragraph.chapter_id}/opinions"
    assert "100 %" in visitor.get(opinions).get_data(as_text=True)
    services.cast_vote(person, paragraph, -1)
    db.session.commit()
    assert "100 %" not in visitor.get(opinions).get_data(as_text=True)

    table_of_contents = f"/masterplan/{draft.number}/"
    assert "1 Stimme" in visitor.get(table_of_contents).get_data(as_text=True)
    services.cast_vote(users(email="lea@example.org"), paragraph, 1)
    db.session.commit()
    assert "2 Stimmen" in visitor.get(table_of_contents).get_data(as_text=True)

    chapter = db.session.get(Chapter, paragraph.chapter_id)
    chapter.paragraphs[0].text = "Ein neuer Wortlaut."
    db.session.commit()
    assert "Ein neuer Wortlaut." in visitor.get(chapter_url).get_data(as_text=True)
    # every change above raised the chapter's revision in its own transaction
    assert revision(db, paragraph.chapter_id) == before + 7


def test_closing_the_consultation_hides_the_forms_at_once(browser, users, db, draft):
    users(email="kim@example.org")
    browser.login("kim@example.org")
    url = f"/masterplan/chapters/{draft.chapters[0].id}"
    assert soup(browser.get(url)).find("form", class_="vote-form")
    services.close_consultation(None, draft)
    db.session.commit()
    assert not soup(browser.get(url)).find("form", class_="vote-form")


def test_a_reader_who_may_not_contribute_gets_no_forms(app, users, db, draft):
    url = f"/masterplan/chapters/{draft.chapters[0].id}"
    contributor = signed_in(app, users, "kim@example.org")
    unconfirmed = signed_in(app, users, "neu@example.org", confirmed=False)
    assert soup(contributor.get(url)).find("form", class_="vote-form")
    page = soup(unconfirmed.get(url))
    assert not page.find("form", class_="vote-form") and not page.find("textarea")
