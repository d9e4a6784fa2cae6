"""The Excel export, read back with openpyxl: sheets, headers, numeric cells, one row per unit x indicator."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from assessment.domain.models import AssessmentStatus
from assessment.domain.scoring import round2, score
from assessment.extensions import db
from tests.factories import INSTRUMENT, fill, make_unit, mark_verified, set_status

UNIT_HEADER = ["Peringkat", "Unit layanan", "Singkatan", "Jenis", "Status", "Aspek A", "Aspek B", "Aspek C", "Aspek D",
               "Aspek E", "Aspek F", "IPP", "Nilai konversi", "Predikat", "Kategori", "IPP mandiri"]
INDICATOR_HEADER = ["Unit layanan", "Kode", "Indikator", "Level mandiri", "Level verifikasi", "Catatan evaluator"]


@pytest.fixture
def exported(client, auth, world):
    """DPMPTSP verified (4 everywhere, 29.f.B lowered to 0 with a note); Disdukcapil submitted; one unit not started."""
    fill(world.assessment, world.opd, level_of=lambda indicator: 4)
    mark_verified(world.assessment, world.reviewer, {"29.f.B": 0})
    world.assessment.reviews["1.a.Ak"].note = "=HYPERLINK(\"http://contoh.invalid\")"  # must stay text
    fill(world.other_assessment, world.other_opd, level_of=lambda indicator: 3)
    set_status(world.other_assessment, AssessmentStatus.SUBMITTED)
    make_unit("Kecamatan Baru")
    db.session.commit()
    auth.login("organisasi")
    response = client.get(f"/organisasi/hasil/{world.period.year}/excel")
    assert response.status_code == 200
    return world, response


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_download_is_an_xlsx_attachment_named_by_year(exported):
    world, response = exported
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f"attachment; filename=hasil-pekppp-{world.period.year}.xlsx"


def test_unit_sheet_has_numeric_scores_and_one_row_per_unit(exported):
    world, response = exported
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Unit", "Indikator"]
    sheet = book["Unit"]
    rows = rows_of(sheet)
    assert rows[0] == UNIT_HEADER
    assert sheet["A1"].font.b and sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width > 30

    verified = score(INSTRUMENT, world.assessment.verified_levels())
    by_unit = {row[2]: row for row in rows[1:]}
    assert set(by_unit) == {"DPMPTSP", "Disdukcapil", "Kecamatan Baru"}
    first = by_unit["DPMPTSP"]
    assert first[:5] == [1, "Unit DPMPTSP", "DPMPTSP", "Dinas", "Terverifikasi"]
    assert first[11] == float(round2(verified.ipp)) == 3.76  # (88 x 4 + 12 x 2) / 100
    assert first[10] == 2.0 and first[12] == 75.2 and first[13:] == ["B", "Baik", 4.0]
    ipp_cell = sheet.cell(row=rows.index(first) + 1, column=12)
    assert ipp_cell.data_type == "n" and ipp_cell.number_format == "0.00"

    # Not verified: status and the self-assessed IPP only.
    assert by_unit["Disdukcapil"][:5] == [None, "Unit Disdukcapil", "Disdukcapil", "Dinas", "Dikirim"]
    assert by_unit["Disdukcapil"][5:15] == [None] * 10 and by_unit["Disdukcapil"][15] == 3.0
    assert by_unit["Kecamatan Baru"][4] == "Belum mulai" and by_unit["Kecamatan Baru"][15] is None


def test_indicator_sheet_has_a_row_per_unit_and_indicator(exported):
    _, response = exported
    sheet = load_workbook(BytesIO(response.data))["Indikator"]
    rows = rows_of(sheet)
    assert rows[0] == INDICATOR_HEADER and sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert len(rows) - 1 == 3 * 30
    changed = next(row for row in rows if row[0] == "Unit DPMPTSP" and row[1] == "29.f.B")
    assert changed == ["Unit DPMPTSP", "29.f.B", INSTRUMENT.item("29.f.B").title, 4, 0, "Bukti dukung belum memadai."]
    agreed = next(row for row in rows if row[0] == "Unit DPMPTSP" and row[1] == "2.a.P")
    assert agreed[3:] == [4, 4, None]
    submitted = next(row for row in rows if row[0] == "Unit Disdukcapil" and row[1] == "2.a.P")
    assert submitted[3:] == [3, None, None]  # no verified level before verification
    assert [row[3:] for row in rows if row[0] == "Unit Kecamatan Baru"] == [[None, None, None]] * 30


def test_text_that_looks_like_a_formula_stays_text(exported):
    _, response = exported
    sheet = load_workbook(BytesIO(response.data))["Indikator"]
    note = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Unit DPMPTSP" and row[1].value == "1.a.Ak")[5]
    assert note.value.startswith("=HYPERLINK") and note.data_type == "s"


def test_unknown_year_is_404(client, auth, world):
    auth.login("organisasi")
    assert client.get("/organisasi/hasil/1999/excel").status_code == 404


def test_period_without_any_unit_still_exports_headers(client, auth, world):
    for unit in (world.unit, world.other_unit):
        unit.active = False
    db.session.commit()
    auth.login("admin")
    book = load_workbook(BytesIO(client.get(f"/organisasi/hasil/{world.period.year}/excel").data))
    assert rows_of(book["Unit"]) == [UNIT_HEADER] and rows_of(book["Indikator"]) == [INDICATOR_HEADER]
