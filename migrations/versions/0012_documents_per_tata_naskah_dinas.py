"""documents per the Tata Naskah Dinas: Berita Acara numbers, kop contacts, the Sekda, pangkat

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# Frozen here (a migration never imports the app): the pattern periods start with.
DEFAULT_BA_PATTERN = "700/{nomor}/BA-PEKPPP/Org/{tahun}"
SETTINGS_COLUMNS = (('signatory_pangkat', 60), ('postal_code', 10), ('phone', 60), ('email', 120), ('website', 120),
                    ('sekda_name', 200), ('sekda_nip', 18), ('sekda_pangkat', 60))


def upgrade():
    op.create_table('berita_acara_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.String(length=160), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_berita_acara_numbers_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_berita_acara_numbers_period_id_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_berita_acara_numbers')),
    sa.UniqueConstraint('period_id', 'number', name=op.f('uq_berita_acara_numbers_period_id_number'))
    )
    with op.batch_alter_table('berita_acara_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_berita_acara_numbers_assessment_id'), ['assessment_id'], unique=False)

    # Added columns only, each with a server default, so the rows already there keep everything they hold.
    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ba_number_pattern', sa.String(length=120), server_default=DEFAULT_BA_PATTERN,
                                      nullable=False))
        batch_op.add_column(sa.Column('ba_last_number', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('recap_number', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pack_number', sa.String(length=120), server_default='', nullable=False))
    with op.batch_alter_table('pemda_settings', schema=None) as batch_op:
        for name, length in SETTINGS_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='', nullable=False))
        batch_op.add_column(sa.Column('addressee', sa.String(length=200), server_default='Wali Kota Cilegon',
                                      nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pangkat', sa.String(length=60), nullable=True))

    _number_the_verified_assessments()


def _number_the_verified_assessments():
    """Assessments verified before this revision get their Berita Acara numbers now, in the order they were
    verified, so every verified assessment has one and the counter continues after them."""
    connection = op.get_bind()
    periods = sa.table('periods', sa.column('id'), sa.column('year'), sa.column('ba_last_number'))
    assessments = sa.table('assessments', sa.column('id'), sa.column('period_id'), sa.column('status'),
                           sa.column('verified_at'))
    numbers = sa.table('berita_acara_numbers', sa.column('period_id'), sa.column('assessment_id'), sa.column('number'),
                       sa.column('nomor'), sa.column('assigned_at'))
    now = datetime.now(UTC).replace(tzinfo=None)
    for period_id, year in connection.execute(sa.select(periods.c.id, periods.c.year).order_by(periods.c.id)).all():
        verified = connection.execute(
            sa.select(assessments.c.id, assessments.c.verified_at)
            .where(assessments.c.period_id == period_id, assessments.c.status == 'verified')
            .order_by(assessments.c.verified_at.is_(None), assessments.c.verified_at, assessments.c.id)).all()
        if not verified:
            continue
        connection.execute(numbers.insert(), [
            {'period_id': period_id, 'assessment_id': assessment_id, 'number': number,
             'nomor': DEFAULT_BA_PATTERN.replace('{nomor}', str(number)).replace('{tahun}', str(year)),
             'assigned_at': verified_at or now}
            for number, (assessment_id, verified_at) in enumerate(verified, start=1)
        ])
        connection.execute(periods.update().where(periods.c.id == period_id).values(ba_last_number=len(verified)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('pangkat')
    with op.batch_alter_table('pemda_settings', schema=None) as batch_op:
        batch_op.drop_column('addressee')
        for name, _ in reversed(SETTINGS_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.drop_column('pack_number')
        batch_op.drop_column('recap_number')
        batch_op.drop_column('ba_last_number')
        batch_op.drop_column('ba_number_pattern')
    with op.batch_alter_table('berita_acara_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_berita_acara_numbers_assessment_id'))
    op.drop_table('berita_acara_numbers')
