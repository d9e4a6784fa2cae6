"""The survey pages of the unit and the Bagian Organisasi: numbers from skm.py/f03.py, access, paper questionnaires,
settings, the poster and the Laporan SKM by their text, attaching the report, the Excel export."""
from __future__ import annotations

import io
import random
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.domain import f03, skm
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus, Channel, EvidenceFile, SurveyResponse
from assessment.extensions import db
from assessment.surveys.attach import SKM_INDICATORS
from assessment.surveys.documents import public_url
from assessment.surveys.services import pemda_survey, record_response, settings_for, unit_survey
from tests import factories
from tests.factories import pdf_text

WEIGHTS = {aspect.code: aspect.weight for aspect in factories.INSTRUMENT.aspects}


def add_responses(world, unit, rows, f03_rows=None, channel=Channel.ONLINE, service="KTP-el", **profile):
    settings = settings_for(unit, world.period)
    f03_rows = f03_rows or [[None] * len(f03.items_of(settings.f03_form))] * len(rows)
    for answers, statements in zip(rows, f03_rows, strict=True):
        record_response(unit, world.period, settings, skm_answers=answers, f03_answers=statements,
                        profile={"service_type": service, **profile}, channel=channel, answered_on=today_wib(),
                        nonce=secrets.token_hex(16) if channel == Channel.ONLINE else None,
                        entered_by=world.opd if channel == Channel.PAPER else None)
    db.session.commit()


def random_rows(seed: int, count: int, size: int, low: int, high: int, skip: float = 0.1):
    rng = random.Random(seed)
    return [[None if rng.random() < skip else rng.randint(low, high) for _ in range(size)] for _ in range(count)]


def unit_page(client, world, unit=None):
    return client.get(f"/survei/{world.period.year}/unit/{(unit or world.unit).id}")


def test_the_sums_in_sql_give_the_same_numbers_as_the_module(world):
    """Per unit, per service type and Pemda-wide, the database's tallies score like skm.score on the raw rows."""
    ktp, kk, other = random_rows(1, 23, 9, 1, 4), random_rows(2, 17, 9, 1, 4), random_rows(3, 11, 9, 2, 4)
    add_responses(world, world.unit, ktp, service="KTP-el")
    add_responses(world, world.unit, kk, service="Kartu Keluarga")
    add_responses(world, world.other_unit, other, service="Akta")
    survey = unit_survey(world.unit, world.period, today_wib())
    assert survey.skm == skm.score([r for r in ktp + kk if any(a is not None for a in r)])
    assert survey.by_service["KTP-el"] == skm.score([r for r in ktp if any(a is not None for a in r)])
    assert survey.by_service["Kartu Keluarga"].nilai_shown == skm.score(
        [r for r in kk if any(a is not None for a in r)]).nilai_shown
    everyone = pemda_survey(world.period)
    assert everyone.skm == skm.score([r for r in ktp + kk + other if any(a is not None for a in r)])
    assert [row.responses for row in everyone.rows] == [40, 11]


def test_f03_is_shown_from_the_period_s_minimum(world):
    statements = random_rows(4, 9, 14, 0, 5, skip=0)
    add_responses(world, world.unit, [[4] * 9] * 9, statements)
    survey = unit_survey(world.unit, world.period, today_wib())
    assert (survey.f03.respondents, survey.f03_shown) == (9, False)
    extra = random_rows(5, 1, 14, 0, 5, skip=0)
    add_responses(world, world.unit, [[4] * 9], extra)
    survey = unit_survey(world.unit, world.period, today_wib())
    assert survey.f03_shown and survey.f03 == f03.result(f03.tally(f03.LURING, statements + extra), WEIGHTS)
    world.period.survey_min_respondents = 11
    assert not unit_survey(world.unit, world.period, today_wib()).f03_shown


