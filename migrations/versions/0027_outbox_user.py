"""The account a mail was written to (issue 20): after a change of address the mail to the
earlier one stays the account's, in its data download and in its deletion.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_user_id_user'), 'user', ['user_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_user_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_user_id'))
        batch_op.drop_column('user_id')
