"""The instrument as the spreadsheet a Bagian Organisasi works with: one row per indicator level.

Three sheets (names and column headings are matched without regard to case):

- ``Keterangan``: rows ``Kode``, ``Nama``, ``Dasar hukum``, ``Catatan`` (label in column A, value in B);
- ``Instrumen``: one row per level of every indicator (aspect code ``tambahan`` for the weight-0
  items; ``Varian`` = ``daring`` for the online variant of an indicator). The aspect's and the
  indicator's own columns need filling once, on any of their rows; ``Bukti dukung`` and
  ``Penjelasan`` hold one item per line; ``Syarat fakta`` holds each level's condition on the
  facts (see ``rules``);
- ``Fakta`` (optional): one row per fact, then one row per item of its tick list or option of its
  choice (``Kunci butir``, ``Label butir``, ``Lainnya`` = ya for the item the unit names).

``read_workbook`` turns a workbook into the same data an instrument YAML file holds, so the loader's
strict checks apply unchanged; ``write_workbook`` writes any instrument back in this layout.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .errors import InstrumentError
from .facts import Fact, FactKind
from .loader import DARING, Indicator, Instrument, Variant

ADDITIONAL_ASPECT = "tambahan"
XLSX_SIGNATURE = b"PK\x03\x04"

INFO_ROWS = {"kode": "code", "nama": "name", "dasar hukum": "legal_basis", "catatan": "note"}
LEVEL_COLUMNS = ("Kode aspek", "Aspek", "Nama singkat aspek", "Bobot aspek", "Kode indikator", "Varian", "Indikator",
                 "Pertanyaan", "Bobot indikator", "Level", "Kriteria", "Syarat fakta", "Bukti dukung", "Penjelasan",
                 "Sumber", "Nama lain", "Tertunda")
FACT_COLUMNS = ("Kode indikator", "Varian", "Kunci fakta", "Jenis", "Pertanyaan", "Kunci butir", "Label butir", "Lainnya",
                "Penjelasan", "Bukti")
REQUIRED_LEVEL_COLUMNS = ("Kode aspek", "Kode indikator", "Level", "Kriteria")
REQUIRED_FACT_COLUMNS = ("Kode indikator", "Kunci fakta", "Jenis", "Pertanyaan", "Kunci butir", "Label butir")
YES = {"ya", "y", "yes", "true", "1", "x", "✓"}


def is_workbook(data: bytes) -> bool:
    return data.startswith(XLSX_SIGNATURE)


# --- reading -----------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One indicator (or its daring variant) gathered from its rows."""

    aspect: str
    code: str
    variant: bool
    first_row: int
    values: dict[str, Any] = field(default_factory=dict)
    levels: dict[int, tuple[int, str, str]] = field(default_factory=dict)  # level -> (row, criterion, condition)
    facts: list[dict] = field(default_factory=list)


