"""Votes and supports of a deleted account stay counted without pointing at anyone (issue 20,
point 2: account deletion): their user_id may be empty, and deleting an account empties it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

TABLES = ('draft_vote', 'support')


def _point_at_user(ondelete, nullable):
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_user_id_user', type_='foreignkey')
            batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=nullable)
            batch_op.create_foreign_key(f'fk_{table}_user_id_user', 'user', ['user_id'], ['id'], ondelete=ondelete)


def upgrade():
    _point_at_user('SET NULL', True)


def downgrade():
    # the votes and supports of deleted accounts cannot point at anyone again: they go
    for table in TABLES:
        op.execute(f'DELETE FROM {table} WHERE user_id IS NULL')
    _point_at_user('CASCADE', False)
