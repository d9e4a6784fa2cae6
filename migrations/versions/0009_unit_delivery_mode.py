"""how each unit delivers its services: luring, daring or both (units already there are luring)

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-23 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery', sa.Enum('luring', 'daring', 'luring_daring', name='deliverymode',
                                                          native_enum=False, length=20),
                                      server_default='luring', nullable=False))


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('delivery')
