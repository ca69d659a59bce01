"""No one singled out by subtraction: the paragraph page shows the paragraph's totals (agree,
neutral, disagree) beside the votes by group, so whatever it leaves out is the totals less what it
shows. No combination of the two may tell the votes of a group of fewer than MIN_PUBLIC_GROUP_SIZE
(complementary suppression, participation.core.disclosure)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.drafts import services as drafts
from tests.conftest import Browser
from tests.drafting import first_paragraph

VALUES = (1, 0, -1)
OTHER_LABEL = "weitere Gruppen"
GERMAN = {
    "residents": "Einwohner*innen",
    "businesses": "Unternehmen und Start-ups",
    "universities": "Hochschulen und Forschung",
    "municipal_companies": "Städtische Gesellschaften",
}
MOST = {"residents": 12, "businesses": 6, "universities": 6, "municipal_companies": 6}  # voters per cell


def public_view(app, paragraph_id: int):
    """What a visitor reads on the paragraph page: {group label: [agree, neutral, disagree] or
    None where "–"} and the paragraph's totals."""
    page = Browser(app.test_client()).get(f"/masterplan/paragraphs/{paragraph_id}").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    tallies = soup.find("p", class_="tallies").get_text(" ", strip=True)
    totals = [int(number) for number in re.findall(r"\d+", tallies)[:3]]
    rows: dict[str, list[int] | None] = {}
    heading = soup.find(id="split-title")
    if heading is not None:
        for row in heading.find_parent("section").table.tbody.find_all("tr"):
            cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
            rows[row.th.get_text(strip=True)] = None if "–" in cells else [int(cell) for cell in cells]
    return rows, totals


def singled_out(votes: dict[str, dict[int, int]], rows, totals) -> list[str]:
    """The cells of 1 to 4 voters that a visitor can tell exactly from the rows and the totals.
    A group not listed has no votes (the page lists every group once anything is left out); the
    groups shown "–" share the rest of each total in any way, so one of them is told exactly
    only when it is the one left out."""
    hidden = [label for label, cells in rows.items() if cells is None and label != OTHER_LABEL]
    shown = {label: cells for label, cells in rows.items() if cells is not None and label != OTHER_LABEL}
    rest = [total - sum(cells[i] for cells in shown.values()) for i, total in enumerate(totals)]
    found = []
    for group, counts in votes.items():
        label = GERMAN[group]
        for i, value in enumerate(VALUES):
            count = counts.get(value, 0)
            if not 1 <= count <= 4:
                continue
            if label in shown:
                found.append(f"{label} {value}: {count} shown")
            elif label not in rows:
                found.append(f"{label} {value}: not listed although it has votes")
            elif hidden == [label] and rest[i] == count:
                found.append(f"{label} {value}: {count} = total less the groups shown")
    if OTHER_LABEL in rows and rows[OTHER_LABEL] is not None:
        assert rows[OTHER_LABEL] == rest  # the merged groups are what the totals leave
    return found


def set_votes(db, pool, paragraph, votes: dict[str, dict[int, int]]) -> None:
    for group, people in pool.items():
        wanted = [value for value in VALUES for _ in range(votes.get(group, {}).get(value, 0))]
        for index, person in enumerate(people):
            drafts.cast_vote(person, paragraph, wanted[index] if index < len(wanted) else None)
    db.session.commit()


def test_scenario_a_one_business_voter_beside_twenty_residents(app, db, users, draft):
    """Twenty residents agree, one business voter disagrees: showing the residents beside the
    totals (20 agree, 1 disagree) would tell the business voter's vote."""
    paragraph = first_paragraph(draft)
    votes = {"residents": {1: 20}, "businesses": {-1: 1}}
    for group, counts in votes.items():
        for value, count in counts.items():
            for _ in range(count):
                drafts.cast_vote(users(stakeholder_group=group), paragraph, value)
    db.session.commit()
    rows, totals = public_view(app, paragraph.id)
    assert totals == [20, 0, 1]
    assert len(rows) == len(STAKEHOLDER_GROUPS) + 1  # every group is listed, none by its votes alone
    assert set(map(tuple, filter(None, rows.values()))) == set()  # nothing can be shown without telling
    assert singled_out(votes, rows, totals) == []


