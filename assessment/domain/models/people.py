"""Units (OPD) and the people who log in."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db
from .. import instrument
from .base import enum_column, utcnow


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


# Pangkat and golongan ruang of civil servants (PP 99/2000), as printed under a signature.
PANGKAT_GOLONGAN = (
    "Juru Muda (I/a)", "Juru Muda Tingkat I (I/b)", "Juru (I/c)", "Juru Tingkat I (I/d)",
    "Pengatur Muda (II/a)", "Pengatur Muda Tingkat I (II/b)", "Pengatur (II/c)", "Pengatur Tingkat I (II/d)",
    "Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)", "Penata Tingkat I (III/d)",
    "Pembina (IV/a)", "Pembina Tingkat I (IV/b)", "Pembina Utama Muda (IV/c)", "Pembina Utama Madya (IV/d)",
    "Pembina Utama (IV/e)",
)


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
    pangkat: Mapped[str | None] = mapped_column(sa.String(60))  # one of PANGKAT_GOLONGAN; printed when the user signs
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Set by an admin's password reset: the temporary password must be replaced at the next login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Reminders and notices by e-mail (assessment/notices/): the address the user gives, and their opt-out.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    email_notices: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    # The server-side session (UserSession) this object was logged in or loaded with, as the cookie names it;
    # set by auth/sessions.py. A plain attribute, not a column.
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the token of a server-side session, not the user's id,
        so ending that session (logout, a new password, a reset, deactivation) ends the login."""
        if self.session_token is None:
            raise RuntimeError("log in through auth.sessions.start_session, which opens a server-side session")
        return self.session_token

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class UserSession(db.Model):
    """One login: the cookie carries a random token, this row its hash; checked on every request."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # refreshed at most once a minute
    ended_at: Mapped[datetime | None]
    # logout, idle, lifetime, password (changed by its owner), reset (by an admin), deactivated
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))

    user: Mapped[User] = relationship()
