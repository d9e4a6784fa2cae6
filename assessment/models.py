"""Database models (SQLAlchemy 2, typed). Behaviour lives in the feature services."""
from __future__ import annotations

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .instrument import Instrument
from .instrument.loader import parse_instrument_text


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL; shown in WIB by the formatting module."""
    return datetime.now(UTC).replace(tzinfo=None)


def _enum(kind: type[enum.Enum]) -> sa.Enum:
    # Stored as its value in a plain string column, so adding a member needs no ALTER TYPE.
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Role(enum.StrEnum):
    OPD = "opd"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class UnitKind(enum.StrEnum):
    DINAS = "dinas"
    BADAN = "badan"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    LAINNYA = "lainnya"


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VERIFIED = "verified"


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind))
    active: Mapped[bool] = mapped_column(default=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    nip: Mapped[str | None] = mapped_column(sa.String(18))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(_enum(Role))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class InstrumentVersion(db.Model):
    """An imported instrument file, kept verbatim so a period always scores with its own year's rules."""

    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    definition: Mapped[str] = mapped_column(sa.Text)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def instrument(self) -> Instrument:
        return parse_instrument_text(self.definition)


class Period(db.Model):
    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"))
    opens_on: Mapped[date]
    deadline: Mapped[date]
    is_open: Mapped[bool] = mapped_column(default=True)

    instrument_version: Mapped[InstrumentVersion] = relationship()

    @property
    def instrument(self) -> Instrument:
        return self.instrument_version.instrument


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (sa.UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    status: Mapped[AssessmentStatus] = mapped_column(_enum(AssessmentStatus), default=AssessmentStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    answers: Mapped[dict[str, Answer]] = relationship(
        collection_class=attribute_keyed_dict("indicator_code"),
        cascade="all, delete-orphan",
        back_populates="assessment",
    )

    @property
    def instrument(self) -> Instrument:
        return self.period.instrument

    def levels(self) -> dict[str, int | None]:
        return {code: answer.level for code, answer in self.answers.items()}


class Answer(db.Model):
    """One indicator's self-assessed level and justification; kept even while the level is unset."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_code"),
        sa.CheckConstraint("level BETWEEN 0 AND 5", name="answer_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"))
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    level: Mapped[int | None]
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()
