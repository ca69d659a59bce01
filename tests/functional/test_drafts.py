"""The draft: reading, voting, commenting, versions, comparing, opinions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.drafts import services
from participation.drafts.models import Chapter, DraftVote, Paragraph
from participation.phases.models import Phase
from tests.conftest import Browser, queries_for
from tests.drafting import counters_match_rows, first_paragraph


@pytest.fixture
def person(users, browser):
    user = users(email="kim@example.org", display_name="Kim", stakeholder_group="businesses")
    browser.login("kim@example.org")
    return user


def test_table_of_contents_and_chapter_page(client, draft, db):
    toc = client.get(f"/masterplan/{draft.number}/")
    assert toc.status_code == 200
    html = toc.get_data(as_text=True)
    assert "Digitale Bildung" in html and "Offene Daten" in html and "2 Absätze" in html
    assert client.get("/masterplan/").headers["Location"].endswith(f"/masterplan/{draft.number}/")
    chapter = draft.chapters[0]
    page = BeautifulSoup(client.get(f"/masterplan/chapters/{chapter.id}").get_data(as_text=True), "html.parser")
    paragraph = chapter.paragraphs[0]
    section = page.find(id=paragraph.anchor)
    assert section is not None and "schnelles Internet" in section.get_text()
    assert section.find("a", href=f"#{paragraph.anchor}").get_text(strip=True) == "Absatz 1.1"
    assert page.find("h2", string="Schulen")
    assert "Melden Sie sich an" in section.get_text()  # visitors are invited to log in to vote


def test_a_version_being_prepared_is_only_for_planners(browser, users, db, draft):
    copy = services.copy_version(None, draft)
    db.session.commit()
    assert browser.get(f"/masterplan/{copy.number}/").status_code == 404
    assert browser.get(f"/masterplan/chapters/{copy.chapters[0].id}").status_code == 404
    users(email="plan@example.org", roles=("participant", "planner"))
    browser.login("plan@example.org")
    assert browser.get(f"/masterplan/{copy.number}/").status_code == 200


def test_vote_change_and_withdraw(browser, person, db, draft):
    paragraph = first_paragraph(draft)
    url = f"/masterplan/chapters/{paragraph.chapter_id}"
    for choice, expected in [
        ("agree", (1, 0, 0)),
        ("disagree", (0, 0, 1)),
        ("neutral", (0, 1, 0)),
        ("neutral", (0, 1, 0)),
        ("withdraw", (0, 0, 0)),
    ]:
        response = browser.submit(url, {"choice": choice}, action=f"/masterplan/paragraphs/{paragraph.id}/vote")
        assert response.status_code == 303
        fresh = db.session.get(Paragraph, paragraph.id)
        assert (fresh.agree_count, fresh.neutral_count, fresh.disagree_count) == expected, choice
        assert counters_match_rows(db, paragraph.id)
    browser.submit(url, {"choice": "agree"}, action=f"/masterplan/paragraphs/{paragraph.id}/vote")
    vote = db.session.scalar(select(DraftVote))
    assert vote.stakeholder_group == "businesses"
    page = BeautifulSoup(browser.get(url).get_data(as_text=True), "html.parser")
    assert page.find("button", attrs={"value": "agree", "aria-pressed": "true"})


def test_bad_vote_is_refused(browser, person, db, draft):
    paragraph = first_paragraph(draft)
    response = browser.submit(
        f"/masterplan/chapters/{paragraph.chapter_id}",
        {"choice": "maybe"},
        action=f"/masterplan/paragraphs/{paragraph.id}/vote",
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(DraftVote.id))) == 0


@pytest.mark.parametrize("closed", ["phase", "version"])
def test_outside_the_phase_forms_are_hidden_and_posts_refused(browser, person, db, draft, closed):
    if closed == "phase":
        for phase in db.session.scalars(select(Phase)):
            phase.ends_at = utcnow() - timedelta(minutes=1)
    else:
        services.close_consultation(None, draft)
    db.session.commit()
    paragraph = first_paragraph(draft)
    page = BeautifulSoup(
        browser.get(f"/masterplan/chapters/{paragraph.chapter_id}").get_data(as_text=True), "html.parser"
    )
    assert page.find("form", class_="vote-form") is None and page.find(class_="notice")
    token = browser.token("/")
    vote = browser.client.post(
        f"/masterplan/paragraphs/{paragraph.id}/vote", data={"csrf_token": token, "choice": "agree"}
    )
    said = " ".join(BeautifulSoup(vote.get_data(as_text=True), "html.parser").get_text().split())
    if closed == "phase":  # what is closed, what is open instead, and when the next phase starts
        assert "Abstimmen über Version 1 ist im Moment nicht möglich." in said
        assert "Im Moment läuft keine Phase des Verfahrens." in said
    else:
        assert "Version 1 ist abgeschlossen: ihre Stimmen bleiben, wie sie waren." in said
        assert "Jetzt geöffnet: „Entwurf“ (bis " in said
    assert vote.status_code == 403 and "Es ist noch keine weitere Phase geplant." in said
    comment = browser.client.post(
        f"/masterplan/paragraphs/{paragraph.id}/comments", data={"csrf_token": token, "body": "Hallo"}
    )
    assert comment.status_code == 403
    assert db.session.scalar(select(func.count(DraftVote.id))) == 0
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_unconfirmed_and_blocked_are_told_why(browser, users, db, draft):
    users(email="new@example.org", confirmed=False)
    browser.login("new@example.org", unconfirmed=True)
    paragraph = first_paragraph(draft)
    response = browser.submit("/", {"choice": "agree"}, action=f"/masterplan/paragraphs/{paragraph.id}/vote")
    assert response.status_code == 403 and "bestätigen" in response.get_data(as_text=True)


def comment_on(browser, paragraph, body="Ein **guter** Punkt.", kind="addition"):
    return browser.submit(
        f"/masterplan/paragraphs/{paragraph.id}",
        {"body": body, "kind": kind},
        action=f"/masterplan/paragraphs/{paragraph.id}/comments",
    )


def test_comment_reply_and_depth(browser, person, users, app, db, draft):
    paragraph = first_paragraph(draft)
    response = comment_on(browser, paragraph)
    assert response.status_code == 303
    comment = db.session.scalar(select(Comment))
    assert comment.kind == "addition" and comment.author_group == "businesses"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>guter</strong>" in page and "Ergänzung" in page
    assert db.session.get(Paragraph, paragraph.id).comment_count == 1

    other = Browser(app.test_client())
    users(email="other@example.org", display_name="Andere")
    other.login("other@example.org")
    parent = comment
    for depth in (1, 2):
        reply = other.submit(f"/comments/{parent.id}/reply", {"body": f"Antwort {depth}"})
        assert reply.status_code == 303, depth
        parent = db.session.scalar(select(Comment).where(Comment.depth == depth))
        assert parent.root_id == comment.id and parent.paragraph_id == paragraph.id
    too_deep = other.get(f"/comments/{parent.id}/reply")
    assert too_deep.status_code == 403
    assert db.session.get(Paragraph, paragraph.id).comment_count == 3
    thread = BeautifulSoup(other.get(f"/masterplan/paragraphs/{paragraph.id}").get_data(as_text=True), "html.parser")
    nested = thread.find(id=comment.anchor).find(id=parent.anchor)
    assert nested is not None  # the reply to the reply sits inside the first comment's thread


def test_comment_errors_keep_the_text(browser, person, db, draft):
    paragraph = first_paragraph(draft)
    response = comment_on(browser, paragraph, body="x" * 5001)
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find(id="body-error") and page.find(id="body").get_text().lstrip("\r\n") == "x" * 5001
    assert comment_on(browser, paragraph, body="   ").status_code == 422
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_edit_within_fifteen_minutes_and_delete_keeps_the_thread(browser, person, users, app, db, draft):
    paragraph = first_paragraph(draft)
    comment_on(browser, paragraph, body="Erste Fassung")
    comment = db.session.scalar(select(Comment))
    assert browser.submit(f"/comments/{comment.id}/edit", {"body": "Zweite Fassung", "kind": ""}).status_code == 303
    assert db.session.get(Comment, comment.id).body == "Zweite Fassung"
    other = Browser(app.test_client())
    users(email="other@example.org")
    other.login("other@example.org")
    assert other.get(f"/comments/{comment.id}/edit").status_code == 403
    other.submit(f"/comments/{comment.id}/reply", {"body": "Ich antworte"})

    db.session.get(Comment, comment.id).created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    late = browser.submit(f"/comments/{comment.id}/edit", {"body": "Zu spät"})
    assert late.status_code == 403 and "15 Minuten" in late.get_data(as_text=True)

    assert other.submit("/", {}, action=f"/comments/{comment.id}/delete").status_code == 403
    assert browser.submit("/", {}, action=f"/comments/{comment.id}/delete").status_code == 303
    deleted = db.session.get(Comment, comment.id)
    assert deleted.status == "deleted" and deleted.body == ""
    page = browser.get(f"/masterplan/paragraphs/{paragraph.id}").get_data(as_text=True)
    assert "von der Autorin oder dem Autor gelöscht" in page or "gelöscht" in page
    assert "Ich antworte" in page and "Zweite Fassung" not in page
    assert db.session.get(Paragraph, paragraph.id).comment_count == 1


def test_chapter_comment(browser, person, db, draft):
    chapter = draft.chapters[1]
    response = browser.submit(
        f"/masterplan/chapters/{chapter.id}",
        {"body": "Zum ganzen Kapitel"},
        action=f"/masterplan/chapters/{chapter.id}/comments",
    )
    assert response.status_code == 303
    assert db.session.get(Chapter, chapter.id).comment_count == 1
    assert "Zum ganzen Kapitel" in browser.get(f"/masterplan/chapters/{chapter.id}").get_data(as_text=True)


def test_long_threads_are_paginated(client, users, db, draft):
    from participation.comments.services import add_comment

    author = users()
    paragraph = first_paragraph(draft)
    for n in range(45):
        add_comment(author, f"Kommentar Nummer {n:03d}", None, paragraph.chapter, paragraph)
    db.session.commit()
    first = client.get(f"/masterplan/paragraphs/{paragraph.id}").get_data(as_text=True)
    assert "Kommentar Nummer 000" in first and "Kommentar Nummer 020" not in first
    last = client.get(f"/masterplan/paragraphs/{paragraph.id}?page=last").get_data(as_text=True)
    assert "Kommentar Nummer 044" in last and "Seite 3 von 3" in last


def test_opinions_by_group(client, users, db, draft):
    paragraphs = [p for chapter in draft.chapters for p in chapter.paragraphs]
    # five each: a group of fewer would not be shown (MIN_PUBLIC_GROUP_SIZE, test_disclosure)
    residents = [users(stakeholder_group="residents") for _ in range(5)]
    businesses = [users(stakeholder_group="businesses") for _ in range(5)]
    for user in residents:
        services.cast_vote(user, paragraphs[0], 1)
        services.cast_vote(user, paragraphs[1], 1)
    for user in businesses:
        services.cast_vote(user, paragraphs[0], 1)
        services.cast_vote(user, paragraphs[1], -1)
    db.session.commit()
    page = BeautifulSoup(
        client.get(f"/masterplan/chapters/{draft.chapters[0].id}/opinions").get_data(as_text=True), "html.parser"
    )
    agreed, controversial = page.find_all("ol")[1:3] if len(page.find_all("ol")) > 3 else page.find_all("ol")[-2:]
    assert "Absatz 1.1" in agreed.find("li").get_text()
    assert "Absatz 1.2" in controversial.find("li").get_text()
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.find("table").tbody.find_all("tr")
    }
    # all, residents, businesses, universities (no votes)
    assert rows["1.2"][:4] == ["50 %", "100 %", "0 %", "–"]


def test_next_version_keeps_lineage_and_history(browser, users, db, draft):
    voter = users()
    services.cast_vote(voter, first_paragraph(draft), 1)
    db.session.commit()
    copy = services.copy_version(voter, draft)
    db.session.commit()
    old_keys = [p.lineage_key for c in draft.chapters for p in c.paragraphs]
    assert [p.lineage_key for c in copy.chapters for p in c.paragraphs] == old_keys
    new_first = copy.chapters[0].paragraphs[0]
    assert new_first.agree_count == 0  # votes stay with the version they were cast on
    services.open_consultation(None, copy)
    db.session.commit()
    page = browser.get(f"/masterplan/paragraphs/{new_first.id}").get_data(as_text=True)
    assert "Version 1, Absatz 1.1" in page and "1 Stimme" in page


def test_compare_versions_word_by_word(client, db, draft):
    copy = services.copy_version(None, draft)
    copy.chapters[0].paragraphs[0].text = "Alle Schulen bekommen sehr schnelles Glasfaser-Internet."
    copy.chapters[0].paragraphs.pop(1)
    copy.chapters[1].paragraphs.append(Paragraph(position=2, text="Ein neuer Absatz."))
    services.open_consultation(None, copy)
    db.session.commit()
    page = BeautifulSoup(
        client.get(f"/masterplan/compare?from=1&to={copy.number}").get_data(as_text=True), "html.parser"
    )
    summary = page.find(class_="compare-summary").get_text(" ", strip=True)
    assert "1 Absatz geändert" in summary and "1 Absatz hinzugefügt" in summary and "1 Absatz entfernt" in summary
    inserted = [ins.get_text() for ins in page.find_all("ins")]
    assert any("sehr" in text for text in inserted) and any("Glasfaser" in text for text in inserted)
    assert any("Lehrkräfte" in deleted.get_text() for deleted in page.find_all("del"))
    assert "[eingefügt:" in page.find("ins").get_text()  # said in words for screen readers
    same = client.get("/masterplan/compare?from=1&to=1")
    assert "zwei verschiedene" in same.get_data(as_text=True)


def test_chapter_page_query_count_does_not_grow_with_the_data(app, client, users, db, draft):
    from participation.comments.services import add_comment

    chapter = draft.chapters[0]

    def grow(paragraphs, comments_each):
        people = [users() for _ in range(10)]
        for n in range(paragraphs):
            chapter.paragraphs.append(Paragraph(position=len(chapter.paragraphs) + 1, text=f"Absatz {n}"))
        db.session.flush()
        for paragraph in chapter.paragraphs:
            for person in people:
                services.cast_vote(person, paragraph, 1)
            for n in range(comments_each):
                parent = add_comment(people[n], "Kommentar", None, chapter, paragraph)
                add_comment(people[n + 1], "Antwort", None, chapter, parent=parent)
            add_comment(people[0], "Zum Kapitel", None, chapter)
        db.session.commit()

    url = f"/masterplan/chapters/{chapter.id}"
    grow(paragraphs=2, comments_each=1)
    small = queries_for(client, url)
    grow(paragraphs=40, comments_each=5)
    # one more: the threads fill more than a page, which counts them (a first page that is not
    # full counts nothing); never one per paragraph or comment
    assert queries_for(client, url) == small + 1
    assert small + 1 <= 12
