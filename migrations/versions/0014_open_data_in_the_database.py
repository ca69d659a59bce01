"""Open data in the database: the ZIP every host serves, in chunks, with the data revision it was
made from, and the revision that rises whenever something public is taken back.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('open_data_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_data_state'))
    )
    op.create_table('open_data_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_data_file'))
    )
    op.create_table('open_data_chunk',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['open_data_file.id'], name=op.f('fk_open_data_chunk_file_id_open_data_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'position', name=op.f('pk_open_data_chunk'))
    )
    op.execute("INSERT INTO open_data_state (id, revision, changed_at) VALUES (1, 0, CURRENT_TIMESTAMP)")


def downgrade():
    op.drop_table('open_data_chunk')
    op.drop_table('open_data_file')
    op.drop_table('open_data_state')
