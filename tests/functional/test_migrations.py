"""Migrations: one head, and upgrading an empty database gives exactly the models' schema."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from participation import ROOT, create_app
from participation.config import TESTING
from participation.core.models import SEARCH_INDEXES, include_in_migrations
from participation.extensions import db
from tests.conftest import postgres_url


def test_one_head():
    from alembic.config import Config

    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    base = postgres_url()
    if not base:
        pytest.skip("PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://user@host/db to run them")
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_of_an_empty_database_matches_the_models(empty_database):
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(
                    connection, opts={"compare_type": True, "include_object": include_in_migrations}
                ),
                db.metadata,
            )
        assert differences == []
        assert set(inspect(db.engine).get_table_names()) >= {table.name for table in db.metadata.sorted_tables}
        if db.engine.dialect.name == "postgresql":
            present = {index["name"] for index in inspect(db.engine).get_indexes("user")}
            assert present >= SEARCH_INDEXES
            assert "search_vector" in {column["name"] for column in inspect(db.engine).get_columns("proposal")}
            assert "ix_proposal_search_vector" in {
                index["name"] for index in inspect(db.engine).get_indexes("proposal")
            }
        else:
            assert "proposal_fts" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_phases_that_ran_are_bound_to_the_open_version_and_planned_ones_wait(empty_database):
    """0018: a phase that has started and opened comments or votes opened them on the version open
    for comments, and is bound to it; a planned one is likely meant for a version to come and
    waits for an admin to choose it; a phase for proposals names no version."""
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=empty_database))
    with app.app_context():
        upgrade(revision="0017")
        rows = """
            INSERT INTO masterplan_version (id, number, title, status, is_final, summary_of_changes, created_at)
            VALUES (1, 1, 'Entwurf 1', 'closed', false, '', '2026-01-01'),
                   (2, 2, 'Entwurf 2', 'consultation', false, '', '2026-02-01');
            INSERT INTO phase (id, slug, position, title_de, title_en, description_de, description_en, starts_at,
                               ends_at, opens_proposals, opens_draft_comments, opens_draft_votes, opens_supports)
            VALUES (1, 'ideas', 0, 'Ideen', 'Ideas', '', '', '2026-01-01', NULL, true, false, false, true),
                   (2, 'now', 1, 'Jetzt', 'Now', '', '', '2026-02-01', NULL, false, true, true, false),
                   (3, 'later', 2, 'Später', 'Later', '', '', '2999-01-01', NULL, false, true, false, false);
        """
        with db.engine.begin() as connection:
            for statement in filter(str.strip, rows.split(";")):
                connection.execute(text(statement))
        upgrade(revision="0018")
        with db.engine.connect() as connection:
            bound = dict(connection.execute(text("SELECT slug, version_id FROM phase")).all())
        assert bound == {"ideas": None, "now": 2, "later": None}
        downgrade(revision="base")
        db.engine.dispose()
