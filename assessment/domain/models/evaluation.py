"""The evaluation as a Pemda runs it: the period's evaluator team (decreed by an SK) and who examines what."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, enum_column, utcnow
from .evidence import EvidenceFile
from .people import Unit, User
from .periods import Period

# An assignment of a whole unit (every aspect not given to someone else) has no aspect code. Stored as "" rather
# than NULL so that the unique constraint also holds for whole-unit assignments (NULLs never collide).
WHOLE_UNIT = ""


class TeamRole(enum.StrEnum):
    KETUA = "ketua"      # leads the team: assigns and reassigns, concludes any unit
    ANGGOTA = "anggota"  # examines what is assigned to them


TEAM_ROLE_LABELS = {TeamRole.KETUA: "Ketua", TeamRole.ANGGOTA: "Anggota"}


class EvaluationTeam(Model):
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


class TeamMember(Model):
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
    user: Mapped[User] = relationship(lazy="joined")  # a member is always shown by name
    assignments: Mapped[list[Assignment]] = relationship(back_populates="member", cascade="all, delete-orphan")


class Assignment(Model):
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


class WindowResponse(enum.StrEnum):
    ACCEPTED = "accepted"  # the OPD accepts the provisional result (or, after objecting, has nothing more to object)
    OBJECTED = "objected"  # the OPD filed at least one objection


class VerificationWindow(Model):
    """The masa sanggah: the provisional result sent to the unit, which may accept it or object until
    ``closes_on`` (a WIB date, included); the final verification closes it."""

    __tablename__ = "verification_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closes_on: Mapped[date]
    response: Mapped[WindowResponse | None] = mapped_column(enum_column(WindowResponse))
    # When the OPD said it has nothing (more) to object: the window then ends before closes_on.
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    lapse_recorded_at: Mapped[datetime | None]  # the audit event of a window that ended without the OPD's word
    closed_at: Mapped[datetime | None]  # the final verification

    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    objections: Mapped[list[Objection]] = relationship(
        back_populates="window", cascade="all, delete-orphan", order_by="Objection.id")


class ObjectionAnswer(enum.StrEnum):
    ACCEPTED = "accepted"  # the level changes to the one the evaluator now sets
    REFUSED = "refused"    # the level stays, with the evaluator's reason


class Objection(Model):
    """The unit's objection to one indicator's provisional level, and the evaluator's answer."""

    __tablename__ = "objections"
    __table_args__ = (sa.UniqueConstraint("window_id", "indicator_code"),
                      sa.CheckConstraint("answer_level BETWEEN 0 AND 5", name="objection_level_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(sa.ForeignKey("verification_windows.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    provisional_level: Mapped[int | None]  # as sent to the unit
    reason: Mapped[str] = mapped_column(sa.Text)
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[ObjectionAnswer | None] = mapped_column(enum_column(ObjectionAnswer))
    answer_level: Mapped[int | None]
    answer_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]

    window: Mapped[VerificationWindow] = relationship(back_populates="objections")
    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    # New evidence filed with the objection: EvidenceFile rows attached to it (not the form's bukti dukung).
    evidence: Mapped[list[EvidenceFile]] = relationship(
        primaryjoin="and_(foreign(EvidenceFile.attached_id) == Objection.id, EvidenceFile.attached_to == 'objection')",
        viewonly=True, order_by="EvidenceFile.id")


class NoteMessage(Model):
    """One message of the short conversation on a reviewer's note: the unit's answer or the reviewer's reply."""

    __tablename__ = "note_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