def test_the_combined_index_uses_the_period_s_share(client, auth, world):
    factories.fill(world.assessment, world.opd, level_of=lambda indicator: 4)  # IPP 4,00
    db.session.commit()
    add_responses(world, world.unit, [[4] * 9] * 10, [[3] * 14] * 10)  # F-03 index 3,00
    auth.login("admin")
    page = client.get(f"/survei/{world.period.year}")
    assert "Porsi F-03 0 %" in page.text and "Gabungan" not in page.text
    answer = client.post(f"/survei/{world.period.year}/pengaturan", data={"survey_min_respondents": 10, "f03_share": 25})
    assert answer.status_code == 302
    page = client.get(f"/survei/{world.period.year}")
    assert "IPP × 75 % + indeks F-03 × 25 %" in page.text
    row = next(r for r in pemda_survey(world.period).rows if r.unit.id == world.unit.id)
    assert (row.beside.ipp, row.f03.index, row.beside.combined_shown) == (Decimal("4"), 3, Decimal("3.75"))
    assert ">3,75<" in page.text
    refused = client.post(f"/survei/{world.period.year}/pengaturan", data={"survey_min_respondents": 10, "f03_share": 101})
    assert refused.status_code == 302 and db.session.get(type(world.period), world.period.id).f03_share == 25


def test_only_the_admin_sets_the_period(client, auth, world):
    auth.login("organisasi")
    assert client.post(f"/survei/{world.period.year}/pengaturan", data={"f03_share": 50,
                                                                        "survey_min_respondents": 3}).status_code == 403
    assert world.period.f03_share == 0


def test_the_unit_page_shows_the_numbers_and_the_weakest_unsur(client, auth, world):
    add_responses(world, world.unit, [[4, 4, 4, 4, 4, 4, 4, 2, 4], [3, 3, 3, 3, 3, 3, 3, 1, 3]])
    auth.login("dpmptsp")
    page = unit_page(client, world)
    assert page.status_code == 200
    nrr = skm.score([[4, 4, 4, 4, 4, 4, 4, 2, 4], [3, 3, 3, 3, 3, 3, 3, 1, 3]])
    assert nrr.nilai_shown == Decimal("81.94") and ">81,94<" in page.text and "1,5000" in page.text
    assert page.text.count("terendah</span>") == 1 and "table-warning" in page.text
    assert f"/s/{world.period.year}/{world.unit.id}" in page.text
    assert "tampil setelah 10 responden" in page.text


@pytest.mark.parametrize(("username", "unit", "status"), [
    ("dpmptsp", "unit", 200), ("dpmptsp", "other_unit", 404), ("organisasi", "other_unit", 200),
    ("admin", "unit", 200),
])
def test_who_sees_which_unit(client, auth, world, username, unit, status):
    auth.login(username)
    assert unit_page(client, world, getattr(world, unit)).status_code == status


def test_the_overview_is_for_staff_and_the_pages_need_a_login(client, auth, world):
    assert unit_page(client, world).status_code == 302
    auth.login("dpmptsp")
    assert client.get(f"/survei/{world.period.year}").status_code == 403
    assert client.get("/survei/").headers["Location"].endswith(f"/survei/{world.period.year}/unit/{world.unit.id}")


def test_an_operator_enters_a_paper_questionnaire_marked_as_such(client, auth, world):
    auth.login("dpmptsp")
    url = f"/survei/{world.period.year}/unit/{world.unit.id}/kertas"
    data = {**{f"u{n}": "3" for n in range(1, 10)}, "f1": "5", "answered_on": (today_wib() - timedelta(days=2)).isoformat()}
    answer = client.post(url, data=data)
    assert answer.status_code == 302
    response = db.session.scalar(sa.select(SurveyResponse))
    assert (response.channel, response.entered_by_id, response.answered_on) == (
        Channel.PAPER, world.opd.id, today_wib() - timedelta(days=2))
    future = client.post(url, data={**data, "answered_on": (today_wib() + timedelta(days=1)).isoformat()})
    assert future.status_code == 200 and "Tanggal harus antara pembukaan periode dan hari ini." in future.text
    assert "Isi tanggal yang sah." in client.post(url, data={**data, "answered_on": "kemarin"}).text
    empty = client.post(url, data={"answered_on": today_wib().isoformat()})
    assert "Belum ada pertanyaan yang dijawab" in empty.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 1


