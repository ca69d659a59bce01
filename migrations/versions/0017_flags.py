"""Flags: the table "report" (someone reporting a proposal or comment to the moderation) becomes
"flag", with its keys, constraints and indexes named as the naming convention names them for
the new table; the participation report is no longer confused with it. The rows stay as they
are, and so does what other tables store (an audit entry "dismiss_reports", the hide reason
"reports").

PostgreSQL renames in place. SQLite cannot rename constraints, so batch mode copies the table
into one declared with the new names (the rows, their ids included, come along).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# names that contain the table's name, without it: pk, fk, uq, ck, then the indexes
NAMES = (
    "pk_{}",
    "fk_{}_reporter_id_user",
    "fk_{}_proposal_id_proposal",
    "fk_{}_comment_id_comment",
    "uq_{}_reporter_id_proposal_id",
    "uq_{}_reporter_id_comment_id",
    "ck_{}_one_target",
    "ck_{}_reason_known",
    "ck_{}_status_known",
)
INDEXES = ("ix_{}_open_proposal", "ix_{}_open_comment", "ix_{}_reporter_id")


def _table(name):
    """The table as the models declare it, under `name`: what SQLite's batch mode copies into."""
    metadata = sa.MetaData()
    return sa.Table(
        name,
        metadata,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reporter_id', sa.Integer(), nullable=True),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('comment_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("reason IN ('spam', 'insult', 'off_topic', 'personal_data', 'other')", name=f'ck_{name}_reason_known'),
        sa.CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name=f'ck_{name}_status_known'),
        sa.CheckConstraint('(proposal_id IS NULL) <> (comment_id IS NULL)', name=f'ck_{name}_one_target'),
        sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=f'fk_{name}_comment_id_comment', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=f'fk_{name}_proposal_id_proposal', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=f'fk_{name}_reporter_id_user', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{name}'),
        sa.UniqueConstraint('reporter_id', 'comment_id', name=f'uq_{name}_reporter_id_comment_id'),
        sa.UniqueConstraint('reporter_id', 'proposal_id', name=f'uq_{name}_reporter_id_proposal_id'),
        sa.Index(f'ix_{name}_open_comment', 'status', 'comment_id'),
        sa.Index(f'ix_{name}_open_proposal', 'status', 'proposal_id'),
        sa.Index(f'ix_{name}_reporter_id', 'reporter_id'),
    )


def _rename(old, new):
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'ALTER SEQUENCE "{old}_id_seq" RENAME TO "{new}_id_seq"')
        for name in NAMES:
            op.execute(f'ALTER TABLE "{new}" RENAME CONSTRAINT "{name.format(old)}" TO "{name.format(new)}"')
        for name in INDEXES:
            op.execute(f'ALTER INDEX "{name.format(old)}" RENAME TO "{name.format(new)}"')
    else:
        with op.batch_alter_table(new, copy_from=_table(new), recreate="always"):
            pass


def upgrade():
    _rename("report", "flag")


def downgrade():
    _rename("flag", "report")
