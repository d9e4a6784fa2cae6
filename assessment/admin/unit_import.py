"""Importing units from CSV: columns nama, singkatan, jenis, and optionally layanan (luring/daring/keduanya)."""
from __future__ import annotations

from ..domain.labels import DELIVERY_LABELS, KIND_LABELS
from ..domain.models import DeliveryMode, Unit, UnitKind, User
from ..domain.units import all_units
from .csv_import import Column, ImportSpec, PreviewRow, repeat_error, text_errors
from .csv_reading import CsvTable
from .rules import UNIT_NAME_MAX, UNIT_SHORT_NAME_MAX
from .unit_services import UnitDetails, create_unit

KINDS = {kind.value: kind for kind in UnitKind}
DELIVERIES = {"": DeliveryMode.LURING, "luring": DeliveryMode.LURING, "daring": DeliveryMode.DARING,
              "keduanya": DeliveryMode.BOTH, "luring_daring": DeliveryMode.BOTH, "luring_dan_daring": DeliveryMode.BOTH}


def check_units(table: CsvTable) -> list[PreviewRow]:
    units = all_units()
    existing = {"nama": {u.name.lower(): u for u in units}, "singkatan": {u.short_name.lower(): u for u in units}}
    seen: dict[str, dict[str, int]] = {"nama": {}, "singkatan": {}}
    rows = []
    for csv_row in table.rows:
        errors = [csv_row.problem] if csv_row.problem else []
        for column, max_length in (("nama", UNIT_NAME_MAX), ("singkatan", UNIT_SHORT_NAME_MAX)):
            value = csv_row.values[column]
            errors += (text_errors(value, column, max_length) or repeat_error(seen[column], value, csv_row.number, column)
                       or _exists(existing[column].get(value.lower()), column))
        kind_text = csv_row.values["jenis"]
        kind = KINDS.get(kind_text.lower())
        if kind is None:
            errors.append(f"Jenis '{kind_text}' tidak dikenal; isi salah satu: {', '.join(KINDS)}." if kind_text
                          else "Kolom jenis kosong.")
        delivery_text = csv_row.values.get("layanan", "")
        delivery = DELIVERIES.get(delivery_text.lower().replace(" ", "_"))
        if delivery is None:
            errors.append(f"Layanan '{delivery_text}' tidak dikenal; isi luring, daring, atau keduanya (kosong: luring).")
        name, short_name = csv_row.values["nama"], csv_row.values["singkatan"]
        payload = None if errors else UnitDetails(name, short_name, kind, delivery)
        cells = [name, short_name, KIND_LABELS[kind] if kind else kind_text,
                 DELIVERY_LABELS[delivery] if delivery else delivery_text]
        rows.append(PreviewRow(csv_row.number, cells, errors, payload))
    return rows


def _exists(unit: Unit | None, column: str) -> list[str]:
    if unit is None:
        return []
    return [f"Sudah ada unit dengan {column} ini di basis data: {unit.short_name}{'' if unit.active else ' (nonaktif)'}."]


def import_units(rows: list[PreviewRow], actor: User) -> list[Unit]:
    return [create_unit(row.payload, actor, note="Unit diimpor dari CSV") for row in rows]


UNIT_IMPORT = ImportSpec(
    subject="unit",
    title="Impor unit layanan",
    columns=(
        Column("nama", True, "Nama lengkap unit; tidak boleh sama dengan unit lain. Contoh: Dinas Kesehatan."),
        Column("singkatan", True, "Nama singkat yang tampil di daftar; tidak boleh sama dengan unit lain. "
                                  "Dipakai juga pada kolom unit di impor pengguna."),
        Column("jenis", True, f"Salah satu: {', '.join(KINDS)}."),
        Column("layanan", False, "Cara pelayanan: luring, daring, atau keduanya. Kosong atau tanpa kolom ini: luring."),
    ),
    headings=("Nama", "Singkatan", "Jenis", "Layanan"),
    example=(
        ("nama", "singkatan", "jenis", "layanan"),
        ("Dinas Perhubungan", "Dishub", "dinas", "luring"),
        ("Badan Pendapatan Daerah", "Bapenda", "badan", "keduanya"),
        ("Kecamatan Citangkil", "Kec. Citangkil", "kecamatan", "luring"),
        ("UPTD Puskesmas Grogol", "Puskesmas Grogol", "puskesmas", ""),
    ),
    max_rows=2000,
    check=check_units,
    apply=import_units,
)