def test_staff_and_other_units_cannot_enter_paper_questionnaires(client, auth, world):
    auth.login("organisasi")
    assert client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/kertas", data={"u1": "4"}).status_code == 403
    auth.logout()
    auth.login("disdukcapil")
    assert client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/kertas", data={"u1": "4"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 0


def test_no_page_changes_or_removes_a_response(app):
    """Responses are never editable: no route but the two questionnaires writes to them."""
    writing = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
               and rule.endpoint.startswith("survey")}
    assert writing == {"survey_public.form", "surveys.paper", "surveys.unit_settings", "surveys.follow_up",
                       "surveys.attach", "surveys.period_settings"}


def test_settings_and_the_sample_size(client, auth, world):
    auth.login("dpmptsp")
    url = f"/survei/{world.period.year}/unit/{world.unit.id}/pengaturan"
    answer = client.post(url, data={"f03_form": "daring", "population": "1500",
                                    "service_types": "KTP-el\n\n Kartu Keluarga \nKTP-el"})
    assert answer.status_code == 302
    settings = settings_for(world.unit, world.period)
    assert (settings.f03_form, settings.population, settings.service_types) == ("daring", 1500, ["KTP-el", "Kartu Keluarga"])
    assert unit_survey(world.unit, world.period, today_wib()).sample_target == 306
    assert "0 dari 306" in unit_page(client, world).text


def test_the_f03_form_cannot_change_once_responses_exist(client, auth, world):
    add_responses(world, world.unit, [[4] * 9])
    auth.login("dpmptsp")
    client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/pengaturan", data={"f03_form": "daring"})
    assert settings_for(world.unit, world.period).f03_form == "luring"
    assert "tidak dapat diganti setelah ada responden" in unit_page(client, world).text


def test_the_poster_by_its_text(client, auth, world):
    auth.login("dpmptsp")
    answer = client.get(f"/survei/{world.period.year}/unit/{world.unit.id}/poster.pdf")
    assert answer.mimetype == "application/pdf"
    text = pdf_text(answer.data)
    assert "Bagaimana pelayanan kami hari ini?" in text and world.unit.name in text
    assert f"http://localhost/s/{world.period.year}/{world.unit.id}" in text
    assert len(PdfReader(io.BytesIO(answer.data)).pages) == 1


def test_the_poster_prints_the_public_address(app, world):
    app.config["PUBLIC_BASE_URL"] = "https://pekppp.example.go.id/"
    with app.test_request_context():
        assert public_url(world.unit, world.period) == f"https://pekppp.example.go.id/s/{world.period.year}/{world.unit.id}"


def test_the_laporan_skm_by_its_text(client, auth, world):
    add_responses(world, world.unit, [[4, 4, 3, 4, 4, 4, 4, 2, 3]] * 6, suggestion="Tambah kursi ruang tunggu.")
    add_responses(world, world.unit, [[3, 3, 3, 4, 3, 3, 4, 1, 3]] * 4, channel=Channel.PAPER, service="Akta")
    auth.login("dpmptsp")
    client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/tindak-lanjut",
                data={"follow_up_plan": "Membuka kanal pengaduan WhatsApp pada triwulan I."})
    text = pdf_text(client.get(f"/survei/{world.period.year}/unit/{world.unit.id}/laporan-skm.pdf").data)
    for chapter in ("I. Pendahuluan", "II. Metode", "III. Hasil", "IV. Analisis", "V. Rencana tindak lanjut"):
        assert chapter in text
    result = skm.score([[4, 4, 3, 4, 4, 4, 4, 2, 3]] * 6 + [[3, 3, 3, 4, 3, 3, 4, 1, 3]] * 4)
    assert result.nilai_shown == Decimal("83.33")  # NRR 3,6 3,6 3 4 3,6 3,6 4 1,6 3: IKM 30/9
    assert "83,33" in text and "IKM 3,3333" in text and "Mutu B · Baik" in text
    assert "U8 (penanganan pengaduan, saran dan masukan) memperoleh NRR terendah, 1,6000" in text
    assert "Membuka kanal pengaduan WhatsApp pada triwulan I." in text
    assert "Tambah kursi ruang tunggu." in text
    assert "6 isian daring" in text and "4 isian" in text and "Akta" in text


