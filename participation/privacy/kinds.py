"""The shape of the download: a kind of data (a CSV file, a key of the JSON document) with its
fields, and how one person's rows of it are read: in batches, by one query per kind, whatever
their number."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from participation.extensions import db

BATCH = 500  # rows fetched from the database at a time


@dataclass(frozen=True)
class Field:
    """A column: its stable key (English, the JSON key), its heading (translated, in the CSV).
    The JSON holds the stored value (a code such as "accepted"); where `labels` or `text` is
    given, the CSV shows it in words instead."""

    key: str
    heading: Any  # a lazy string
    get: Callable[[Any], Any] | None = None
    labels: dict | None = None
    text: Callable[[Any], Any] | None = None

    def value(self, row) -> Any:
        return self.get(row) if self.get is not None else getattr(row, self.key)

    def words(self) -> Callable[[Any], Any] | None:
        """How the CSV shows a value, with the labels translated once (not once per row), or
        None where it shows the value as it is."""
        if self.text is not None:
            return self.text
        if self.labels is None:
            return None
        translated = {code: str(text) for code, text in self.labels.items()}
        return lambda code: "" if code is None else translated.get(code, str(code))


@dataclass(frozen=True)
class Kind:
    key: str  # the file name (<key>.csv) and the key in data.json: stable, English
    title: Any  # lazy: what the page and the README call it
    about: Any  # lazy: what it holds, in a sentence
    fields: tuple[Field, ...]
    rows: Callable[[Any], Iterable]  # the rows of one person (a User)
    single: bool = False  # one object (the account), not a list


def label(labels: dict, code) -> str:
    """A stored code in words; an unknown one as it is."""
    if code is None:
        return ""
    found = labels.get(code)
    return str(found) if found is not None else str(code)


def streamed(statement) -> Iterable:
    """The rows of `statement`, fetched BATCH at a time (a server-side cursor on PostgreSQL):
    memory stays flat for a person with many thousands of contributions."""
    return db.session.execute(statement, execution_options={"yield_per": BATCH})


def table(name: str) -> Table:
    """A table of a package this one may not import (a sibling in the top layer: reporting),
    read by its name in the shared metadata."""
    return db.metadata.tables[name]
