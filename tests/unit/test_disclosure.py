"""The one rule for public counts of people (participation.core.disclosure), at the default of five."""

from __future__ import annotations

from participation.core.disclosure import OTHER, anything_merged, share, split, split_table

VALUES = [1, 0, -1]
GROUPS = ["residents", "businesses", "universities", "municipal_companies"]


def test_groups_of_five_or_more_are_shown_whole():
    table = split_table({"residents": {1: 5, -1: 7}, "businesses": {0: 6}}, GROUPS, VALUES)
    assert table["residents"] == {1: 5, 0: 0, -1: 7} and table["businesses"] == {1: 0, 0: 6, -1: 0}
    assert table["universities"] == {1: 0, 0: 0, -1: 0}  # nothing merged: an empty group may say so
    assert table[OTHER] == {1: 0, 0: 0, -1: 0} and not anything_merged(table[OTHER])


def test_small_groups_are_merged_and_the_columns_add_up():
    people = {"residents": {1: 6}, "universities": {-1: 3}, "municipal_companies": {-1: 2}}
    table = split_table(people, GROUPS, VALUES)
    assert table["universities"] == table["municipal_companies"] == {1: None, 0: None, -1: None}
    assert table[OTHER] == {1: 0, 0: 0, -1: 5}
    assert table["businesses"] == {1: None, 0: None, -1: None}  # a zero would tell which two merged
    for value in VALUES:
        shown = sum(row[value] or 0 for row in table.values())
        assert shown == sum(cells.get(value, 0) for cells in people.values())


def _complement(table, people) -> dict:
    """What anyone can work out from the public totals: total minus the groups shown."""
    return {
        value: sum(cells.get(value, 0) for cells in people.values())
        - sum(row[value] for group, row in table.items() if group != OTHER and row[value] is not None)
        for value in VALUES
    }


def test_a_rest_too_small_takes_the_smallest_shown_group_with_it():
    """Six residents agree, three of the municipal companies disagree: showing the residents
    beside the totals (6 agree, 3 disagree) would tell the three; so nothing is shown by group."""
    people = {"residents": {1: 6}, "municipal_companies": {-1: 3}}
    table = split_table(people, GROUPS, VALUES)
    assert all(row == {1: None, 0: None, -1: None} for row in table.values())
    assert anything_merged(table[OTHER]) and share(table[OTHER], 1) is None
    assert _complement(table, people) == {1: 6, 0: 0, -1: 3}  # only the totals, of nine people


def test_one_more_group_joins_so_that_the_rest_can_be_shown():
    """Twenty residents agree, one business disagrees (scenario A of the review), eight of the
    universities agree and six disagree: the universities join the business, and "other groups"
    (8 agree, 7 disagree) is what anyone can work out, no group of fewer than five."""
    people = {"residents": {1: 20}, "businesses": {-1: 1}, "universities": {1: 8, -1: 6}}
    table = split_table(people, GROUPS, VALUES)
    assert table["residents"] == {1: 20, 0: 0, -1: 0}
    assert table["businesses"] == table["universities"] == {1: None, 0: None, -1: None}
    assert table[OTHER] == _complement(table, people) == {1: 8, 0: 0, -1: 7}


def test_a_large_group_with_a_small_part_is_merged_too():
    """Seven residents, two of whom disagree: "2 disagree" would be a group of two, and so would
    the totals less the five businesses shown; so the businesses are not shown either."""
    people = {"residents": {1: 5, -1: 2}, "businesses": {1: 5}}
    table = split_table(people, GROUPS, VALUES)
    assert all(row == {1: None, 0: None, -1: None} for row in table.values())


def test_people_decide_and_amounts_are_shown():
    """One person casting forty votes is still one person."""
    people = {"residents": {1: 6}, "municipal_companies": {-1: 1}, "businesses": {1: 5, -1: 5}}
    votes = {"residents": {1: 60}, "municipal_companies": {-1: 40}, "businesses": {1: 50, -1: 50}}
    table = split_table(people, GROUPS, VALUES, amounts=votes)
    assert table["residents"] == {1: 60, 0: 0, -1: 0}
    assert table["municipal_companies"] == table["businesses"] == {1: None, 0: None, -1: None}
    assert table[OTHER] == {1: 50, 0: 0, -1: 90}  # six people: five agree, six disagree


def test_people_of_no_listed_group_join_the_others_and_split_has_one_column():
    shown = split({"residents": 9, "businesses": 3, None: 2}, ["residents", "businesses"])
    assert shown == {"residents": 9, "businesses": None, OTHER: 5}