def test_the_report_is_attached_to_the_skm_indicators_in_one_click(client, auth, world):
    add_responses(world, world.unit, [[4] * 9] * 3)
    auth.login("dpmptsp")
    answer = client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/lampirkan")
    assert answer.status_code == 302
    files = list(db.session.scalars(sa.select(EvidenceFile).where(EvidenceFile.assessment_id == world.assessment.id)))
    assert sorted(f.indicator_code for f in files) == sorted(SKM_INDICATORS)
    assert {f.mime_type for f in files} == {"application/pdf"} and len({f.sha256 for f in files}) == 1
    assert files[0].original_name == f"Laporan SKM {world.unit.short_name} {world.period.year}.pdf"
    assert "Laporan SKM terlampir sebagai bukti dukung 6.a.B, 7.a.T, 8.a.Ak, 9.a.Ak." in unit_page(client, world).text


def test_attaching_is_refused_once_the_form_is_submitted(client, auth, world):
    add_responses(world, world.unit, [[4] * 9])
    factories.set_status(world.assessment, AssessmentStatus.SUBMITTED)
    auth.login("dpmptsp")
    client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/lampirkan")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceFile)) == 0
    assert "tidak dapat dilampirkan: Penilaian berstatus dikirim" in unit_page(client, world).text


def test_attaching_without_respondents_is_refused(client, auth, world):
    auth.login("dpmptsp")
    client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/lampirkan")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceFile)) == 0
    assert "Belum ada responden SKM" in unit_page(client, world).text


def test_the_excel_export(client, auth, world):
    add_responses(world, world.unit, [[4, 3, 2, 1, 4, 3, 2, 1, None]], suggestion="=HYPERLINK(\"x\")")
    add_responses(world, world.unit, [[3] * 9], channel=Channel.PAPER)
    auth.login("organisasi")
    answer = client.get(f"/survei/{world.period.year}/unit/{world.unit.id}/responden.xlsx")
    workbook = load_workbook(io.BytesIO(answer.data))
    rows = list(workbook["Responden"].iter_rows(values_only=True))
    assert rows[0][:6] == ("No.", "Tanggal", "Saluran", "Dimasukkan oleh", "U1", "U2")
    assert len(rows) == 3 and rows[1][4:13] == (4, 3, 2, 1, 4, 3, 2, 1, None)
    assert rows[2][2] == "Kertas (dimasukkan petugas)" and rows[2][3] == world.opd.full_name
    assert rows[1][-1] == '=HYPERLINK("x")' and workbook["Responden"].cell(2, len(rows[0])).data_type == "s"
    summary = list(workbook["Ringkasan"].iter_rows(values_only=True))
    assert ("U1", "Persyaratan", 2, 3.5, 87.5, "B") in summary


def test_a_busy_database_keeps_the_typed_paper_questionnaire(client, auth, world, monkeypatch):
    from assessment.surveys import views

    def locked(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    auth.login("dpmptsp")
    monkeypatch.setattr(views, "record_response", locked)
    answer = client.post(f"/survei/{world.period.year}/unit/{world.unit.id}/kertas",
                         data={"u1": "3", "f2": "4", "age": "52", "answered_on": today_wib().isoformat()})
    assert answer.status_code == 503 and "belum tersimpan" in answer.text
    assert 'value="3" autocomplete="off" checked' in answer.text and 'value="52"' in answer.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 0
