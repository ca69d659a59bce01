"""A revision number per chapter: it goes up with every change a reader of the chapter could
see (a vote, a comment, an edit), so rendered chapter pages can be reused until it changes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chapter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("chapter", schema=None) as batch_op:
        batch_op.drop_column("revision")
