"""Following chapters (by their lineage key, across versions of the draft) and organisations,
and daily or weekly digests of notifications (issue 21, part 1: notifications).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chapter_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chapter_lineage_key', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_chapter_follow_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapter_follow')),
    sa.UniqueConstraint('user_id', 'chapter_lineage_key', name=op.f('uq_chapter_follow_user_id_chapter_lineage_key'))
    )
    with op.batch_alter_table('chapter_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chapter_follow_chapter_lineage_key'), ['chapter_lineage_key'], unique=False)

    op.create_table('organisation_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_follow_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_organisation_follow_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_follow')),
    sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_organisation_follow_user_id_organisation_id'))
    )
    with op.batch_alter_table('organisation_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_follow_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('mail_digest_choice',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('chosen_at', sa.DateTime(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("frequency IN ('daily', 'weekly')", name=op.f('ck_mail_digest_choice_frequency_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mail_digest_choice_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mail_digest_choice'))
    )
    op.create_table('pending_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_pending_notification_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pending_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_notification'))
    )
    with op.batch_alter_table('pending_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_notification_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_notification_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_notification_comment_id'))

    op.drop_table('pending_notification')
    op.drop_table('mail_digest_choice')
    with op.batch_alter_table('organisation_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_follow_organisation_id'))

    op.drop_table('organisation_follow')
    with op.batch_alter_table('chapter_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chapter_follow_chapter_lineage_key'))

    op.drop_table('chapter_follow')
