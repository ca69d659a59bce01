"""The proposal list: filters, sort orders and search read from the query string (allow-lists
only), the page of results, and how many results each filter value would give."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace

from flask import session
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, cast, func, literal_column, select
from sqlalchemy.orm import joinedload

from participation.accounts.models import STAKEHOLDER_GROUPS, User
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.proposals import search
from participation.proposals.models import DISTRICTS, PUBLIC_STATUSES, Proposal

PER_PAGE = 20
QUERY_MAX = 200  # characters of a search that are read
RELEVANCE, NEWEST, SUPPORTED, DISCUSSED, RANDOM = "relevance", "newest", "supported", "discussed", "random"
SORTS = {
    RELEVANCE: _l("Best match"),
    NEWEST: _l("Newest first"),
    SUPPORTED: _l("Most supported"),
    DISCUSSED: _l("Most discussed"),
    RANDOM: _l("Random order"),
}
# the random order sorts by a hash of the id, seeded by the visitor's seed (the same seed, the
# same order). A seeded affine map alone (id × a + b modulo a prime) is no shuffle: it turns
# consecutive ids into an arithmetic progression, and for about one seed in a hundred (a close
# to the modulus) that progression simply falls, so the "random" first page was newest-first. Two
# xorshift-multiply rounds after it (as in MurmurHash's finaliser, on 31 bits so that no product
# leaves a BIGINT) break that structure; the hash uses only operators SQLite and PostgreSQL share.
_MASK = 2**31 - 1
_MIX = (0x2C1B3C6D, 0x297A2D39)  # odd multipliers: each step maps 31 bits one to one
SEED_MAX = 1_000_000
# the filters and the column each narrows
FACETS = ("topic", "chapter", "district", "status", "group")
_COLUMNS = {
    "topic": Proposal.topic,
    "chapter": Proposal.chapter_id,
    "district": Proposal.district,
    "status": Proposal.status,
    "group": Proposal.author_group,
}


@dataclass(frozen=True)
class Listing:
    q: str = ""
    topic: str = ""
    chapter: int | None = None
    district: str = ""
    status: str = ""
    group: str = ""
    sort: str = NEWEST
    seed: int | None = None

    @classmethod
    def from_args(cls, args, chapter_ids) -> Listing:
        """Unknown values are dropped, never passed on to a query."""
        q = " ".join(args.get("q", "")[:QUERY_MAX].split())
        chapter = args.get("chapter", type=int)
        sort = args.get("sort", "")
        if sort not in SORTS or (sort == RELEVANCE and not q):
            sort = RELEVANCE if q else NEWEST
        seed = args.get("seed", type=int)
        if sort == RANDOM and (seed is None or not 0 < seed <= SEED_MAX):
            # the same order for one visitor while paging; the seed also goes into the links
            seed = session.setdefault("shuffle_seed", random.randint(1, SEED_MAX))  # noqa: S311 (not security)
        return cls(
            q=q,
            topic=_allowed(args.get("topic"), TOPICS),
            chapter=chapter if chapter in chapter_ids else None,
            district=_allowed(args.get("district"), DISTRICTS),
            status=_allowed(args.get("status"), PUBLIC_STATUSES),
            group=_allowed(args.get("group"), STAKEHOLDER_GROUPS),
            sort=sort,
            seed=seed if sort == RANDOM else None,
        )

    def value(self, facet: str):
        return getattr(self, facet)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q) or any(self.value(facet) for facet in FACETS)

    def args(self, **changes) -> dict:
        """The state as query arguments for url_for, without empty ones: a shareable URL."""
        state = replace(self, **changes)
        values = {f.name: getattr(state, f.name) for f in fields(state)}
        if values["sort"] == (RELEVANCE if state.q else NEWEST):
            values["sort"] = None
        return {name: value for name, value in values.items() if value not in (None, "")}

    def statement(self, without: str | None = None):
        """Public proposals matching the search and every filter except `without`."""
        statement = select(Proposal).where(Proposal.status.in_(PUBLIC_STATUSES))
        for facet in FACETS:
            if facet != without and self.value(facet):
                statement = statement.where(_COLUMNS[facet] == self.value(facet))
        return statement

    def ordered(self):
        statement, rank = search.search(self.statement(), db.engine.dialect.name, self.q)
        if self.q and rank is None:  # a search with no words in it finds nothing
            return statement.where(False)
        if self.sort == RELEVANCE and rank is not None:
            order = [rank]
        elif self.sort == SUPPORTED:
            order = [Proposal.support_count.desc()]
        elif self.sort == DISCUSSED:
            order = [Proposal.comment_count.desc()]
        elif self.sort == RANDOM:
            order = [shuffle_key(Proposal.id, self.seed)]
        else:
            order = []
        # authors' names only: their roles are not needed here
        names = joinedload(Proposal.author).lazyload(User.role_rows)
        return statement.options(names).order_by(*order, Proposal.published_at.desc(), Proposal.id.desc())

    def total(self, status_counts: dict) -> int:
        """The number of results, from the counts per status (which leave out only the status filter)."""
        return status_counts.get(self.status, 0) if self.status else sum(status_counts.values())

    def counts(self, facet: str) -> dict:
        """How many results each value of `facet` gives together with the other filters."""
        column = _COLUMNS[facet]
        statement, rank = search.search(self.statement(without=facet), db.engine.dialect.name, self.q)
        if self.q and rank is None:
            return {}
        subquery = statement.with_only_columns(column.label("value")).subquery()
        rows = db.session.execute(select(subquery.c.value, func.count()).group_by(subquery.c.value))
        return {value: count for value, count in rows if value is not None}


def shuffle_key(column, seed: int):
    """A sort key that puts the rows of `column` (ids) into a random order fixed by `seed`."""
    generator = random.Random(seed)  # noqa: S311 (an order, not a secret)
    a, b = generator.randrange(1, _MASK) | 1, generator.randrange(0, _MASK)
    key = (cast(column, BigInteger) * a + b).bitwise_and(_MASK)
    for multiplier, shift in zip(_MIX, (16, 13), strict=True):
        key = _xorshift(key, shift)
        key = (key * multiplier).bitwise_and(_MASK)
    return key


def _xorshift(value, shift: int):
    """value XOR (value >> shift); SQLite has no XOR, and a | b minus a & b is the same."""
    shifted = value.bitwise_rshift(literal_column(str(int(shift))))  # PostgreSQL shifts by an int4 only
    return value.bitwise_or(shifted) - value.bitwise_and(shifted)


def _allowed(value, options) -> str:
    return value if value in options else ""
