"""server-side sessions; one issued-document entry per content

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 08:00:00.000000

"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The table as this revision knows it (never the app's live model).
issued_documents = sa.table('issued_documents', sa.column('id', sa.Integer), sa.column('content_hash', sa.String))


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    # Documents issued twice for the same content (two requests at once) keep their codes, which may be printed
    # already; only the first stays the content's entry, the others get a hash no content can have.
    connection = op.get_bind()
    seen: set[str] = set()
    rows = connection.execute(sa.select(issued_documents.c.id, issued_documents.c.content_hash)
                              .order_by(issued_documents.c.id)).all()
    for row_id, content_hash in rows:
        if content_hash in seen:
            retired = hashlib.sha256(f"retired duplicate {row_id} of {content_hash}".encode()).hexdigest()
            connection.execute(issued_documents.update().where(issued_documents.c.id == row_id)
                               .values(content_hash=retired))
        seen.add(content_hash)
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_documents_content_hash'))
        batch_op.create_index(batch_op.f('ix_issued_documents_content_hash'), ['content_hash'], unique=True)


def downgrade():
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_documents_content_hash'))
        batch_op.create_index(batch_op.f('ix_issued_documents_content_hash'), ['content_hash'], unique=False)

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