def read_workbook(data: bytes) -> dict:
    """The instrument data in a workbook; InstrumentError lists every problem of its layout."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InstrumentError("Berkas bukan spreadsheet Excel (.xlsx) yang dapat dibaca. Simpan sebagai Buku Kerja Excel "
                              "(.xlsx), lalu unggah lagi.") from None
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        problems: list[str] = []
        for name in ("keterangan", "instrumen"):
            if name not in sheets:
                problems.append(f"Lembar '{name.capitalize()}' tidak ada dalam berkas.")
        if problems:
            raise InstrumentError(problems)
        top = _read_info(sheets["keterangan"], problems)
        items = _read_levels(sheets["instrumen"], problems)
        if "fakta" in sheets:
            _read_facts(sheets["fakta"], items, problems)
        if problems:
            raise InstrumentError(problems)
        return _assemble(top, items)
    finally:
        workbook.close()


def _rows(sheet) -> Iterator[tuple[int, list]]:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(row)


def _cell(row: list, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(sheet, expected: tuple[str, ...], required: tuple[str, ...], problems: list[str]):
    rows = _rows(sheet)
    _, first = next(rows, (1, []))
    names = {str(cell).strip().lower(): i for i, cell in enumerate(first) if cell is not None}
    missing = [name for name in required if name.lower() not in names]
    if missing:
        problems.append(f"Lembar '{sheet.title}': kolom wajib tidak ada pada baris 1: {', '.join(missing)}.")
    return {name: names.get(name.lower()) for name in expected}, rows, not missing


def _read_info(sheet, problems: list[str]) -> dict:
    top: dict[str, str] = {}
    for number, row in _rows(sheet):
        label = _cell(row, 0).lower().rstrip(":")
        if label in INFO_ROWS:
            top[INFO_ROWS[label]] = _cell(row, 1)
        elif label and number > 1:
            problems.append(f"Lembar 'Keterangan', baris {number}: '{_cell(row, 0)}' tidak dikenal; "
                            f"isi Kode, Nama, Dasar hukum, atau Catatan.")
    return {key: value for key, value in top.items() if value}


def _read_levels(sheet, problems: list[str]) -> dict[tuple[str, bool], _Item]:
    columns, rows, ok = _header(sheet, LEVEL_COLUMNS, REQUIRED_LEVEL_COLUMNS, problems)
    items: dict[tuple[str, bool], _Item] = {}
    aspects: dict[str, dict] = {}
    if not ok:
        return items
    for number, row in rows:
        value = {name: _cell(row, index) for name, index in columns.items()}
        if not any(value.values()):
            continue
        where = f"Lembar 'Instrumen', baris {number}"
        code, aspect = value["Kode indikator"], value["Kode aspek"].lower()
        if not code or not aspect:
            problems.append(f"{where}: Kode aspek dan Kode indikator wajib diisi.")
            continue
        variant = value["Varian"].lower()
        if variant not in ("", DARING):
            problems.append(f"{where}: Varian hanya boleh kosong atau 'daring', bukan '{value['Varian']}'.")
            continue
        item = items.setdefault((code, variant == DARING), _Item(aspect, code, variant == DARING, number))
        if item.aspect != aspect:
            problems.append(f"{where}: indikator {code} sudah tercatat pada aspek '{item.aspect}' (baris {item.first_row}).")
            continue
        aspect_values = aspects.setdefault(aspect, {"_row": number})
        for column in ("Aspek", "Nama singkat aspek", "Bobot aspek"):
            _first(aspect_values, column, value[column])
        for column in ("Indikator", "Pertanyaan", "Bobot indikator", "Bukti dukung", "Penjelasan", "Sumber", "Nama lain",
                       "Tertunda"):
            _first(item.values, column, value[column])
        _level_row(item, value, number, where, problems)
    for item in items.values():
        item.values["_aspect"] = aspects[item.aspect]
    return items


def _first(values: dict, column: str, text: str) -> None:
    if text and not values.get(column):
        values[column] = text


def _level_row(item: _Item, value: dict, number: int, where: str, problems: list[str]) -> None:
    try:
        level = int(value["Level"])
    except ValueError:
        level = -1
    if not 0 <= level <= 5:
        problems.append(f"{where}: Level harus bilangan 0–5, bukan '{value['Level']}'.")
    elif level in item.levels:
        problems.append(f"{where}: level {level} indikator {item.code} sudah ada pada baris {item.levels[level][0]}.")
    else:
        item.levels[level] = (number, value["Kriteria"], value["Syarat fakta"])


def _read_facts(sheet, items: dict[tuple[str, bool], _Item], problems: list[str]) -> None:
    columns, rows, ok = _header(sheet, FACT_COLUMNS, REQUIRED_FACT_COLUMNS, problems)
    current: dict | None = None
    if not ok:
        return
    for number, row in rows:
        value = {name: _cell(row, index) for name, index in columns.items()}
        if not any(value.values()):
            continue
        where = f"Lembar 'Fakta', baris {number}"
        if value["Kunci fakta"]:
            item = items.get((value["Kode indikator"], value["Varian"].lower() == DARING))
            if item is None:
                problems.append(f"{where}: indikator '{value['Kode indikator']}' tidak ada pada lembar Instrumen.")
                current = None
                continue
            current = {"key": value["Kunci fakta"], "kind": value["Jenis"], "question": value["Pertanyaan"]}
            if value["Penjelasan"] and not value["Kunci butir"]:
                current["explanation"] = value["Penjelasan"]
            if value["Bukti"]:
                current["evidence"] = value["Bukti"]
            item.facts.append(current)
        if value["Kunci butir"] or value["Label butir"]:
            if current is None:
                problems.append(f"{where}: butir tanpa fakta; isi Kunci fakta pada baris fakta di atasnya.")
                continue
            option = {"key": value["Kunci butir"], "label": value["Label butir"]}
            if value["Lainnya"].lower() in YES:
                option["other"] = True
            if value["Penjelasan"] and not value["Kunci fakta"]:
                option["explanation"] = value["Penjelasan"]
            current.setdefault("options" if current["kind"] == FactKind.CHOICE else "items", []).append(option)


def _assemble(top: dict, items: dict[tuple[str, bool], _Item]) -> dict:
    data: dict[str, Any] = {**top, "aspects": [], "additional": []}
    aspects: dict[str, dict] = {}
    for (code, is_variant), item in items.items():
        if is_variant:
            continue
        entry = _entry(item, variant=False)
        variant = items.get((code, True))
        if variant is not None:
            entry["daring"] = _entry(variant, variant=True)
        if item.aspect == ADDITIONAL_ASPECT:
            data["additional"].append(entry)
            continue
        if item.aspect not in aspects:
            values = item.values["_aspect"]
            aspects[item.aspect] = {"code": item.aspect, "name": values.get("Aspek", ""),
                                    "weight": values.get("Bobot aspek", ""), "indicators": []}
            if values.get("Nama singkat aspek"):
                aspects[item.aspect]["short_name"] = values["Nama singkat aspek"]
            data["aspects"].append(aspects[item.aspect])
        aspects[item.aspect]["indicators"].append(entry)
    if not data["additional"]:
        del data["additional"]
    return data


def _entry(item: _Item, variant: bool) -> dict:
    values = item.values
    entry: dict[str, Any] = {"title": values.get("Indikator", ""), "question": values.get("Pertanyaan", ""),
                             "levels": [item.levels.get(level, (0, "", ""))[1] for level in range(6)]}
    if not variant:
        entry = {"code": item.code, **entry, "weight": values.get("Bobot indikator", "")}
        if values.get("Nama lain"):
            entry["aliases"] = [a.strip() for a in values["Nama lain"].split(",") if a.strip()]
        if values.get("Sumber"):
            entry["source"] = values["Sumber"]
    elif values.get("Tertunda"):
        entry["pending"] = values["Tertunda"]
    if values.get("Bukti dukung") or not variant:
        entry["evidence"] = _lines(values.get("Bukti dukung", ""))
    if values.get("Penjelasan"):
        entry["explanation"] = _lines(values["Penjelasan"])
    conditions = [item.levels.get(level, (0, "", ""))[2] for level in range(6)]
    if item.facts or any(conditions):
        entry["facts"] = item.facts
        entry["rule"] = {"levels": conditions}
    return entry


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- writing -----------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B3D91")
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"Kriteria": 60, "Indikator": 40, "Pertanyaan": 40, "Syarat fakta": 45, "Bukti dukung": 45, "Penjelasan": 50,
          "Label butir": 45, "Aspek": 24, "Tertunda": 30, "Sumber": 24}


def write_workbook(instrument: Instrument) -> bytes:
    workbook = Workbook()
    info = workbook.active
    info.title = "Keterangan"
    for label, value in (("Kode", instrument.code), ("Nama", instrument.name), ("Dasar hukum", instrument.legal_basis),
                         ("Catatan", instrument.note)):
        info.append([label, value])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 16, 100
    levels = _sheet(workbook, "Instrumen", LEVEL_COLUMNS)
    facts = _sheet(workbook, "Fakta", FACT_COLUMNS)
    for aspect_code, aspect, item in _all_items(instrument):
        for asked, variant in ((item, ""), (item.daring, DARING)):
            if asked is None:
                continue
            _write_levels(levels, aspect_code, aspect, item, asked, variant)
            for fact in asked.facts:
                _write_fact(facts, item.code, variant, fact)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _all_items(instrument: Instrument):
    for aspect in instrument.aspects:
        for item in aspect.indicators:
            yield aspect.code, aspect, item
    for item in instrument.additional:
        yield ADDITIONAL_ASPECT, None, item


def _sheet(workbook: Workbook, title: str, columns: tuple[str, ...]):
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    return sheet


def _write_levels(sheet, aspect_code: str, aspect, item: Indicator, asked: Indicator | Variant, variant: str) -> None:
    conditions = [c.text() for c in asked.rule.conditions] if asked.rule else [""] * 6
    for level, criterion in enumerate(asked.levels):
        first = level == 0
        row = {"Kode aspek": aspect_code, "Kode indikator": item.code, "Varian": variant, "Level": level,
               "Kriteria": criterion, "Syarat fakta": conditions[level]}
        if first and aspect is not None:
            row.update({"Aspek": aspect.name, "Nama singkat aspek": aspect.short_name, "Bobot aspek": _number(aspect.weight)})
        if first:
            row.update({"Indikator": asked.title, "Pertanyaan": asked.question, "Bukti dukung": "\n".join(asked.evidence),
                        "Penjelasan": "\n".join(asked.explanation)})
            if variant:
                row["Tertunda"] = asked.pending
            else:
                row.update({"Bobot indikator": _number(item.weight), "Sumber": item.source,
                            "Nama lain": ", ".join(item.aliases)})
        _append(sheet, LEVEL_COLUMNS, row)


def _write_fact(sheet, code: str, variant: str, fact: Fact) -> None:
    _append(sheet, FACT_COLUMNS, {"Kode indikator": code, "Varian": variant, "Kunci fakta": fact.key, "Jenis": fact.kind.value,
                                  "Pertanyaan": fact.question, "Penjelasan": fact.explanation, "Bukti": fact.evidence})
    for option in fact.options:
        _append(sheet, FACT_COLUMNS, {"Kode indikator": code, "Varian": variant, "Kunci butir": option.key,
                                      "Label butir": option.label, "Lainnya": "ya" if option.other else "",
                                      "Penjelasan": option.explanation})


def _append(sheet, columns: tuple[str, ...], row: dict) -> None:
    sheet.append([row.get(name, "") for name in columns])
    for cell in sheet[sheet.max_row]:
        cell.alignment = WRAP


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
