"""Offline input and events (issue 21, point 4): events of the process, the offline sources
(workshops, letters, phone calls) input comes from, and the link from proposals and comments to
the source staff recorded them for.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title_de', sa.String(length=150), nullable=False),
        sa.Column('title_en', sa.String(length=150), nullable=False),
        sa.Column('description_de', sa.Text(), nullable=False),
        sa.Column('description_en', sa.Text(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=True),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('accessibility', sa.Text(), nullable=False),
        sa.Column('step_free', sa.Boolean(), nullable=False),
        sa.Column('hearing_loop', sa.Boolean(), nullable=False),
        sa.Column('sign_language', sa.Boolean(), nullable=False),
        sa.Column('registration_url', sa.String(length=500), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)
    op.create_table(
        'offline_source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=150), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('participants', sa.Integer(), nullable=True),
        sa.Column('stakeholder_group', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('workshop', 'event', 'letter', 'phone_call', 'other')", name=op.f('ck_offline_source_kind_known')
        ),
        sa.CheckConstraint(
            "stakeholder_group IN ('residents', 'businesses', 'universities', 'municipal_companies', "
            "'civil_society', 'administration', 'other')",
            name=op.f('ck_offline_source_group_known'),
        ),
        sa.CheckConstraint('participants IS NULL OR participants > 0', name=op.f('ck_offline_source_participants_positive')),
        sa.ForeignKeyConstraint(
            ['event_id'], ['event.id'], name=op.f('fk_offline_source_event_id_event'), ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_source')),
    )
    with op.batch_alter_table('offline_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_source_event_id'), ['event_id'], unique=False)
    for table in ('proposal', 'comment'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('offline_source_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_offline_source_id'), ['offline_source_id'], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_offline_source_id_offline_source'),
                'offline_source',
                ['offline_source_id'],
                ['id'],
                ondelete='RESTRICT',
            )


def downgrade():
    for table in ('comment', 'proposal'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_offline_source_id_offline_source'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_offline_source_id'))
            batch_op.drop_column('offline_source_id')
    with op.batch_alter_table('offline_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_source_event_id'))
    op.drop_table('offline_source')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
    op.drop_table('event')
