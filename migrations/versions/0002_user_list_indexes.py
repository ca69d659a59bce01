"""Indexes for the admin user list at city scale: its sort order, and trigram indexes for the
substring search on PostgreSQL (pg_trgm).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index("ix_user_created_at_id", ["created_at", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index("ix_user_display_name_canonical_trgm", "user", ["display_name_canonical"],
                        postgresql_using="gin", postgresql_ops={"display_name_canonical": "gin_trgm_ops"})
        op.create_index("ix_user_email_trgm", "user", ["email"],
                        postgresql_using="gin", postgresql_ops={"email": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_user_email_trgm", table_name="user")
        op.drop_index("ix_user_display_name_canonical_trgm", table_name="user")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index("ix_user_created_at_id")
