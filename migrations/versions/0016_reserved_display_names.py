"""Reserved display names: the name someone asked for when registering with an address that
has an account already, kept as taken so that trying it again reveals nothing.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 02:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reserved_display_name',
    sa.Column('canonical', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_reserved_display_name_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('canonical', name=op.f('pk_reserved_display_name'))
    )
    with op.batch_alter_table('reserved_display_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reserved_display_name_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reserved_display_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reserved_display_name_user_id'))

    op.drop_table('reserved_display_name')
