"""F-01 facts: a unit's fact answers per indicator, the reviewer's check of each fact

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 11:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable JSON: the rows already there (periods on the 2023 file) were answered by level and stay so.
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.JSON(), nullable=True))
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fact_checks', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('level_set', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('level_set')
        batch_op.drop_column('fact_checks')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('facts')
