"""follow-up of recommendations (due dates, states, reports), field visits, files attached to objections,
follow-ups and visits

Recommendations of results already final get the due date today's rule gives them: the day of the final
verification (WIB) plus the period's days for the predikat (30 for B and below, 90 above), computed here from the
stored verified IPP with a frozen copy of the rule, so this revision never changes with the app.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 14:51:07

"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "field_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("officials", sa.Text(), server_default="", nullable=False),
        sa.Column("exit_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name=op.f("fk_field_visits_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_field_visits_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_visits")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_field_visits_assessment_id")),
    )
    op.create_table(
        "field_visit_members",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_field_visit_members_user_id_users")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["field_visits.id"], name=op.f("fk_field_visit_members_visit_id_field_visits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("visit_id", "user_id", name=op.f("pk_field_visit_members")),
    )
    op.create_table(
        "followup_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column(
            "step", sa.Enum("report", "accept", "ask_again", name="followupstep", native_enum=False, length=20), nullable=False
        ),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_followup_entries_author_id_users")),
        sa.ForeignKeyConstraint(
            ["recommendation_id"], ["recommendations.id"], name=op.f("fk_followup_entries_recommendation_id_recommendations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_entries")),
    )
    with op.batch_alter_table("followup_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_entries_recommendation_id"), ["recommendation_id"], unique=False)

    op.create_table(
        "visit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=30), nullable=False),
        sa.Column(
            "finding", sa.Enum("confirmed", "not_as_claimed", name="findingkind", native_enum=False, length=20), nullable=False
        ),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["field_visits.id"], name=op.f("fk_visit_findings_visit_id_field_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_findings")),
        sa.UniqueConstraint("visit_id", "indicator_code", name=op.f("uq_visit_findings_visit_id_indicator_code")),
    )
    with op.batch_alter_table("visit_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_findings_visit_id"), ["visit_id"], unique=False)

    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attached_to",
                sa.Enum("form", "objection", "followup", "visit", name="attachedto", native_enum=False, length=20),
                server_default="form",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("attached_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_evidence_files_attached_id"), ["attached_id"], unique=False)

    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("followup_days_b_and_below", sa.Integer(), server_default="30", nullable=False))
        batch_op.add_column(sa.Column("followup_days_above_b", sa.Integer(), server_default="90", nullable=False))

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "followup_state",
                sa.Enum("open", "reported", "accepted", "asked_again", name="followupstate", native_enum=False, length=20),
                server_default="open",
                nullable=False,
            )
        )

    _backfill_due_dates()


WIB = timedelta(hours=7)
B_UPPER = Decimal("4.00")  # the top of band B: at or below it (shown with 2 decimals) the shorter period applies


def _backfill_due_dates():
    bind = op.get_bind()
    recommendations = sa.table("recommendations", sa.column("id", sa.Integer), sa.column("assessment_id", sa.Integer),
                               sa.column("due_on", sa.Date))
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("status", sa.String),
                           sa.column("verified_at", sa.DateTime), sa.column("verified_ipp", sa.Numeric(12, 8)))
    rows = bind.execute(
        sa.select(recommendations.c.id, assessments.c.verified_at, assessments.c.verified_ipp)
        .join(assessments, assessments.c.id == recommendations.c.assessment_id)
        .where(assessments.c.status == "verified", assessments.c.verified_at.is_not(None),
               assessments.c.verified_ipp.is_not(None))
    ).all()
    due = []
    for recommendation_id, verified_at, verified_ipp in rows:
        shown = Decimal(verified_ipp).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        days = 30 if shown <= B_UPPER else 90
        due.append({"rid": recommendation_id, "due": (verified_at + WIB).date() + timedelta(days=days)})
    if due:
        bind.execute(recommendations.update().where(recommendations.c.id == sa.bindparam("rid"))
                     .values(due_on=sa.bindparam("due")), due)


def downgrade():
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_column("followup_state")
        batch_op.drop_column("due_on")

    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.drop_column("followup_days_above_b")
        batch_op.drop_column("followup_days_b_and_below")

    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_files_attached_id"))
        batch_op.drop_column("attached_id")
        batch_op.drop_column("attached_to")

    with op.batch_alter_table("visit_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_findings_visit_id"))

    op.drop_table("visit_findings")
    with op.batch_alter_table("followup_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_entries_recommendation_id"))

    op.drop_table("followup_entries")
    op.drop_table("field_visit_members")
    op.drop_table("field_visits")
