"""the evaluation as a Pemda runs it: evaluator teams (with their SK), assignments, verification windows, objections,
the conversation on reviewers' notes

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('sk_number', sa.String(length=120), server_default='', nullable=False),
    sa.Column('sk_date', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_evaluation_teams_period_id_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_teams')),
    sa.UniqueConstraint('period_id', name=op.f('uq_evaluation_teams_period_id'))
    )
    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('ketua', 'anggota', name='teamrole', native_enum=False, length=20), nullable=False),
    sa.Column('jabatan', sa.String(length=200), server_default='', nullable=False),
    sa.Column('nip', sa.String(length=18), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['evaluation_teams.id'], name=op.f('fk_team_members_team_id_evaluation_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_team_members_team_id_user_id'))
    )
    op.create_table('evaluation_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('aspect_code', sa.String(length=10), server_default='', nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_evaluation_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_evaluation_assignments_member_id_team_members')),
    sa.ForeignKeyConstraint(['team_id'], ['evaluation_teams.id'],
                            name=op.f('fk_evaluation_assignments_team_id_evaluation_teams')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_evaluation_assignments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_assignments')),
    sa.UniqueConstraint('team_id', 'unit_id', 'aspect_code', name=op.f('uq_evaluation_assignments_team_id_unit_id_aspect_code'))
    )
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_assignments_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_assignments_team_id'), ['team_id'], unique=False)

    op.create_table('verification_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('response', sa.Enum('accepted', 'objected', name='windowresponse', native_enum=False, length=20),
              nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('lapse_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_verification_windows_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_verification_windows_done_by_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_verification_windows_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_windows'))
    )
    with op.batch_alter_table('verification_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_windows_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=30), nullable=False),
    sa.Column('provisional_level', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Enum('accepted', 'refused', name='objectionanswer', native_enum=False, length=20),
              nullable=True),
    sa.Column('answer_level', sa.Integer(), nullable=True),
    sa.Column('answer_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('answer_level BETWEEN 0 AND 5', name=op.f('ck_objections_objection_level_range')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_objections_answered_by_id_users')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_objections_filed_by_id_users')),
    sa.ForeignKeyConstraint(['window_id'], ['verification_windows.id'],
                            name=op.f('fk_objections_window_id_verification_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
    sa.UniqueConstraint('window_id', 'indicator_code', name=op.f('uq_objections_window_id_indicator_code'))
    )
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objections_window_id'), ['window_id'], unique=False)

    op.create_table('note_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=30), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_note_messages_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_note_messages_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_messages'))
    )
    with op.batch_alter_table('note_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_messages_assessment_id'), ['assessment_id'], unique=False)

    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objection_days', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('note_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_messages_assessment_id'))

    op.drop_table('note_messages')
    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.drop_column('objection_days')

    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objections_window_id'))

    op.drop_table('objections')
    with op.batch_alter_table('verification_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_windows_assessment_id'))

    op.drop_table('verification_windows')
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_assignments_team_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_assignments_member_id'))

    op.drop_table('evaluation_assignments')
    op.drop_table('team_members')
    op.drop_table('evaluation_teams')
