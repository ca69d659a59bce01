"""Report snapshots: the participation report's rendered body per page and language, made by one
worker and read by all, with the time it was made.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:04:04.804208

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshot',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_report_snapshot'))
    )


def downgrade():
    op.drop_table('report_snapshot')
