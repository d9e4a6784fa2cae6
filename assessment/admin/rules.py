"""Validation rules shared by the admin forms and the CSV import, so both refuse the same things."""
from __future__ import annotations

import re
import secrets

from ..domain.labels import ROLE_LABELS
from ..domain.models import Role

UNIT_NAME_MAX = 200
UNIT_SHORT_NAME_MAX = 60
FULL_NAME_MAX = 200
USERNAME_MIN, USERNAME_MAX = 3, 60
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]+")
NIP_LENGTH = 18

# No 0/o, 1/l/i: the password is read off a screen or a printout and typed by hand.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS, TEMPORARY_GROUP_SIZE = 3, 4


def temporary_password() -> str:
    """A random one-time password such as ``k7pm-x3qa-9rtw`` (12 characters, about 59 bits)."""
    groups = (
        "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_GROUP_SIZE))
        for _ in range(TEMPORARY_GROUPS)
    )
    return "-".join(groups)


def normalise_username(value: str | None) -> str:
    return (value or "").strip().lower()


def username_error(username: str) -> str | None:
    """Why a (normalised) username is not acceptable, or None."""
    if not username:
        return "Nama pengguna wajib diisi."
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return f"Nama pengguna harus {USERNAME_MIN}–{USERNAME_MAX} karakter."
    if not USERNAME_PATTERN.fullmatch(username):
        return "Nama pengguna hanya boleh berisi huruf kecil, angka, titik (.), garis bawah (_) dan tanda hubung (-)."
    return None


def normalise_nip(value: str | None) -> str:
    """NIPs are often written in groups ("19800101 200501 1 001"): spaces are dropped."""
    return re.sub(r"\s+", "", value or "")


def nip_error(nip: str) -> str | None:
    """Why a (normalised, non-empty) NIP is not acceptable, or None."""
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        return f"NIP harus tepat {NIP_LENGTH} angka (tanpa huruf atau tanda baca)."
    return None


def unit_requirement_error(role: Role, has_unit: bool) -> str | None:
    """OPD accounts belong to exactly one unit; evaluators and administrators to none."""
    if role == Role.OPD and not has_unit:
        return "Akun OPD wajib memiliki unit."
    if role != Role.OPD and has_unit:
        return f"Akun {ROLE_LABELS[role].lower()} tidak terikat pada unit; kosongkan unit."
    return None


def status_word(active: bool) -> str:
    """How the audit log writes an active flag."""
    return "aktif" if active else "nonaktif"
