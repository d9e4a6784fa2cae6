"""The field visit (observasi lapangan, verlap): the evaluators' visit to a unit after the desk evaluation."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, enum_column, utcnow
from .people import User

visit_members = sa.Table(
    "field_visit_members", Model.metadata,
    sa.Column("visit_id", sa.ForeignKey("field_visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)


class FindingKind(enum.StrEnum):
    CONFIRMED = "confirmed"          # what the unit claimed is there
    NOT_AS_CLAIMED = "not_as_claimed"  # the visit did not find it as the form says


class FieldVisit(Model):
    """One visit to a unit in a period: who went, whom they met, what they saw, the exit meeting."""

    __tablename__ = "field_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), unique=True)
    visited_on: Mapped[date]
    # The OPD's officials met, one per line ("Nama — Jabatan"), as the annex of the Berita Acara lists them.
    officials: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    exit_notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # the exit meeting
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list[User]] = relationship(secondary=visit_members, order_by="User.full_name")
    findings: Mapped[list[VisitFinding]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitFinding.id")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class VisitFinding(Model):
    """What the visit found on one indicator."""

    __tablename__ = "visit_findings"
    __table_args__ = (sa.UniqueConstraint("visit_id", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("field_visits.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    finding: Mapped[FindingKind] = mapped_column(enum_column(FindingKind))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    visit: Mapped[FieldVisit] = relationship(back_populates="findings")
