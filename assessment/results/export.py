"""A period's results as an Excel workbook: sheet "Unit" (one row per unit) and "Indikator" (unit x indicator).

Scores are written as numbers with the 0.00 format, rounded half up as the page prints
them, so a sheet and the page never disagree and the cells can still be summed.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..models import KIND_LABELS
from ..scoring import round2
from .services import PeriodResults

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORE_FORMAT = "0.00"
LEVEL_FORMAT = "0"

Cell = str | int | Decimal | None


def workbook_bytes(results: PeriodResults) -> BytesIO:
    stream = BytesIO()
    results_workbook(results).save(stream)
    stream.seek(0)
    return stream


def results_workbook(results: PeriodResults) -> Workbook:
    workbook = Workbook()
    units_sheet = workbook.active
    units_sheet.title = "Unit"
    _fill_units(units_sheet, results)
    _fill_indicators(workbook.create_sheet("Indikator"), results)
    return workbook


def _fill_units(sheet: Worksheet, results: PeriodResults) -> None:
    aspects = results.instrument.aspects
    columns = [("Peringkat", 11), ("Unit layanan", 46), ("Singkatan", 20), ("Jenis", 12), ("Status", 15),
               *((f"Aspek {a.code.upper()}", 10) for a in aspects),
               ("IPP", 9), ("Nilai konversi", 10), ("Predikat", 10), ("Kategori", 24), ("IPP mandiri", 10)]
    _header(sheet, columns)
    for row in results.rows:
        verified = row.verified_score
        scores: list[Cell] = [None] * (len(aspects) + 2)
        predikat: list[Cell] = [None, None]
        if verified:
            scores = [*(round2(verified.aspects[a.code]) for a in aspects), verified.ipp_shown, verified.konversi]
            predikat = [verified.predikat.letter, verified.predikat.kategori]
        self_ipp = row.self_score.ipp_shown if row.self_score else None
        _append(sheet, [row.rank, row.unit.name, row.unit.short_name, KIND_LABELS[row.unit.kind], row.status_label,
                        *scores, *predikat, self_ipp])
    sheet.freeze_panes = "C2"  # header row and the unit's rank and name stay in view


def _fill_indicators(sheet: Worksheet, results: PeriodResults) -> None:
    _header(sheet, [("Unit layanan", 40), ("Kode", 10), ("Indikator", 60), ("Level mandiri", 10),
                    ("Level verifikasi", 11), ("Catatan evaluator", 60)])
    for row in results.rows:
        answers = row.assessment.answers if row.assessment else {}
        reviews = row.assessment.reviews if row.assessment else {}
        # The verified level only once verified; the reviewer's note whenever one was written.
        verified_levels = row.assessment.verified_levels() if row.assessment and row.verified_score else {}
        for indicator in results.instrument.indicators:
            answer, review = answers.get(indicator.code), reviews.get(indicator.code)
            _append(sheet, [row.unit.name, indicator.code, indicator.title, answer.level if answer else None,
                            verified_levels.get(indicator.code), review.note if review and review.note else None])
    sheet.freeze_panes = "A2"


def _header(sheet: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    sheet.append([title for title, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, Decimal):
            cell.number_format = SCORE_FORMAT
        elif isinstance(cell.value, int):
            cell.number_format = LEVEL_FORMAT
        elif isinstance(cell.value, str):
            # Text typed by users (a note, a unit name) must never run as a formula in Excel.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
