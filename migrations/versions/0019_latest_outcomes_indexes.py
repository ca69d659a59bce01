"""Indexes for the home page's "what came of it": the latest answers to proposals and the latest
incorporations, each read newest first with a limit on every visit of the home page.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 09:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_answered_at', ['answered_at'], unique=False)
    with op.batch_alter_table('incorporation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incorporation_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('incorporation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incorporation_created_at'))
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_answered_at')
