"""The evaluation as a Pemda runs it: the period's evaluator team (decreed by an SK) and who examines what."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import enum_column, utcnow
from .people import Unit, User
from .periods import Period

# An assignment of a whole unit (every aspect not given to someone else) has no aspect code. Stored as "" rather
# than NULL so that the unique constraint also holds for whole-unit assignments (NULLs never collide).
WHOLE_UNIT = ""


class TeamRole(enum.StrEnum):
    KETUA = "ketua"      # leads the team: assigns and reassigns, concludes any unit
    ANGGOTA = "anggota"  # examines what is assigned to them


TEAM_ROLE_LABELS = {TeamRole.KETUA: "Ketua", TeamRole.ANGGOTA: "Anggota"}


class EvaluationTeam(db.Model):
    """The Tim Evaluator of one period, as the decree (SK) that forms it names it."""

    __tablename__ = "evaluation_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"), unique=True)
    sk_number: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    sk_date: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    period: Mapped[Period] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamMember.id")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="Assignment.id")


class TeamMember(db.Model):
    """One account in the team, with the office (jabatan) and NIP printed for it in the SK."""

    __tablename__ = "team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_teams.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    role: Mapped[TeamRole] = mapped_column(enum_column(TeamRole), default=TeamRole.ANGGOTA)
    jabatan: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    nip: Mapped[str] = mapped_column(sa.String(18), default="", server_default="")

    team: Mapped[EvaluationTeam] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="member", cascade="all, delete-orphan")


class Assignment(db.Model):
    """A unit, or one aspect of it, given to a member to examine."""

    __tablename__ = "evaluation_assignments"
    __table_args__ = (sa.UniqueConstraint("team_id", "unit_id", "aspect_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_teams.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    aspect_code: Mapped[str] = mapped_column(sa.String(10), default=WHOLE_UNIT, server_default=WHOLE_UNIT)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("team_members.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[EvaluationTeam] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    member: Mapped[TeamMember] = relationship(back_populates="assignments")
    assigned_by: Mapped[User | None] = relationship()
