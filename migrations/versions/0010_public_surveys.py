"""public surveys: SKM and F-03 responses, the units' survey settings, survey settings per period

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-23 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SKM_COLUMNS = [f"u{number}" for number in range(1, 10)]
F03_COLUMNS = [f"f{number}" for number in range(1, 15)]


def upgrade():
    op.create_table('survey_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('f03_form', sa.String(length=10), nullable=False),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('service_types', sa.JSON(), nullable=False),
    sa.Column('follow_up_plan', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_survey_settings_period_id_periods')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_settings_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_survey_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_settings')),
    sa.UniqueConstraint('unit_id', 'period_id', name=op.f('uq_survey_settings_unit_id_period_id'))
    )
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('online', 'paper', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('form_nonce', sa.String(length=32), nullable=True),
    sa.Column('f03_form', sa.String(length=10), nullable=False),
    *[sa.Column(name, sa.SmallInteger(), nullable=True) for name in SKM_COLUMNS + F03_COLUMNS],
    sa.Column('age', sa.SmallInteger(), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('education', sa.String(length=10), nullable=True),
    sa.Column('occupation', sa.String(length=20), nullable=True),
    sa.Column('service_type', sa.String(length=120), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_survey_responses_entered_by_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_survey_responses_period_id_periods')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_responses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('form_nonce', name=op.f('uq_survey_responses_form_nonce'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_period_unit', ['period_id', 'unit_id'], unique=False)

    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_min_respondents', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('f03_share', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.drop_column('f03_share')
        batch_op.drop_column('survey_min_respondents')

    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_period_unit')

    op.drop_table('survey_responses')
    op.drop_table('survey_settings')
