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


def test_a_rest_too_small_is_left_out():
    table = split_table({"residents": {1: 6}, "municipal_companies": {-1: 3}}, GROUPS, VALUES)
    assert table["residents"] == {1: 6, 0: 0, -1: 0}
    assert table["municipal_companies"] == table[OTHER] == {1: None, 0: None, -1: None}
    assert anything_merged(table[OTHER]) and share(table[OTHER], 1) is None


def test_a_large_group_with_a_small_part_is_merged_too():
    """Seven residents, two of whom disagree: "2 disagree" would be a group of two."""
    table = split_table({"residents": {1: 5, -1: 2}, "businesses": {1: 5}}, GROUPS, VALUES)
    assert table["residents"] == {1: None, 0: None, -1: None}
    assert table[OTHER] == {1: None, 0: None, -1: None}  # seven, but "2 disagree" again
    assert table["businesses"] == {1: 5, 0: 0, -1: 0} and share(table["businesses"], 1) == 1.0


def test_people_decide_and_amounts_are_shown():
    """One person casting forty votes is still one person."""
    people = {"residents": {1: 6}, "municipal_companies": {-1: 1}}
    votes = {"residents": {1: 60}, "municipal_companies": {-1: 40}}
    table = split_table(people, GROUPS, VALUES, amounts=votes)
    assert table["residents"] == {1: 60, 0: 0, -1: 0}
    assert table["municipal_companies"] == table[OTHER] == {1: None, 0: None, -1: None}


def test_people_of_no_listed_group_join_the_others_and_split_has_one_column():
    shown = split({"residents": 9, "businesses": 3, None: 2}, ["residents", "businesses"])
    assert shown == {"residents": 9, "businesses": None, OTHER: 5}
