"""A unit's survey as an Excel workbook: every response ("Responden") and the numbers ("Ringkasan").

Answers are the stored integers; the numbers are the shown decimals of skm.py and f03.py, written as numbers with
their decimals' format, so the sheet and the page never disagree. Typed text never runs as a formula.
"""
from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain import f03, skm
from ..domain.models import Channel, SurveyResponse
from .profile import EDUCATION, GENDERS, OCCUPATIONS
from .services import UnitSurvey

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANNEL_LABELS = {Channel.ONLINE: "Daring (formulir publik)", Channel.PAPER: "Kertas (dimasukkan petugas)"}
LABELS = {"gender": dict(GENDERS), "education": dict(EDUCATION), "occupation": dict(OCCUPATIONS)}
BOLD = Font(bold=True)


def survey_workbook(survey: UnitSurvey, responses: list[SurveyResponse]) -> BytesIO:
    workbook = Workbook(write_only=True)
    _responses(workbook.create_sheet("Responden"), survey, responses)
    _summary(workbook.create_sheet("Ringkasan"), survey)
    stream = BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def _responses(sheet: WriteOnlyWorksheet, survey: UnitSurvey, responses: list[SurveyResponse]) -> None:
    items = f03.items_of(survey.settings.f03_form)
    sheet.freeze_panes = "B2"
    _row(sheet, ["No.", "Tanggal", "Saluran", "Dimasukkan oleh", *skm.UNSUR_CODES,
                 *(f"F-03 {item.code}" for item in items), "Usia", "Jenis kelamin", "Pendidikan", "Pekerjaan",
                 "Jenis layanan", "Saran"], bold=True)
    for number, response in enumerate(responses, start=1):
        _row(sheet, [number, response.answered_on, CHANNEL_LABELS[response.channel],
                     response.entered_by.full_name if response.entered_by else None, *response.skm_answers(),
                     *response.f03_answers(len(items)), response.age,
                     *(LABELS[name].get(getattr(response, name)) for name in ("gender", "education", "occupation")),
                     response.service_type, response.suggestion])


def _summary(sheet: WriteOnlyWorksheet, survey: UnitSurvey) -> None:
    result = survey.skm
    _row(sheet, [f"SKM {survey.unit.name} {survey.period.year}"], bold=True)
    _row(sheet, ["Responden SKM", result.respondents])
    _row(sheet, ["Unsur", "Nama", "Jumlah jawaban", "NRR", "NRR × 25", "Mutu"], bold=True)
    for position, unsur in enumerate(skm.UNSUR):
        mutu = result.nrr_mutu(unsur.code)
        _row(sheet, [unsur.code, unsur.name, result.tally.counts[position], result.nrr_shown(unsur.code),
                     result.nrr_nilai_shown(unsur.code), mutu.letter if mutu else None])
    _row(sheet, ["IKM", None, None, result.ikm_shown])
    _row(sheet, ["Nilai SKM", None, None, None, result.nilai_shown,
                 f"{result.mutu.letter} · {result.mutu.kinerja}" if result.mutu else None])
    _row(sheet, [])
    index = survey.f03
    _row(sheet, [f"F-03 ({f03.FORM_LABELS[survey.settings.f03_form]})"], bold=True)
    _row(sheet, ["Responden F-03", index.respondents])
    _row(sheet, ["Pernyataan", "Aspek", "Jumlah jawaban", "Rata-rata"], bold=True)
    for position, item in enumerate(f03.items_of(survey.settings.f03_form)):
        _row(sheet, [item.code, item.aspect.upper(), index.tally.counts[position], index.item_shown(item.code)])
    for aspect in f03.ASPECTS:
        _row(sheet, [f"Aspek {aspect.upper()}", None, None, index.aspect_shown(aspect)])
    _row(sheet, ["Indeks F-03 (0–5)", None, None, index.index_shown if survey.f03_shown else None])


def _row(sheet: WriteOnlyWorksheet, values: list, bold: bool = False) -> None:
    cells = []
    for value in values:
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "0." + "0" * -value.as_tuple().exponent if value.as_tuple().exponent < 0 else "0"
        elif isinstance(value, str) or bold:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a respondent's "=…" stays text
            if bold:
                cell.font = BOLD
        else:
            cell = value
        cells.append(cell)
    sheet.append(cells)
