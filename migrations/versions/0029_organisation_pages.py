"""Organisation pages (issue 21, part 3): an English description, strategy documents stored in the
database in chunks (every app host reads the same bytes), and an index for an organisation's
official statements.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description_en", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "strategy_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title_de", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=150), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_strategy_document_size_not_negative")),
        sa.CheckConstraint("year >= 1900 AND year <= 2200", name=op.f("ck_strategy_document_year_range")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_strategy_document_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user.id"],
            name=op.f("fk_strategy_document_uploaded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_document")),
    )
    with op.batch_alter_table("strategy_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategy_document_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_strategy_document_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_strategy_document_uploaded_by_id"), ["uploaded_by_id"], unique=False)
    op.create_table(
        "strategy_document_chunk",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["strategy_document.id"],
            name=op.f("fk_strategy_document_chunk_document_id_strategy_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "position", name=op.f("pk_strategy_document_chunk")),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index("ix_comment_organisation_statements", ["organisation_id", "published_at"], unique=False)


def downgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_organisation_statements")
    op.drop_table("strategy_document_chunk")
    op.drop_table("strategy_document")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("description_en")
