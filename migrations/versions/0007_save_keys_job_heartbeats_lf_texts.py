"""save keys on answers and reviews, job runner and heartbeat, texts stored with LF line breaks

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 08:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The texts a form saves; a browser sends a line break as CRLF, the app now stores LF (and counts it once).
TEXT_COLUMNS = (("answers", "justification"), ("reviews", "note"))


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('save_key', sa.String(length=32), nullable=True))

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('save_key', sa.String(length=32), nullable=True))

    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runner', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))

    for table_name, column_name in TEXT_COLUMNS:
        table = sa.table(table_name, sa.column(column_name, sa.Text))
        column = table.c[column_name]
        op.execute(table.update().where(column.contains("\r\n")).values({column_name: sa.func.replace(column, "\r\n", "\n")}))


def downgrade():
    # The LF texts stay as they are: CRLF was never meant to be stored.
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('runner')

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('save_key')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('save_key')
