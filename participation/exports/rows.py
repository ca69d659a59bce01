"""The pieces every export table is built from: the filters a planner chose, rows read in
batches by primary key, and the labels, authors, excerpts and links of a row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select

from participation.core.links import public_url
from participation.core.spreadsheet import NUMBER, Column
from participation.drafts.models import Chapter, MasterplanVersion, Paragraph
from participation.drafts.rounds import Round, version_round_number, version_rounds
from participation.extensions import db
from participation.incorporation.models import EXTENTS, Incorporation, into_versions
from participation.phases.models import Phase

BATCH = 1_000
EXCERPT = 200  # characters of a paragraph's text in the vote table


@dataclass(frozen=True)
class Filters:
    phase: Phase | None = None
    version: MasterplanVersion | None = None
    chapter: Chapter | None = None
    topic: str = ""
    status: str = ""
    group: str = ""
    round: Round | None = None  # a version round (participation.drafts.rounds)
    # only incorporations into published versions (open data: a version being prepared is not public)
    published_only: bool = False

    def published(self):
        return MasterplanVersion.published_at.is_not(None) if self.published_only else True

    def window(self, column):
        """`column` within the phase's time (open-ended phases run until now)."""
        if self.phase is None:
            return True
        bounds = [column >= self.phase.starts_at]
        if self.phase.ends_at is not None:
            bounds.append(column < self.phase.ends_at)
        return and_(*bounds)

    def in_round(self, moment):
        """`moment` (when a proposal, support or proposal comment was made) within the round's time."""
        return self.round.window(moment) if self.round is not None else True

    def on_round_version(self, version_id):
        """`version_id` (the version a vote or draft comment is on) is the round's version."""
        return self.round.on_version(version_id) if self.round is not None else True

    def comment_in_round(self, created_at, proposal_id, version_id):
        """A comment in the round: on a proposal by its time, on the draft by its version."""
        if self.round is None:
            return True
        return or_(
            and_(proposal_id.is_not(None), self.in_round(created_at)),
            and_(proposal_id.is_(None), self.on_round_version(version_id)),
        )

    def chapters(self, chapter_id):
        """`chapter_id` is the chosen chapter, or a chapter of the chosen version or topic."""
        conditions = []
        if self.chapter is not None:
            conditions.append(chapter_id == self.chapter.id)
        if self.version is not None:
            conditions.append(chapter_id.in_(select(Chapter.id).where(Chapter.version_id == self.version.id)))
        return and_(True, *conditions)

    def as_dict(self) -> dict:
        """What was chosen, for the JSON's meta and the file name."""
        return {
            name: value
            for name, value in (
                ("phase", self.phase.slug if self.phase else ""),
                ("version", self.version.number if self.version else ""),
                ("round", self.round.number if self.round else ""),
                ("chapter", self.chapter.id if self.chapter else ""),
                ("topic", self.topic),
                ("status", self.status),
                ("group", self.group),
            )
            if value != ""
        }


def batches(statement: Select, key) -> Iterator[list]:
    """The rows of `statement` in batches, in the order of `key` (unique, ascending)."""
    last = None
    while True:
        page = statement if last is None else statement.where(key > last)
        rows = db.session.execute(page.order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


class Rounds:
    """The version rounds, read once per table, and the round of a row: by the moment it was made
    (proposals, supports, proposal comments, decisions) or by the version it is on (votes, draft
    comments: a version's round has the version's number)."""

    def __init__(self, rounds: list[Round]):
        self.rounds = rounds
        self.numbers = {round_.number for round_ in rounds}

    def at(self, moment: datetime | None) -> int | None:
        return version_round_number(moment, self.rounds) if moment is not None else None

    def of_version(self, number: int | None) -> int | None:
        return number if number in self.numbers else None

    @classmethod
    def load(cls) -> Rounds:
        return cls(version_rounds())


def round_column() -> Column:
    """The last column of every table of contributions: the version round a row belongs to."""
    return Column("round", _("Round"), NUMBER, 8)


def label(labels: dict, value) -> str:
    return str(labels[value]) if value in labels else (value or "")


def author(display_name, organisation) -> str:
    if organisation:
        return organisation
    return display_name or _("deleted account")


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def link(endpoint: str, **values) -> str:
    return public_url(endpoint, **values)  # also from the open-data command, without a request


def taken_into(rows) -> dict[int, str]:
    """Per contribution id: "version 2, 3.4 (fully); …" from (id, extent, version, chapter, paragraph)."""
    found: dict[int, list[str]] = defaultdict(list)
    for ident, extent, version, chapter, paragraph in rows:
        found[ident].append(
            _(
                "version %(version)d, %(number)s (%(extent)s)",
                version=version,
                number=f"{chapter}.{paragraph}",
                extent=label(EXTENTS, extent),
            )
        )
    return {ident: "; ".join(places) for ident, places in found.items()}


def incorporated(column, ids: list[int], filters: Filters) -> dict[int, str]:
    return taken_into(
        db.session.execute(
            into_versions(
                select(column, Incorporation.extent, MasterplanVersion.number, Chapter.position, Paragraph.position)
            )
            .where(column.in_(ids), filters.published())
            .order_by(Incorporation.id)
        )
    )
