"""Easy language (issue 21, part 5): planners write a summary in Leichte Sprache (and in plain
English) for a chapter and a measure; readers find it beside the full text at once, in German and
English, and gathered on the page "Leichte Sprache", which explains the platform itself."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, update

from participation.core.audit import ModerationDecision
from participation.core.easy_language import EASY_SUMMARY_MAX
from participation.drafts import services as drafts
from participation.drafts.models import Chapter
from participation.measures.models import Measure
from participation.pages.defaults import OLD_PLACEHOLDER_DE, OLD_PLACEHOLDER_EN, PLACEHOLDER_DE, PLACEHOLDER_EN
from participation.pages.easy_language import EASY_LANGUAGE_DE, PLACEHOLDER_SENTENCES
from participation.pages.models import Page
from tests.conftest import logged_in
from tests.functional.test_measure_editing import fields
from tests.measuring import measure, organisation, verified_member

PLANNER, MEMBER = "plan@example.org", "rhein@example.org"
EASY_DE = "Die Stadt baut schnelles Internet.\nAlle Schulen bekommen Glasfaser."
EASY_EN = "The city builds fast internet."
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def planner(app, users):
    users(email=PLANNER, display_name="Planung", roles=("participant", "planner"))
    return logged_in(app, PLANNER)


@pytest.fixture
def pages(db):
    from participation.pages.defaults import seed_pages

    seed_pages()
    db.session.commit()


def _section(html: str, anchor: str):
    return BeautifulSoup(html, "html.parser").find(id=anchor)


def _chapter_summary(planner, chapter_id, de=EASY_DE, en=EASY_EN):
    return planner.submit(
        f"/planning/chapters/{chapter_id}",
        {"easy_summary_de": de, "easy_summary_en": en},
        action=f"/planning/chapters/{chapter_id}/easy-language",
    )


def test_a_chapter_summary_shows_beside_the_text_at_once_in_both_languages(app, db, client, draft, planner):
    chapter = draft.chapters[0]
    page = f"/masterplan/chapters/{chapter.id}"
    before = client.get(page).get_data(as_text=True)  # now kept as a shared part for a minute
    assert _section(before, "easy-language") is None
    revision = chapter.revision
    # the page part is shared: a change that raises no revision is not seen (so the test below
    # proves that the editor's change raises it)
    db.session.execute(update(Chapter).where(Chapter.id == chapter.id).values(easy_summary_de="Unbemerkt."))
    db.session.commit()
    assert "Unbemerkt." not in client.get(page).get_data(as_text=True)

    # the version is open for comments: the summary may still be written, it changes no text
    response = _chapter_summary(planner, chapter.id)
    assert response.status_code == 303

    german = _section(client.get(page).get_data(as_text=True), "easy-language")
    assert german.name == "details" and german["lang"] == "de"
    assert german.summary.get_text(strip=True) == "In Leichter Sprache"
    assert "Alle Schulen bekommen Glasfaser." in german.get_text()
    db.session.expire_all()
    assert db.session.get(Chapter, chapter.id).revision > revision

    english_page = client.get(page, headers=ENGLISH).get_data(as_text=True)
    german = _section(english_page, "easy-language")
    assert german["lang"] == "de" and "In Leichter Sprache" in german.summary.get_text()
    assert german.summary.find(lang="en").get_text() == "(a summary in German easy language)"
    plain = _section(english_page, "plain-english")
    assert plain["lang"] == "en" and "The city builds fast internet." in plain.get_text()
    assert _section(client.get(page).get_data(as_text=True), "plain-english") is None  # German pages: easy German

    # changed and removed: shown at once as well
    _chapter_summary(planner, chapter.id, de="Ein neuer Text.", en="")
    assert "Ein neuer Text." in _section(client.get(page).get_data(as_text=True), "easy-language").get_text()
    _chapter_summary(planner, chapter.id, de="", en="")
    assert _section(client.get(page).get_data(as_text=True), "easy-language") is None


def test_a_chapter_summary_is_audited_and_copied_into_the_next_version(db, draft, planner):
    chapter = draft.chapters[0]
    _chapter_summary(planner, chapter.id)
    _chapter_summary(planner, chapter.id)  # the same again: nothing changed, nothing logged
    logged = list(
        db.session.scalars(
            select(ModerationDecision).where(ModerationDecision.action == "chapter_easy_language_changed")
        )
    )
    assert len(logged) == 1
    assert logged[0].target_id == chapter.id
    assert json.loads(logged[0].state_before) == {"easy_summary_de": "", "easy_summary_en": ""}
    assert json.loads(logged[0].state_after) == {"easy_summary_de": EASY_DE, "easy_summary_en": EASY_EN}

    db.session.expire_all()
    copy = drafts.copy_version(None, db.session.get(type(draft), draft.id))
    db.session.commit()
    assert (copy.chapters[0].easy_summary_de, copy.chapters[0].easy_summary_en) == (EASY_DE, EASY_EN)
    assert copy.chapters[1].easy_summary_de == ""


def test_the_chapter_summary_has_a_length_limit_and_the_rules_as_hint(db, draft, planner):
    chapter = draft.chapters[0]
    editor = planner.get(f"/planning/chapters/{chapter.id}").get_data(as_text=True)
    assert "one statement per sentence" not in editor  # German by default
    assert "eine Aussage pro Satz" in editor
    response = _chapter_summary(planner, chapter.id, de="Satz. " * (EASY_SUMMARY_MAX // 5))
    assert response.status_code == 422
    assert "Höchstens 5000 Zeichen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Chapter, chapter.id).easy_summary_de == ""


@pytest.mark.parametrize(("email", "roles", "status"), [("anna@example.org", ("participant",), 403)])
def test_only_planners_write_chapter_summaries(app, db, users, client, draft, email, roles, status):
    chapter = draft.chapters[0]
    data = {"easy_summary_de": "Fremder Text"}
    assert client.post(f"/planning/chapters/{chapter.id}/easy-language", data=data).status_code in (302, 400)
    users(email=email, roles=roles)
    person = logged_in(app, email)
    response = person.submit("/", data, action=f"/planning/chapters/{chapter.id}/easy-language")
    assert response.status_code == status
    db.session.expire_all()
    assert db.session.get(Chapter, chapter.id).easy_summary_de == ""


def test_a_measure_summary_shows_at_once_and_only_planners_write_it(app, db, client, users, planner):
    made = measure(db)
    member = users(email=MEMBER, display_name="Rhein")
    verified_member(db, member, organisation(db))
    db.session.commit()
    page = f"/measures/{made.id}"
    assert _section(client.get(page).get_data(as_text=True), "easy-language") is None  # kept now
    db.session.execute(update(Measure).where(Measure.id == made.id).values(easy_summary_de="Unbemerkt."))
    db.session.commit()
    assert "Unbemerkt." not in client.get(page).get_data(as_text=True)
    edit = f"/planning/measures/{made.id}/edit"
    assert "Leichte Sprache" in planner.get(edit).get_data(as_text=True)

    response = planner.submit(edit, fields(made, easy_summary_de=EASY_DE, easy_summary_en=EASY_EN))
    assert response.status_code == 303
    german = _section(client.get(page).get_data(as_text=True), "easy-language")
    assert german["lang"] == "de" and "Alle Schulen bekommen Glasfaser." in german.get_text()
    english = client.get(page, headers=ENGLISH).get_data(as_text=True)
    assert _section(english, "easy-language")["lang"] == "de"
    assert "The city builds fast internet." in _section(english, "plain-english").get_text()
    db.session.expire_all()
    assert any(
        json.loads(decision.state_after).get("easy_summary_de") == EASY_DE
        for decision in db.session.scalars(
            select(ModerationDecision).where(ModerationDecision.action == "measure_changed")
        )
    )

    # the responsible organisation's member edits the measure, not its summary in easy language
    rhein = logged_in(app, MEMBER)
    assert 'name="easy_summary_de"' not in rhein.get(edit).get_data(as_text=True)
    made = db.session.get(Measure, made.id)
    response = rhein.submit(edit, fields(made, title_de="Glasfaser", easy_summary_de="Fremder Text"))
    assert response.status_code == 303
    db.session.expire_all()
    made = db.session.get(Measure, made.id)
    assert (made.title_de, made.easy_summary_de) == ("Glasfaser", EASY_DE)


def test_the_easy_language_page_explains_the_platform_and_lists_the_summaries(app, db, client, draft, pages, planner):
    chapter = draft.chapters[1]
    _chapter_summary(planner, chapter.id, en="")
    shown = measure(db, title_de="Glasfaser für Schulen", title_en="Fibre for schools")
    english_only = measure(db, title_de="Nur Englisch", title_en="English only")
    hidden = measure(db, public=False, title_de="Geheimer Entwurf")
    shown.easy_summary_de = english_only.easy_summary_en = hidden.easy_summary_de = "Text."
    db.session.commit()

    html = client.get("/pages/easy-language").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text()
    for heading in ("Was ist ein Masterplan?", "Wie können Sie mitmachen?", "Was passiert mit Ihren Ideen?"):
        assert soup.find("h2", string=heading), heading
    for words in ("Ein Masterplan ist ein großer Plan.", "Abstimmen", "Vorschlag", "Daten-Schutz", "Kontakt"):
        assert words in text, words
    assert soup.find("a", attrs={"aria-current": "page"}, string="Leichte Sprache")
    links = [a["href"] for a in soup.find(id="summaries-title").parent.find_all("a")]
    assert links == [f"/masterplan/chapters/{chapter.id}#easy-language", f"/measures/{shown.id}#easy-language"]

    english = BeautifulSoup(client.get("/pages/easy-language", headers=ENGLISH).get_data(as_text=True), "html.parser")
    assert english.find("h2", string="What is a masterplan?")
    listed = {a.get_text(" ", strip=True): a["href"] for a in english.find(id="summaries-title").parent.find_all("a")}
    assert listed == {
        f"Chapter 2: {chapter.title}": f"/masterplan/chapters/{chapter.id}#easy-language",
        "Fibre for schools": f"/measures/{shown.id}#easy-language",
        "English only": f"/measures/{english_only.id}#plain-english",
    }


def test_the_page_lists_nothing_yet_in_easy_words(client, pages):
    html = client.get("/pages/easy-language").get_data(as_text=True)
    assert "Es gibt noch keine Texte in Leichter Sprache." in html


@pytest.mark.parametrize("placeholder", [(OLD_PLACEHOLDER_DE, OLD_PLACEHOLDER_EN), (PLACEHOLDER_DE, PLACEHOLDER_EN)])
def test_seeding_replaces_only_the_old_placeholder_text(db, placeholder):
    from participation.pages.defaults import seed_pages

    old_de, old_en = (
        f"{before}\n\n{sentence}" for before, sentence in zip(placeholder, PLACEHOLDER_SENTENCES, strict=True)
    )
    db.session.add(Page(slug="easy-language", title_de="Leichte Sprache", title_en="Easy language"))
    db.session.add(Page(slug="netiquette", title_de="N", title_en="N", body_de="Eigener Text", body_en=""))
    page = db.session.scalar(select(Page).where(Page.slug == "easy-language"))
    page.body_de, page.body_en = old_de, old_en
    db.session.commit()
    seed_pages()
    db.session.commit()
    assert page.body_de == EASY_LANGUAGE_DE and "What is a masterplan?" in page.body_en

    page.body_de = "Von der Redaktion geändert."  # an edit, even one that leaves English alone, is kept
    page.body_en = old_en
    db.session.commit()
    seed_pages()
    assert page.body_de == "Von der Redaktion geändert." and page.body_en == old_en


def test_the_german_text_keeps_to_short_sentences():
    """Leichte Sprache: a sentence per line, short lines, no abbreviations such as "z. B." or "bzw."."""
    lines = [line for line in EASY_LANGUAGE_DE.splitlines() if line and not line.startswith("#")]
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert not re.search(r"\b(z\. ?B\.|bzw\.|usw\.|d\. ?h\.|ggf\.|ca\.)", EASY_LANGUAGE_DE)


def test_hostile_summaries_are_escaped_everywhere_they_show(app, db, client, draft, pages, planner, sqlite_only):
    """Stored in chapters and measures, and typed into the editors' forms (a control character
    keeps the form from succeeding, so what was typed is shown again)."""
    from itertools import islice

    from tests.xss import check, payloads

    sample = list(islice(payloads(), 0, None, 24))
    chapter = draft.chapters[0]
    made = []
    for number, payload in enumerate(sample):
        made.append(measure(db, title_de=f"Maßnahme {number}", easy_summary_de=payload, easy_summary_en=payload))
    chapter.easy_summary_de = chapter.easy_summary_en = "\n\n".join(sample)
    # the page's own text, with headings (an admin's, but hostile all the same)
    page = db.session.scalar(select(Page).where(Page.slug == "easy-language"))
    page.body_de = page.body_en = "\n\n".join(f"## {payload}\n\n{payload}" for payload in sample)
    db.session.commit()
    for headers in ({}, ENGLISH):
        check(client.get(f"/masterplan/chapters/{chapter.id}", headers=headers), ("chapter", headers))
        check(client.get("/pages/easy-language", headers=headers), ("easy-language page", headers))
        for one in made[:: max(1, len(made) // 8)]:
            check(client.get(f"/measures/{one.id}", headers=headers), ("measure", one.id, headers))
    check(planner.get(f"/planning/chapters/{chapter.id}"), "chapter editor")
    check(planner.get(f"/planning/measures/{made[0].id}/edit"), "measure editor")
    for payload in sample[::4]:
        hostile = payload + "\x07"
        response = _chapter_summary(planner, chapter.id, de=hostile, en=hostile)
        assert response.status_code == 422
        check(response, ("typed into the chapter's summary", payload))
        response = planner.submit(
            f"/planning/measures/{made[0].id}/edit", fields(made[0], easy_summary_de=hostile, easy_summary_en=hostile)
        )
        assert response.status_code == 422
        check(response, ("typed into the measure's summary", payload))


def test_the_pages_are_valid_and_well_structured(app, db, client, draft, pages, planner, tmp_path, sqlite_only):
    """The Nu Html Checker and the structural checks of the HTML suites on every page that shows a
    summary or edits one, in German and English, the editors with their errors too."""
    from tests.functional.test_html_structure import problems
    from tests.functional.test_html_validity import run_vnu

    chapter = draft.chapters[0]
    _chapter_summary(planner, chapter.id, de="- Eine Liste.\n- Mit [Link](/pages/imprint).\n\nUnd ein Satz.")
    made = measure(db, easy_summary_de=EASY_DE, easy_summary_en=EASY_EN)
    db.session.commit()
    responses = {}
    for language in ("de", "en"):
        headers = {"Accept-Language": language}
        for url in ("/pages/easy-language", f"/masterplan/chapters/{chapter.id}", f"/measures/{made.id}"):
            responses[f"{language}{url}"] = client.get(url, headers=headers)
    for url in (f"/planning/chapters/{chapter.id}", f"/planning/measures/{made.id}/edit"):
        responses[url] = planner.get(url)
    responses["chapter editor with errors"] = _chapter_summary(planner, chapter.id, de="x" * (EASY_SUMMARY_MAX + 1))
    responses["measure editor with errors"] = planner.submit(
        f"/planning/measures/{made.id}/edit", fields(made, easy_summary_de="x" * (EASY_SUMMARY_MAX + 1))
    )
    paths = []
    for number, (name, response) in enumerate(responses.items()):
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 422), name
        assert problems(html) == [], name
        path = tmp_path / f"{number}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    assert run_vnu(paths) == []
