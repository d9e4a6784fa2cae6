"""A period's results as an Excel workbook: sheet "Unit" (one row per unit) and "Indikator" (unit x indicator).

Scores are written as numbers with the 0.00 format, rounded half up as the page prints
them, so a sheet and the page never disagree and the cells can still be summed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.labels import KIND_LABELS
from ..domain.models import Answer, Assessment, Review
from ..domain.models.assessments import verified_levels_from
from ..domain.results import PeriodResults
from ..domain.scoring import round2
from ..extensions import db

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORE_FORMAT = "0.00"
UNIT_NAME = frozenset({1})  # positions of the texts that wrap, on each sheet
TITLE_AND_NOTE = frozenset({2, 5})
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")

Cell = str | int | Decimal | None


def workbook_bytes(results: PeriodResults) -> BytesIO:
    stream = BytesIO()
    results_workbook(results).save(stream)
    stream.seek(0)
    return stream


def results_workbook(results: PeriodResults) -> Workbook:
    """Written row by row (openpyxl's write-only mode): time and memory grow with the rows, nothing more."""
    workbook = Workbook(write_only=True)
    _fill_units(workbook.create_sheet("Unit"), results)
    _fill_indicators(workbook.create_sheet("Indikator"), results)
    return workbook


def _fill_units(sheet: WriteOnlyWorksheet, results: PeriodResults) -> None:
    aspects = results.instrument.aspects
    columns = [("Peringkat", 11), ("Unit layanan", 46), ("Singkatan", 20), ("Jenis", 12), ("Status", 15),
               *((f"Aspek {a.code.upper()}", 10) for a in aspects),
               ("IPP", 9), ("Nilai konversi", 10), ("Predikat", 10), ("Kategori", 24), ("IPP mandiri", 10)]
    sheet.freeze_panes = "C2"  # header row and the unit's rank and name stay in view
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
                        *scores, *predikat, self_ipp], wrapped=UNIT_NAME)


def _fill_indicators(sheet: WriteOnlyWorksheet, results: PeriodResults) -> None:
    sheet.freeze_panes = "A2"
    _header(sheet, [("Unit layanan", 40), ("Kode", 10), ("Indikator", 60), ("Level mandiri", 10),
                    ("Level verifikasi", 11), ("Catatan evaluator", 60)])
    levels, reviews = _levels_and_reviews(results)
    for row in results.rows:
        own_levels = levels[row.assessment.id] if row.assessment else {}
        own_reviews = reviews[row.assessment.id] if row.assessment else {}
        # The verified level only once verified; the reviewer's note whenever one was written.
        verified_levels = (verified_levels_from(own_levels, [(code, r[0], r[1]) for code, r in own_reviews.items()])
                           if row.verified_score else {})
        for indicator in results.instrument.indicators:
            note = own_reviews[indicator.code][2] if indicator.code in own_reviews else None
            _append(sheet, [row.unit.name, indicator.code, indicator.title, own_levels.get(indicator.code),
                            verified_levels.get(indicator.code), note or None], wrapped=TITLE_AND_NOTE)


def _levels_and_reviews(results: PeriodResults) -> tuple[dict[int, dict], dict[int, dict]]:
    """Every level and review decision of the period as plain rows, two queries for any number of units."""
    in_period = Assessment.period_id == results.period.id
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for assessment_id, code, level in db.session.execute(
        sa.select(Answer.assessment_id, Answer.indicator_code, Answer.level).join(Assessment).where(in_period)
    ):
        levels[assessment_id][code] = level
    reviews: dict[int, dict[str, tuple]] = defaultdict(dict)
    for assessment_id, code, *decision in db.session.execute(
        sa.select(Review.assessment_id, Review.indicator_code, Review.decision, Review.verified_level, Review.note)
        .join(Assessment).where(in_period)
    ):
        reviews[assessment_id][code] = tuple(decision)
    return levels, reviews


def _header(sheet: WriteOnlyWorksheet, columns: Sequence[tuple[str, int]]) -> None:
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    cells = []
    for title, _ in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = BOLD, WRAPPED
        cells.append(cell)
    sheet.append(cells)


def _append(sheet: WriteOnlyWorksheet, values: Sequence[Cell], wrapped: frozenset[int] = frozenset()) -> None:
    """One row; only cells that need a format or a guard become styled cells (each one costs ~10 µs more).

    ``wrapped``: positions of long texts that wrap inside their column.
    """
    cells: list[Cell | WriteOnlyCell] = []
    for position, value in enumerate(values):
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = SCORE_FORMAT
        elif isinstance(value, str) and (position in wrapped or value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            # Text typed by users (a note, a unit name) must never run as a formula in Excel.
            cell.data_type = "s"
            if position in wrapped:
                cell.alignment = WRAPPED
        else:
            cell = value
        cells.append(cell)
    sheet.append(cells)