def test_scenario_b_only_residents_voted(app, db, users, draft):
    """Ten residents agree, three are neutral, no one else voted: the residents' row is left out,
    and the page must not show that they are the only group with votes."""
    paragraph = first_paragraph(draft)
    for value, count in ((1, 10), (0, 3)):
        for _ in range(count):
            drafts.cast_vote(users(stakeholder_group="residents"), paragraph, value)
    db.session.commit()
    rows, totals = public_view(app, paragraph.id)
    assert totals == [10, 3, 0]
    assert len(rows) == len(STAKEHOLDER_GROUPS) + 1 and all(cells is None for cells in rows.values())
    assert singled_out({"residents": {1: 10, 0: 3}}, rows, totals) == []


def test_a_group_of_five_beside_twenty_residents_is_shown(app, db, users, draft):
    """The rule does not hide what may be shown: five business voters who all disagree."""
    paragraph = first_paragraph(draft)
    for group, value, count in (("residents", 1, 20), ("businesses", -1, 5)):
        for _ in range(count):
            drafts.cast_vote(users(stakeholder_group=group), paragraph, value)
    db.session.commit()
    rows, totals = public_view(app, paragraph.id)
    assert totals == [20, 0, 5]
    assert rows == {GERMAN["residents"]: [20, 0, 0], GERMAN["businesses"]: [0, 0, 5]}


@pytest.fixture
def pool(users):
    """Enough voters of each group for any draw (made once; each draw sets their votes anew)."""
    return {group: [users(stakeholder_group=group) for _ in range(3 * most)] for group, most in MOST.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.fixed_dictionaries(
        {group: st.tuples(*(st.integers(min_value=0, max_value=most) for _ in VALUES)) for group, most in MOST.items()}
    )
)
def test_no_distribution_of_votes_singles_out_a_small_group(app, db, pool, draft, drawn):
    """Any votes of four groups: from the page's rows and totals no cell of 1 to 4 voters can be
    told, and what the totals leave beside the groups shown is either no one or a group that
    could be shown itself (at least five people, each vote value empty or five or more)."""
    paragraph = first_paragraph(draft)
    votes = {group: dict(zip(VALUES, counts, strict=True)) for group, counts in drawn.items()}
    set_votes(db, pool, paragraph, votes)
    rows, totals = public_view(app, paragraph.id)
    assert totals == [sum(counts[value] for counts in votes.values()) for value in VALUES]
    assert singled_out(votes, rows, totals) == []
    shown = [cells for label, cells in rows.items() if cells is not None and label != OTHER_LABEL]
    rest = [total - sum(cells[i] for cells in shown) for i, total in enumerate(totals)]
    assert not shown or sum(rest) == 0 or (sum(rest) >= 5 and all(n == 0 or n >= 5 for n in rest)), (rows, totals)


def test_the_report_tells_no_more_than_the_paragraph_pages(app, db, users, draft):
    """Residents on paragraph 1.1: 6 agree, 5 disagree (shown); on 1.2: 6 agree, 2 disagree
    (left out). A version figure of 12 agree and 7 disagree for the residents, less what 1.1
    shows, would tell the two on 1.2; the report's groups are the sum of what the pages show."""
    from sqlalchemy import select

    from participation.drafts.models import Chapter, Paragraph

    paragraphs = list(
        db.session.scalars(
            select(Paragraph)
            .join(Chapter)
            .where(Chapter.version_id == draft.id)
            .order_by(Chapter.position, Paragraph.position)
        )
    )[:2]
    plan = [
        (paragraphs[0], {"residents": {1: 6, -1: 5}, "businesses": {1: 5}}),
        (paragraphs[1], {"residents": {1: 6, -1: 2}, "businesses": {1: 5}}),
    ]
    for paragraph, votes in plan:
        for group, counts in votes.items():
            for value, count in counts.items():
                for _ in range(count):
                    drafts.cast_vote(users(stakeholder_group=group), paragraph, value)
    db.session.commit()
    shown = {label: [0, 0, 0] for label in GERMAN.values()}
    for paragraph, _votes in plan:
        rows, _totals = public_view(app, paragraph.id)
        for label, cells in rows.items():
            if cells is not None and label in shown:
                shown[label] = [a + b for a, b in zip(shown[label], cells, strict=True)]
    assert shown["Einwohner*innen"] == [6, 0, 5]
    page = Browser(app.test_client()).get("/report/").get_data(as_text=True)
    section = BeautifulSoup(page, "html.parser").find(id="agreement").find_parent("section")
    report = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")][:3]
        for row in section.table.tbody.find_all("tr")
    }
    for label in ("Einwohner*innen", GERMAN["businesses"]):
        figures = report[label]
        assert "–" in figures or [int(n) for n in figures] == shown[label], (label, figures, shown[label])
    assert report["Einwohner*innen"] == ["6", "0", "5"]
