"""Counts of people for the public: no figure shows a group of fewer than MIN_PUBLIC_GROUP_SIZE.

Every public figure that splits people into groups (the votes by stakeholder group on the
paragraph and opinions pages, the participation report and its downloads, the exports and the
open data) goes through `split_table` (or `split`, its one-column form). The rule:

- a group is shown when at least the minimum of people are in it and, where its people are split
  further (agree / neutral / disagree), in each part that is not empty;
- the other groups are merged into "other groups", which is shown under the same rule or else
  left out; while it is too small to be shown, the smallest shown groups join it (complementary
  suppression: the totals are public, so total minus the shown groups IS the merged figure, and
  it must hold enough people, or no group at all is shown);
- where anything is merged, the groups without anyone are left out too, so that no one can tell
  which groups the merged ones are (a lone zero beside a missing group would name it);
- a total stays what it is: the sum of what is shown, what is merged and what is left out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

DEFAULT_MINIMUM = 5
OTHER = "other_groups"  # the key of the merged groups (the stakeholder group "other" is another one)
OTHER_LABEL = _l("other groups")

Row = dict[Hashable, int | None]  # a group's figures by column; None where left out


def minimum() -> int:
    """The smallest group a public figure may show (MIN_PUBLIC_GROUP_SIZE)."""
    if has_app_context():
        return max(1, int(current_app.config.get("MIN_PUBLIC_GROUP_SIZE", DEFAULT_MINIMUM)))
    return DEFAULT_MINIMUM


def split_table(
    people: Mapping[Hashable, Mapping[Hashable, int]],
    groups: Iterable[Hashable],
    columns: Iterable[Hashable],
    amounts: Mapping[Hashable, Mapping[Hashable, int]] | None = None,
) -> dict[Hashable, Row]:
    """`people[group][column]` (e.g. voters by stakeholder group and value) as the public may see
    them: a row for each of `groups` and an OTHER row last, each either whole or all None. People
    under a group not in `groups` join "other groups". With `amounts` (e.g. votes, where one person
    casts many), the people decide what may be shown and the amounts are what is shown."""
    least = minimum()
    groups, columns = list(groups), list(columns)
    amounts = people if amounts is None else amounts

    def cells(source, group) -> dict[Hashable, int]:
        return {column: source.get(group, {}).get(column, 0) for column in columns}

    def enough(row: Mapping[Hashable, int]) -> bool:
        return sum(row.values()) >= least and all(count == 0 or count >= least for count in row.values())

    everyone = list(dict.fromkeys([*groups, *people]))
    merged = [
        group
        for group in everyone
        if sum(cells(people, group).values()) and (group not in groups or not enough(cells(people, group)))
    ]

    def together(chosen) -> dict[Hashable, int]:
        return {column: sum(cells(people, group)[column] for group in chosen) for column in columns}

    # The totals are public, so what is merged is also their difference from what is shown: while
    # it is too small to be shown, more groups join it (the smallest first, or one that makes it
    # big enough), else subtracting the shown groups from the totals would tell the merged ones.
    shown = [group for group in groups if group not in merged and sum(cells(people, group).values())]
    while merged and shown and not enough(together(merged)):
        shown.sort(key=lambda group: sum(cells(people, group).values()))
        pick = next((group for group in shown if enough(together([*merged, group]))), shown[0])
        shown.remove(pick)
        merged.append(pick)
    merged_people = together(merged)
    nothing: Row = dict.fromkeys(columns)
    table: dict[Hashable, Row] = {}
    for group in groups:
        empty = not sum(cells(people, group).values())
        table[group] = dict(cells(amounts, group)) if group not in merged and not (empty and merged) else nothing
    if not merged or enough(merged_people):
        table[OTHER] = {column: sum(cells(amounts, group)[column] for group in merged) for column in columns}
    else:
        table[OTHER] = nothing
    return table


def split(people: Mapping[Hashable, int], groups: Iterable[Hashable]) -> dict[Hashable, int | None]:
    """`split_table` for one figure per group (e.g. participants by stakeholder group)."""
    table = split_table({group: {None: count} for group, count in people.items()}, groups, [None])
    return {group: row[None] for group, row in table.items()}


def anything_merged(row: Row) -> bool:
    """Whether the OTHER row holds people, shown or not (else it need not be shown)."""
    return any(count != 0 for count in row.values())


def share(row: Row, part: Hashable) -> float | None:
    """`part`'s share of the whole row, or None when the row is left out or empty."""
    if any(count is None for count in row.values()):
        return None
    whole = sum(row.values())
    return row[part] / whole if whole else None
