"""Indexes on the columns that name the staff member who made something (issue 20, point 2):
deleting an account empties every column pointing at it, and PostgreSQL's ON DELETE SET NULL
looks the account up in each; without an index that reads the whole table.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 19:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

COLUMNS = (
    ('interim_report', 'created_by_id'),
    ('measure', 'created_by_id'),
    ('organisation_membership', 'decided_by_id'),
    ('site_setting', 'updated_by_id'),
    ('advisory_statement', 'author_id'),
    ('measure_update', 'author_id'),
    ('incorporation', 'created_by_id'),
)


def upgrade():
    for table, column in COLUMNS:
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=False)


def downgrade():
    for table, column in COLUMNS:
        op.drop_index(op.f(f'ix_{table}_{column}'), table_name=table)
