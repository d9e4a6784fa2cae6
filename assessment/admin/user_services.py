"""Changes to accounts. Functions flush and audit; the view owns the commit."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain import audit
from ..domain.labels import ROLE_LABELS
from ..domain.lifecycle import ActionRefused
from ..domain.models import Role, Unit, User
from ..domain.sessions import end_sessions_of
from ..extensions import db
from .rules import status_word, temporary_password


@dataclass(frozen=True)
class UserDetails:
    full_name: str
    nip: str | None
    role: Role
    unit: Unit | None
    pangkat: str | None = None  # printed under the signature of a Kepala OPD

    def describe(self) -> str:
        unit = self.unit.short_name if self.unit else "tanpa unit"
        pangkat = f"; {self.pangkat}" if self.pangkat else ""
        return f"{self.full_name}; NIP {self.nip or '–'}{pangkat}; {ROLE_LABELS[self.role]}; {unit}"


def user_details(user: User) -> UserDetails:
    return UserDetails(user.full_name, user.nip, user.role, user.unit, user.pangkat)


def user_named(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def create_user(username: str, details: UserDetails, actor: User, note: str = "Akun dibuat") -> tuple[User, str]:
    """A new account with a one-time password, returned so it can be shown once."""
    password = temporary_password()
    user = User(username=username, full_name=details.full_name, nip=details.nip, pangkat=details.pangkat,
                role=details.role, unit=details.unit, active=True, must_change_password=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.update", actor, note=f"{note}: {username}", new=details.describe())
    return user, password


def update_user(user: User, details: UserDetails, actor: User) -> bool:
    if user.id == actor.id and details.role != user.role:
        raise ActionRefused("Anda tidak dapat mengubah peran akun Anda sendiri.")
    before = user_details(user)
    if details == before:
        return False
    user.full_name, user.nip, user.role, user.unit = details.full_name, details.nip, details.role, details.unit
    user.pangkat = details.pangkat
    db.session.flush()
    audit.record("user.update", actor, note=f"Akun diubah: {user.username}", old=before.describe(), new=details.describe())
    return True


def set_user_active(user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise ActionRefused("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions_of(user, "deactivated")
    db.session.flush()
    audit.record("user.update", actor, note=f"Akun {'diaktifkan' if active else 'dinonaktifkan'}: {user.username}",
                 old=status_word(not active), new=status_word(active))


def reset_password(user: User, actor: User) -> str:
    """Replace the password with a one-time one the user must change at the next login."""
    if user.id == actor.id:
        raise ActionRefused("Untuk akun Anda sendiri, gunakan halaman Kata sandi.")
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    end_sessions_of(user, "reset")
    db.session.flush()
    audit.record("user.password_reset", actor, note=f"Akun {user.username}")
    return password
