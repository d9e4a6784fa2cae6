"""Units (OPD) and the people who log in."""
from __future__ import annotations

import enum
import hashlib

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .. import instrument
from ..extensions import db
from .base import enum_column


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


class DeliveryMode(enum.StrEnum):
    """How a unit delivers its services; the instrument asks some indicators differently of online services."""

    LURING = instrument.LURING  # face to face, at an office
    DARING = instrument.DARING  # online only
    BOTH = instrument.BOTH


DELIVERY_LABELS = {
    DeliveryMode.LURING: "Luring (tatap muka)",
    DeliveryMode.DARING: "Daring (elektronik)",
    DeliveryMode.BOTH: "Luring dan daring",
}

KIND_LABELS = {
    UnitKind.DINAS: "Dinas",
    UnitKind.BADAN: "Badan",
    UnitKind.KECAMATAN: "Kecamatan",
    UnitKind.PUSKESMAS: "Puskesmas",
    UnitKind.LAINNYA: "Lainnya",
}


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    active: Mapped[bool] = mapped_column(default=True)
    delivery: Mapped[DeliveryMode] = mapped_column(enum_column(DeliveryMode), default=DeliveryMode.LURING,
                                                   server_default=DeliveryMode.LURING.value)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    nip: Mapped[str | None] = mapped_column(sa.String(18))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Set by an admin's password reset: the temporary password must be replaced at the next login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def get_id(self) -> str:
        """What the session cookie remembers: the id and a stamp of the password, so a new password (set by
        the user or reset by an admin) ends every session opened with the old one."""
        return f"{self.id}:{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
