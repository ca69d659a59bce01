"""Phases bound to versions: a phase that opens comments and votes on the draft opens them on
one version (phase.version_id), so that opening version 2 opens nothing on version 1.

Phases that have started and open comments or votes are bound to the version open for comments
now (the newest one, if several are): that is what they opened until now. A phase still to come
stays unbound and opens nothing on the draft until an admin chooses its version (it is most
likely meant for a version that does not exist yet); so does every phase where no version is open.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 08:45:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_phase_version_id'), ['version_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_phase_version_id_masterplan_version'),
            'masterplan_version',
            ['version_id'],
            ['id'],
            ondelete='SET NULL',
        )
    started = sa.bindparam("now", datetime.now(UTC).replace(tzinfo=None), type_=sa.DateTime())
    op.execute(
        sa.text(
            "UPDATE phase SET version_id = ("
            " SELECT id FROM masterplan_version WHERE status = 'consultation' ORDER BY number DESC LIMIT 1"
            ") WHERE (opens_draft_comments OR opens_draft_votes) AND starts_at <= :now"
        ).bindparams(started)
    )


def downgrade():
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_phase_version_id_masterplan_version'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_phase_version_id'))
        batch_op.drop_column('version_id')
