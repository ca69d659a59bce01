"""The audit log after an account is deleted: its entries stay, as the record of what was
decided, but no longer lead to the person. Entries about the account point at no account any
more; in them, and in entries that name the account in their states (a decision on a membership
keeps its `user_id`), every display name the account ever had and its address are cut out of
the reason, the note and the values of the states, and its number is emptied. The states are
JSON: they are read and written again, so a name stored with its umlauts escaped is found too.

This is the one change the append-only log allows (participation.core.audit), because the law
demands it; it is made with plain SQL on purpose, past the guard that refuses it to the ORM.
"""

from __future__ import annotations

import json

from sqlalchemy import or_, select, update

from participation.core.audit import ModerationDecision
from participation.extensions import db

CUT = "[…]"  # what replaces a deleted person's name or address
STATES = ("state_before", "state_after")


def _about(person_id: int):
    mentioned = []
    for name in STATES:
        column = getattr(ModerationDecision, name)
        mentioned += [column.like(f'%"user_id": {person_id},%'), column.like(f'%"user_id": {person_id}}}%')]
    return or_(_about_account(person_id), *mentioned)


def _about_account(person_id: int):
    return (ModerationDecision.target_type == "user") & (ModerationDecision.target_id == person_id)


def names_of(person) -> set[str]:
    """Every display name the account had (the log keeps each change) and its addresses."""
    names = {person.display_name, person.email, person.pending_email}
    rows = db.session.execute(
        select(*(getattr(ModerationDecision, name) for name in STATES)).where(
            _about_account(person.id), ModerationDecision.action == "change_display_name"
        )
    ).all()
    for row in rows:
        for state in row:
            names.add(json.loads(state or "{}").get("display_name"))
    return {name for name in names if name}


def _cut(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, CUT)
    return text


def _scrubbed(value, names: list[str], person_id: int):
    if isinstance(value, dict):
        return {
            key: None if key == "user_id" and item == person_id else _scrubbed(item, names, person_id)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item, names, person_id) for item in value]
    if isinstance(value, str):
        return _cut(value, names)
    return value


def _state(text: str | None, names: list[str], person_id: int) -> str | None:
    if not text:
        return text
    try:
        parsed = json.loads(text)
    except ValueError:
        return _cut(text, names)
    return json.dumps(_scrubbed(parsed, names, person_id), sort_keys=True, default=str)


def forget(person, target_type: str, target_id: int) -> int:
    """Unname the entries that lead to `person`; those about the account now point at
    (target_type, target_id), an account that no longer exists. The number of entries changed."""
    names = sorted(names_of(person), key=len, reverse=True)  # "Anna K." before "Anna"
    rows = db.session.execute(
        select(
            ModerationDecision.id,
            ModerationDecision.target_type,
            ModerationDecision.target_id,
            ModerationDecision.reason,
            ModerationDecision.note,
            *(getattr(ModerationDecision, name) for name in STATES),
        ).where(_about(person.id))
    ).all()
    for row in rows:
        values = {
            "reason": row.reason and _cut(row.reason, names),
            "note": row.note and _cut(row.note, names),
            **{name: _state(getattr(row, name), names, person.id) for name in STATES},
        }
        if (row.target_type, row.target_id) == ("user", person.id):
            values.update(target_type=target_type, target_id=target_id)
        db.session.execute(
            update(ModerationDecision).where(ModerationDecision.id == row.id).values(**values),
            execution_options={"synchronize_session": False},
        )
    return len(rows)
