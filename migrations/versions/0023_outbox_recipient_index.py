"""The mails to one address, found by an index: a person's data download lists the mails sent to
them (issue 20), and the checks of how recently an address was mailed read them too.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_recipient_id', ['recipient', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_recipient_id')
