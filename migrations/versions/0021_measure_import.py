"""Import files of measures waiting for their confirmation (issue 19, point 6).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_measure_import_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_import'))
    )
    with op.batch_alter_table('measure_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_import_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_import_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('measure_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_import_user_id'))
        batch_op.drop_index(batch_op.f('ix_measure_import_created_at'))
    op.drop_table('measure_import')
