"""Easy-language summaries (issue 21, part 5): a chapter and a measure each get a summary in
Leichte Sprache (German) and an optional one in plain English, shown beside the full text.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

TABLES = ('chapter', 'measure')
COLUMNS = ('easy_summary_de', 'easy_summary_en')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in COLUMNS:
                batch_op.add_column(sa.Column(column, sa.Text(), server_default='', nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(COLUMNS):
                batch_op.drop_column(column)
