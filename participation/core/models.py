"""Column types and mixins shared by every model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def sql_list(values) -> str:
    """Known values as an SQL list for a CHECK constraint: 'a', 'b'."""
    return ", ".join(f"'{value}'" for value in values)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC on every database, always handed out timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class BilingualMixin:
    """Texts kept as <name>_de and <name>_en; English falls back to German where it is empty."""

    def text_lang(self, name: str, locale: str) -> str:
        """The language of what localized() shows, for a lang attribute."""
        return "en" if locale == "en" and getattr(self, f"{name}_en") else "de"

    def localized(self, name: str, locale: str) -> str:
        return getattr(self, f"{name}_{self.text_lang(name, locale)}")


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


# PostgreSQL-only indexes (pg_trgm, for substring search) that live in migrations, not in the
# models: SQLite has no equivalent, so autogenerate and the schema test leave them alone.
SEARCH_INDEXES = {"ix_user_display_name_canonical_trgm", "ix_user_email_trgm"}

# Rules (type_, name) -> bool for more such objects, added by the areas that own them
# (participation.proposals.search), so core need not know them.
_OUTSIDE_THE_MODELS: list[Callable[[str, str | None], bool]] = []


def keep_out_of_migrations(rule: Callable[[str, str | None], bool]) -> None:
    """Autogenerate and the schema test leave alone what `rule` matches: structures an area
    creates in its migrations and DDL events, not in its models. Adding a rule twice is harmless."""
    if rule not in _OUTSIDE_THE_MODELS:
        _OUTSIDE_THE_MODELS.append(rule)


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    return not any(rule(type_, name) for rule in _OUTSIDE_THE_MODELS)


def render_migration_type(type_, obj, autogen_context):
    """Alembic writes UTCDateTime as a plain DateTime, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def insert_ignoring_conflict(model, unique_columns: tuple[str, ...], values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on both databases; True when a row was inserted.
    The database settles a race between parallel requests: exactly one of them inserts."""
    from participation.extensions import db

    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(model).values(**values).on_conflict_do_nothing(index_elements=list(unique_columns)).returning(model.id)
    )
    return db.session.execute(statement).scalar() is not None
