"""No one singled out: no public figure, download, API answer or open-data file shows a group of
fewer than MIN_PUBLIC_GROUP_SIZE people; such groups are merged into "other groups" or left out,
and the totals still add up."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from bs4 import BeautifulSoup

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.drafts import services as drafts
from tests.conftest import Browser, logged_in
from tests.drafting import first_paragraph

SMALL = "municipal_companies"  # three voters: never to be seen on their own
SMALL_LABEL = "Städtische Gesellschaften"
OTHER_LABEL = "weitere Gruppen"


@pytest.fixture(params=[2, 0], ids=["merged", "left-out"])
def votes(request, db, users, draft):
    """Six residents agree with paragraph 1.1, three people of the municipal companies disagree,
    and (when merged) two of civil society disagree: together five, enough for "other groups"."""
    users(email="plan@example.org", roles=("participant", "planner"))
    paragraph = first_paragraph(draft)
    voters = [("residents", 1)] * 6 + [(SMALL, -1)] * 3 + [("civil_society", -1)] * request.param
    for group, value in voters:
        drafts.cast_vote(users(stakeholder_group=group), paragraph, value)
    db.session.commit()
    return {"paragraph": paragraph, "merged": request.param > 0}


def _rows(table) -> dict[str, list[str]]:
    return {
        row.find(["th"]).get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in table.find_all("tr")
        if row.find("td")
    }


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def test_the_paragraph_page_merges_small_groups_and_adds_up(app, votes):
    page = Browser(app.test_client()).get(f"/masterplan/paragraphs/{votes['paragraph'].id}").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    rows = _rows(soup.find(id="split-title").find_parent("section").table)
    # left out, the three alone would be the totals (6 agree, 3 disagree) less the residents
    assert rows["Einwohner*innen"] == (["6", "0", "0"] if votes["merged"] else ["–"] * 3)
    assert rows.get(SMALL_LABEL, ["–"] * 3) == ["–"] * 3
    if votes["merged"]:
        assert rows[OTHER_LABEL] == ["0", "0", "5"]
        # each column adds up to the paragraph's votes: 6 agree, 0 neutral, 5 disagree
        assert [sum(_number(row[i]) for row in rows.values()) for i in range(3)] == [6, 0, 5]
    else:
        assert len(rows) == len(STAKEHOLDER_GROUPS) + 1 and OTHER_LABEL in rows  # every group, all "–"
        assert {cell for row in rows.values() for cell in row} == {"–"}


def test_the_opinions_page_shows_no_share_of_a_small_group(app, votes):
    chapter_id = votes["paragraph"].chapter_id
    page = Browser(app.test_client()).get(f"/masterplan/chapters/{chapter_id}/opinions").get_data(as_text=True)
    table = BeautifulSoup(page, "html.parser").find("caption", id="groups-caption").find_parent("table")
    headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    row = dict(zip(headings[1:], _rows(table)[votes["paragraph"].number], strict=True))
    assert row["Alle"] == ("55 %" if votes["merged"] else "67 %") and row["Einwohner*innen"] == (
        "100 %" if votes["merged"] else "–"
    )
    assert row[SMALL_LABEL] == "–" and row["Zivilgesellschaft"] == "–"
    assert row[OTHER_LABEL] == ("0 %" if votes["merged"] else "–")


def test_a_dash_does_not_claim_its_group_is_small(app, votes):
    """Left out, the six residents show "–" too (the totals would tell the three): the explanations
    must hold for them as well, in German and in English."""
    paragraph = votes["paragraph"]
    for language, not_shown, wrong in (
        ("de", "nicht gezeigt, damit keine kleine Gruppe erkennbar wird", "weniger als 5 Personen"),
        ("en", "not shown, so that no small group can be told apart", "fewer than 5 people"),
    ):
        client = Browser(app.test_client())
        headers = {"Accept-Language": language}
        page = BeautifulSoup(client.get(f"/masterplan/paragraphs/{paragraph.id}", headers=headers).data, "html.parser")
        section = page.find(id="split-title").find_parent("section")
        dashes = section.table.find_all("abbr")
        assert dashes and {dash["title"] for dash in dashes} == {not_shown}
        hint = section.find(class_="hint").get_text(" ", strip=True)
        assert wrong not in str(section)
        assert (
            hint
            == {
                "de": "Gruppen mit weniger als 5 Abstimmenden werden nicht einzeln gezeigt, und wo man sie sonst aus "
                "den Summen errechnen könnte, auch weitere Gruppen nicht: Sie zählen unter „weitere Gruppen“ oder, "
                "wo auch diese zu wenige sind, nirgends, damit niemandes Stimme erkennbar wird.",
                "en": "Groups of fewer than 5 voters are not shown on their own, nor, where they could otherwise be "
                "worked out from the totals, are further groups: they count under “other groups”, or nowhere where "
                "those are still too few, so that no one's vote can be told.",
            }[language]
        )
        opinions = client.get(f"/masterplan/chapters/{paragraph.chapter_id}/opinions", headers=headers)
        caption = BeautifulSoup(opinions.data, "html.parser").find(id="groups-caption").get_text(" ", strip=True)
        # "– means ... fewer than 5 voters in the group" was false for the residents
        assert not_shown in caption and "in the group" not in caption and "in der Gruppe" not in caption


def test_the_report_its_downloads_and_the_planners_report(app, votes):
    visitor = Browser(app.test_client())
    for client, prefix in ((visitor, "/report/"), (logged_in(app, "plan@example.org"), "/planning/report/")):
        soup = BeautifulSoup(client.get(prefix).get_data(as_text=True), "html.parser")
        for key in ("participants", "agreement", "consensus"):
            table = soup.find(id=key).find_parent("section").table
            headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
            rows = _rows(table)
            if SMALL_LABEL in rows:  # a row per group
                assert set(rows[SMALL_LABEL]) == {"–"}, key
            else:  # a column per group
                column = headings.index(SMALL_LABEL) - 1
                assert {row[column] for row in rows.values()} == {"–"}, key
        participants = _rows(soup.find(id="participants").find_parent("section").table)
        assert participants["Einwohner*innen"] == (["6"] if votes["merged"] else ["–"])
        # left out, the three join the residents: nine people whose groups no one can tell
        assert participants[OTHER_LABEL] == (["5"] if votes["merged"] else ["9"])
        agreement = _rows(soup.find(id="agreement").find_parent("section").table)
        assert agreement["Einwohner*innen"][:3] == (["6", "0", "0"] if votes["merged"] else ["–"] * 3)
        # a CSV per table and the workbook, with the same cells left out
        for key in ("participants", "agreement", "consensus"):
            text = client.get(f"{prefix}{key}.csv").get_data().decode("utf-8").lstrip("\ufeff")
            table = list(csv.reader(io.StringIO(text)))
            if any(row[0] == SMALL_LABEL for row in table):
                assert all(cell in ("", "–") for row in table if row[0] == SMALL_LABEL for cell in row[1:]), key
            else:
                column = table[0].index(SMALL_LABEL)
                assert all(row[column] in ("", "–") for row in table[1:]), key
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"{prefix}report.xlsx").get_data()))
        sheet = book["Teilnehmende nach Gruppe"]
        assert {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}[SMALL_LABEL] is None


def _check_votes_table(rows: list[dict], merged: bool, blank) -> None:
    """Paragraph 1.1 has the votes; the other paragraphs none (zeros everywhere)."""
    first = next(row for row in rows if row["paragraph"] == "1.1")
    small = [value for key, value in first.items() if SMALL in key]
    assert len(small) == 3 and set(small) == {blank}
    total = 11 if merged else 9
    assert [str(first[key]) for key in ("agree", "neutral", "disagree", "total")] == [
        "6",
        "0",
        str(total - 6),
        str(total),
    ]
    residents = ["6", "0", "0"] if merged else [str(blank)] * 3
    assert [str(first[f"{key}_residents"]) for key in ("agree", "neutral", "disagree")] == residents
    merged_cells = [first[f"{key}_other_groups"] for key in ("agree", "neutral", "disagree")]
    assert [str(value) for value in merged_cells] == (["0", "0", "5"] if merged else [str(blank)] * 3)
    # every column adds up: what is shown, plus what is merged, plus what is left out
    for key in ("agree", "neutral", "disagree"):
        shown = sum(
            int(value) for name, value in first.items() if name.startswith(f"{key}_") and value not in ("", None)
        )
        assert shown == int(first[key]) or (not merged and shown == 0)
    for row in rows:
        if row["paragraph"] != "1.1":
            assert {str(value) for name, value in row.items() if "_" in name} <= {"0"}


def test_the_open_data_zip_holds_no_small_group(app, votes):
    response = Browser(app.test_client()).get("/open-data/open-data.zip")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        table = list(csv.DictReader(io.StringIO(archive.read("votes.csv").decode("utf-8").lstrip("\ufeff"))))
        parsed = json.loads(archive.read("data.json"))
    _check_votes_table(table, votes["merged"], "")
    _check_votes_table(parsed["votes"], votes["merged"], None)


def test_the_planners_exports_hold_no_small_group(app, votes):
    planner = logged_in(app, "plan@example.org")
    text = planner.get("/planning/exports/votes.csv").get_data().decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    first = next(row for row in rows[1:] if row[2] == "1.1")
    assert [cell for heading, cell in zip(rows[0], first, strict=True) if SMALL_LABEL in heading] == [""] * 3
    parsed = json.loads(planner.get("/planning/exports/votes.json").get_data())
    _check_votes_table(parsed["votes"], votes["merged"], None)
    only = json.loads(planner.get(f"/planning/exports/votes.json?group={SMALL}").get_data())["votes"]
    first = next(row for row in only if row["paragraph"] == "1.1")
    assert {first[key] for key in ("agree", "neutral", "disagree", "total", "agreement")} == {None}


def test_the_api_gives_the_totals_and_no_group(app, votes):
    answer = Browser(app.test_client()).get("/api/v1/versions/1/paragraphs").get_json()
    first = next(item for item in answer["items"] if item["number"] == "1.1")
    assert first["votes"] == {"agree": 6, "neutral": 0, "disagree": 5 if votes["merged"] else 3}
    assert SMALL not in json.dumps(answer)


def test_the_demo_data_have_no_small_group_in_the_open_data(app, db):
    from participation.seed import seed_demo

    seed_demo()
    db.session.commit()
    response = Browser(app.test_client()).get("/open-data/open-data.zip")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        table = list(csv.reader(io.StringIO(archive.read("votes.csv").decode("utf-8").lstrip("\ufeff"))))
    heading, rows = table[0], table[1:]
    groups = [index for index, key in enumerate(heading) if "_" in key]  # agree_residents … disagree_other_groups
    assert len(groups) == 3 * 8 and len(rows) > 20
    cells = [row[index] for row in rows for index in groups]
    assert not [cell for cell in cells if cell not in ("", "0") and int(cell) < 5]
    assert any(cell not in ("", "0") for cell in cells)  # the rule leaves the big groups' figures
    for row in rows:  # each value's groups add up to its total where none is left out
        record = dict(zip(heading, row, strict=True))
        for value in ("agree", "neutral", "disagree"):
            cells = [record[key] for key in record if key.startswith(f"{value}_")]
            shown = sum(int(cell) for cell in cells if cell)
            assert shown == int(record[value]) if all(cells) else shown <= int(record[value])
