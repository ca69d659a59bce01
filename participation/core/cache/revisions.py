"""Revisions: counters that rise in the transaction that changes what they stand for, so that
whatever was made from an older one (a shared page part, an open-data ZIP) is known to be out of
date at once.

One listener watches every flush. Each area declares, without core knowing it, a `Revision` for
what it keys by (the drafts a chapter's, the proposals a proposal's, the exports the open data's)
and watchers that name which revisions the objects it owns raise when they change (a comment
raises its chapter's and its proposal's). Changes made through the ORM are found before each
flush; votes, written with plain SQL for the sake of concurrency, call `touch`. Revisions are
raised in the order the app lists them, and the ids of each in ascending order: chapters are
always locked before their paragraphs and in the order of their ids, so parallel votes and
comments cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Table, event, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

# which revision, and of which row (None: no row, or not known yet; ignored)
Change = tuple[str, int | None]
Watcher = Callable[[Session], Iterable[Change]]


@dataclass(frozen=True)
class Revision:
    name: str
    raise_: Callable[[Connection, list[int]], None]  # raises it for these ids (ascending)
    # for a revision of the whole site (no row of its own): reads it, so that a lower area can
    # key by it without importing the area that declares it
    read: Callable[[Session], int] | None = None


def column_of(table: Table) -> Callable[[Connection, list[int]], None]:
    """For a table whose rows carry a `revision` column: one UPDATE for all the ids."""

    def raise_(connection: Connection, ids: list[int]) -> None:
        connection.execute(update(table).where(table.c.id.in_(ids)).values(revision=table.c.revision + 1))

    return raise_


_revisions: dict[str, Revision] = {}
_watchers: list[Watcher] = []


def touch(session: Session, name: str, ids: Iterable[int | None]) -> None:
    """Raise revisions now, outside a flush (call it before changing what they stand for)."""
    chosen = sorted({ident for ident in ids if ident is not None})
    if chosen:
        _revisions[name].raise_(session.connection(), chosen)


def current(session: Session, name: str) -> int:
    """The value of a site-wide revision that its area declared with `read`."""
    found = _revisions.get(name)
    if found is None or found.read is None:
        raise LookupError(f"no readable revision: {name}")
    return found.read(session)


def _before_flush(session: Session, flush_context, instances) -> None:
    changed: dict[str, set[int | None]] = {}
    for watcher in _watchers:
        for name, ident in watcher(session):
            changed.setdefault(name, set()).add(ident)
    unknown = set(changed) - set(_revisions)
    if unknown:  # a watcher names a revision that nobody declared: a mistake, not a change to lose
        raise LookupError(f"no such revision: {', '.join(sorted(unknown))}")
    for name in _revisions:
        if name in changed:
            touch(session, name, changed[name])


def listen(revisions: Iterable[Revision], watchers: Iterable[Watcher]) -> None:
    """Watch every session with these (called by create_app; each app lists the same ones)."""
    _revisions.clear()
    _revisions.update((revision.name, revision) for revision in revisions)
    _watchers[:] = list(watchers)
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
