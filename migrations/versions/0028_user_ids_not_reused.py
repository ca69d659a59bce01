"""On SQLite, the number of a deleted account is never given to a new one (issue 20, point 2:
account deletion): the account table gets AUTOINCREMENT. PostgreSQL's sequence never reuses a
number, so nothing changes there.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 19:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def _recreate(autoincrement):
    if op.get_bind().dialect.name != 'sqlite':
        return
    with op.batch_alter_table(
        'user', schema=None, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}
    ):
        pass


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)
