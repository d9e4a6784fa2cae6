"""Importing accounts from CSV: columns username, nama_lengkap, nip, peran, unit (the unit's singkatan)."""
from __future__ import annotations

import sqlalchemy as sa

from ..domain.labels import ROLE_LABELS
from ..domain.models import Role, Unit, User
from ..domain.units import all_units
from ..extensions import db
from .csv_import import Column, ImportSpec, PreviewRow, repeat_error, text_errors
from .csv_reading import CsvRow, CsvTable
from .rules import FULL_NAME_MAX, nip_error, normalise_nip, normalise_username, unit_requirement_error, username_error
from .user_services import UserDetails, create_user

ROLES = {role.value: role for role in Role}
# Each new account's password is hashed with scrypt (about 0.1 s on purpose), so a file stays small enough
# to import within one request.
MAX_USER_ROWS = 200


def check_users(table: CsvTable) -> list[PreviewRow]:
    taken = set(db.session.scalars(sa.select(User.username)))
    units = {unit.short_name.lower(): unit for unit in all_units()}
    seen: dict[str, int] = {}
    rows = []
    for csv_row in table.rows:
        username = normalise_username(csv_row.values["username"])
        errors = [csv_row.problem] if csv_row.problem else []
        errors += _username_errors(username, taken) or repeat_error(seen, username, csv_row.number, "username")
        full_name = csv_row.values["nama_lengkap"]
        errors += text_errors(full_name, "nama_lengkap", FULL_NAME_MAX)
        nip = normalise_nip(csv_row.values.get("nip"))
        errors += [error] if nip and (error := nip_error(nip)) else []
        role, unit, role_unit_errors = _role_and_unit(csv_row, units)
        errors += role_unit_errors
        cells = [username, full_name, nip, ROLE_LABELS[role] if role else csv_row.values["peran"],
                 unit.short_name if unit else csv_row.values.get("unit", "")]
        payload = None if errors else (username, UserDetails(full_name, nip or None, role, unit))
        rows.append(PreviewRow(csv_row.number, cells, errors, payload))
    return rows


def _username_errors(username: str, taken: set[str]) -> list[str]:
    if not username:
        return ["Kolom username kosong."]
    if error := username_error(username):
        return [error]
    return [f"Username '{username}' sudah dipakai akun lain di basis data."] if username in taken else []


def _role_and_unit(csv_row: CsvRow, units: dict[str, Unit]) -> tuple[Role | None, Unit | None, list[str]]:
    role_text, unit_text = csv_row.values["peran"], csv_row.values.get("unit", "")
    role = ROLES.get(role_text.lower())
    unit = units.get(unit_text.lower()) if unit_text else None
    errors = []
    if role is None:
        errors.append(f"Peran '{role_text}' tidak dikenal; isi salah satu: {', '.join(ROLES)}." if role_text
                      else "Kolom peran kosong.")
    if unit_text and unit is None:
        errors.append(f"Unit '{unit_text}' tidak ditemukan; isi dengan singkatan unit seperti pada daftar unit.")
    elif unit is not None and not unit.active:
        errors.append(f"Unit '{unit.short_name}' nonaktif; aktifkan unit itu terlebih dahulu.")
    if role is not None and (error := unit_requirement_error(role, bool(unit_text))):
        errors.append(error)
    return role, unit, errors


def import_users(rows: list[PreviewRow], actor: User) -> list[tuple[User, str]]:
    return [create_user(*row.payload, actor, note="Akun diimpor dari CSV") for row in rows]


USER_IMPORT = ImportSpec(
    subject="pengguna",
    title="Impor pengguna",
    columns=(
        Column("username", True, "Nama pengguna untuk masuk: huruf kecil, angka, titik, garis bawah atau tanda hubung; "
                                 "tidak boleh sama dengan akun lain."),
        Column("nama_lengkap", True, "Nama lengkap beserta gelar."),
        Column("nip", False, "Boleh kosong; jika diisi harus 18 angka (spasi diabaikan)."),
        Column("peran", True, "opd (kepala OPD / operator), reviewer (evaluator) atau admin."),
        Column("unit", False, "Singkatan unit seperti pada daftar unit. Wajib untuk peran opd, kosong untuk peran lain."),
    ),
    headings=("Nama pengguna", "Nama lengkap", "NIP", "Peran", "Unit"),
    example=(
        ("username", "nama_lengkap", "nip", "peran", "unit"),
        ("dishub", "Budi Santoso, S.T.", "198103152006041002", "opd", "Dishub"),
        ("kec.citangkil", "Nurhasanah, S.Sos.", "", "opd", "Kec. Citangkil"),
        ("evaluator2", "Dewi Lestari, S.AP.", "199002202015032001", "reviewer", ""),
    ),
    max_rows=MAX_USER_ROWS,
    check=check_users,
    apply=import_users,
)
