"""Full-text search over proposals, with German stemming on both databases.

PostgreSQL: a generated `tsvector` column (title weighted above body, the 'german' Snowball
configuration) with a GIN index; each word of a query is stemmed and matched as a prefix, ranked
by `ts_rank_cd`.
SQLite: an FTS5 table of Snowball-stemmed words (the same algorithm), kept in step with the
proposal table by ORM events and ranked by bm25.

Neither structure is in the models (SQLite and PostgreSQL have nothing in common here): the
migration creates them, and so does `create_all` through the DDL events below.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations

import snowballstemmer
from sqlalchemy import DDL, Column, Integer, MetaData, Table, Text, event, func, literal_column, select

from participation.proposals.models import Proposal

SEARCH_COLUMN = "search_vector"
FTS_TABLE = "proposal_fts"
MAX_TERMS = 12  # words of a search that count; more only slow the query down
SIMILAR_TERMS = 24  # distinctive words of a draft proposal used to find similar ones
# shorter words match only as they are: a one-letter prefix would match nearly everything
PREFIX_MIN = 3

PG_CREATE = (
    f"ALTER TABLE proposal ADD COLUMN {SEARCH_COLUMN} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('german', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('german', coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX ix_proposal_{SEARCH_COLUMN} ON proposal USING gin ({SEARCH_COLUMN})",
)
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

_fts = Table(
    FTS_TABLE, MetaData(), Column("rowid", Integer, primary_key=True), Column("title", Text), Column("body", Text)
)
_WORD = re.compile(r"\w+")


def _words(value: str) -> list[str]:
    return [word for word in _WORD.findall(value.lower()) if not word.isdigit() or len(word) > 1]


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    # words repeat a lot (Zipf): remembering them spares the pure-Python stemmer most of its work
    return _stemmer().stemWord(word)


def stemmed(value: str) -> str:
    """The text as the SQLite index holds it: lower-case Snowball stems, separated by spaces."""
    return " ".join(_stem(word) for word in _words(value))


def is_search_object(type_: str, name: str | None) -> bool:
    """For migrations: the search structures that live outside the models."""
    return (type_ == "column" and name == SEARCH_COLUMN) or (
        type_ in ("table", "index")
        and bool(name)
        and (name.startswith(FTS_TABLE) or name == f"ix_proposal_{SEARCH_COLUMN}")
    )


# --- keeping the structures ----------------------------------------------------------------


def _install_ddl() -> None:
    table = Proposal.__table__
    for statement in PG_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "after_drop", DDL(statement).execute_if(dialect="sqlite"))


def _index(mapper, connection, proposal: Proposal) -> None:
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL computes its column itself
    connection.execute(_fts.delete().where(_fts.c.rowid == proposal.id))
    connection.execute(
        _fts.insert().values(rowid=proposal.id, title=stemmed(proposal.title), body=stemmed(proposal.body))
    )


def index_bulk(session, rows: list[dict]) -> None:
    """For proposals inserted in bulk (no ORM events): index their `id`, `title` and `body`."""
    if session.get_bind().dialect.name != "sqlite":
        return
    stems = [{"rowid": row["id"], "title": stemmed(row["title"]), "body": stemmed(row["body"])} for row in rows]
    for start in range(0, len(stems), 5_000):
        batch = stems[start : start + 5_000]
        session.execute(_fts.delete().where(_fts.c.rowid.in_([row["rowid"] for row in batch])))
        session.execute(_fts.insert(), batch)


def empty_index(session) -> None:
    """After proposals were deleted in bulk (tests do that): SQLite's index forgets them too."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_fts.delete())


def _unindex(mapper, connection, proposal: Proposal) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(_fts.delete().where(_fts.c.rowid == proposal.id))


def listen() -> None:
    """Register the DDL and index events once (create_app calls it)."""
    if event.contains(Proposal, "after_insert", _index):
        return
    _install_ddl()
    event.listen(Proposal, "after_insert", _index)
    event.listen(Proposal, "after_update", _index)
    event.listen(Proposal, "after_delete", _unindex)


# --- querying --------------------------------------------------------------------------------


def _sqlite_match(words: list[str], operator: str) -> str:
    stems = dict.fromkeys(_stem(word) for word in words)  # distinct, in order
    # each stem quoted (no FTS5 syntax gets through) and as a prefix, so "schul" finds "schulen"
    return f" {operator} ".join(f'"{stem}"*' if len(stem) >= PREFIX_MIN else f'"{stem}"' for stem in stems if stem)


def search(statement, dialect: str, query: str):
    """`statement` (a select of Proposal) narrowed to proposals matching `query`, and the
    expression to order by, best first; (statement, None) when the query has no words."""
    words = _words(query)[:MAX_TERMS]
    if not words:
        return statement, None
    if dialect == "postgresql":
        # every word, stemmed and as a prefix (as on SQLite), so "Schule" finds "Schulhof" too;
        # \w+ words only, so no query syntax gets through
        terms = (f"{word}:*" if len(word) >= PREFIX_MIN else word for word in words)
        tsquery = func.to_tsquery("german", " & ".join(terms))
        vector = literal_column(f"proposal.{SEARCH_COLUMN}")
        return statement.where(vector.op("@@")(tsquery)), func.ts_rank_cd(vector, tsquery).desc()
    return _sqlite(statement, words, "AND")


def _sqlite(statement, words: list[str], operator: str):
    return _sqlite_ranked(statement, _sqlite_match(words, operator))


def _sqlite_ranked(statement, match: str):
    ranked = (
        select(_fts.c.rowid.label("id"), literal_column(f"bm25({FTS_TABLE}, 2.0, 1.0)").label("rank"))
        .where(literal_column(FTS_TABLE).op("MATCH")(match))
        .subquery()
    )
    return statement.join(ranked, ranked.c.id == Proposal.id), ranked.c.rank.asc()


def distinctive_words(title: str, body: str) -> list[str]:
    """The words of a draft proposal that best tell it apart: the title's, then the body's
    longest ones (long words are rarely stop words)."""
    title_words = [w for w in _words(title) if len(w) >= 4]
    body_words = sorted({w for w in _words(body[:4000]) if len(w) >= 6}, key=len, reverse=True)
    return list(dict.fromkeys(title_words + body_words))[:SIMILAR_TERMS]


PAIR_WORDS = 6  # the most distinctive words, of which a close match shares two


def similar(statement, dialect: str, title: str, body: str, close: bool = False):
    """Like `search`, but any distinctive word counts, so near-duplicates rank first. `close`:
    only proposals sharing two of the most distinctive words, a much smaller set to rank when
    common words match thousands."""
    words = distinctive_words(title, body)
    if not words:
        return statement, None
    if close and len(words) >= 2:
        pairs = list(combinations(words[:PAIR_WORDS], 2))
    elif close:
        return statement, None
    else:
        pairs = []
    if dialect == "postgresql":
        # \w+ words only: no query syntax gets through
        matching = " | ".join(f"({a} & {b})" for a, b in pairs) if pairs else " | ".join(words)
        vector = literal_column(f"proposal.{SEARCH_COLUMN}")
        ranking = func.to_tsquery("german", " | ".join(words))
        # ts_rank, not ts_rank_cd: a quarter of the cost when thousands match, and word order
        # matters little between two proposals
        return statement.where(vector.op("@@")(func.to_tsquery("german", matching))), func.ts_rank(
            vector, ranking
        ).desc()
    if pairs:
        match = " OR ".join(f"({_sqlite_match([a, b], 'AND')})" for a, b in pairs)
        return _sqlite_ranked(statement, match)
    return _sqlite(statement, words, "OR")
