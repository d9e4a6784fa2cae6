"""Scorecard and Berita Acara PDFs read back as text; verification codes; DRAF mark; cache; fetcher."""
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from assessment.extensions import db
from assessment.formatting import today_wib
from assessment.models import IssuedDocument, PemdaSettings
from assessment.reports import documents
from assessment.reports.pdf import BASE_URL, FetchRefused, StaticOnlyFetcher
from assessment.selfassessment.services import submit_assessment
from tests.factories import fill, mark_verified

STATIC = Path(__file__).resolve().parent.parent / "static"


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def reports_app(app, tmp_path):
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    app.config["PUBLIC_BASE_URL"] = "https://pekppp.cilegon.example"
    return app


@pytest.fixture
def verified(reports_app, world):
    fill(world.assessment, world.opd)  # all at 4 -> 4,00 self-assessed
    submit_assessment(world.assessment, world.opd, today_wib())
    mark_verified(world.assessment, world.reviewer, changes={"14.b.K": 2})  # 4 - 0,15 = 3,85
    db.session.add(PemdaSettings(pemda_name="Pemerintah Kota Cilegon", office_name="Bagian Organisasi", address="",
                                 city="Cilegon", signatory_title="Kepala Bagian Organisasi",
                                 signatory_name="Drs. Hendra Gunawan, M.Si.", signatory_nip="197203151996031002"))
    db.session.commit()
    return world


def test_verified_scorecard_shows_the_numbers_and_signatures(client, auth, verified):
    auth.login("organisasi")
    response = client.get(f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("LAPORAN HASIL PENILAIAN MANDIRI PEKPPP TAHUN", "Unit DPMPTSP", "3,85", "77,00", "B",
                     "Baik", "Terverifikasi", "Pegawai dpmptsp", "NIP 198001012005011001",
                     "Drs. Hendra Gunawan, M.Si.", "NIP 197203151996031002", "Halaman 1 dari"):
        assert expected in text, expected
    assert "DRAF" not in text


def test_unverified_scorecard_carries_the_draft_mark(client, auth, verified):
    auth.login("organisasi")
    text = pdf_text(client.get(f"/laporan/penilaian/{verified.other_assessment.id}/kartu.pdf").data)
    assert "DRAF" in text and "Draf" in text


def test_berita_acara_reads_back(client, auth, verified):
    auth.login("organisasi")
    text = pdf_text(client.get(f"/laporan/penilaian/{verified.assessment.id}/berita-acara.pdf").data)
    assert "BERITA ACARA" in text and "3,85" in text and "14.b.K" in text and "Drs. Hendra Gunawan" in text


def test_a_berita_acara_before_the_verification_is_a_draft_without_signatures(client, auth, verified):
    auth.login("organisasi")
    text = " ".join(pdf_text(client.get(f"/laporan/penilaian/{verified.other_assessment.id}/berita-acara.pdf").data).split())
    assert "DRAF" in text and "belum selesai" in text and "IPP sementara (belum diverifikasi)" in text
    assert "telah dilaksanakan verifikasi" not in text and "Drs. Hendra Gunawan" not in text


def test_opd_gets_its_own_scorecard_only(client, auth, verified):
    auth.login("dpmptsp")
    assert client.get(f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf").status_code == 200
    assert client.get(f"/laporan/penilaian/{verified.other_assessment.id}/kartu.pdf").status_code == 404


def test_verification_page_confirms_a_real_code_and_rejects_a_forged_one(client, auth, verified):
    auth.login("organisasi")
    text = pdf_text(client.get(f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf").data)
    issued = db.session.scalar(sa.select(IssuedDocument))
    assert issued.code in text and f"https://pekppp.cilegon.example/v/{issued.code}" in text
    auth.logout()
    page = client.get(f"/v/{issued.code.lower()}")  # public, forgiving about case
    assert page.status_code == 200 and "Dokumen terdaftar" in page.text and "3,85" in page.text
    assert "<td>B · Baik</td>" in page.text  # letter and kategori, not "B (Baik)": some kategori hold brackets
    forged = client.get("/v/AAAA-BBBB-CC")
    assert forged.status_code == 404 and "Kode tidak dikenal" in forged.text


def test_repeat_download_comes_from_the_cache_and_a_change_renders_again(client, auth, verified, monkeypatch):
    auth.login("organisasi")
    url = f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf"
    first = client.get(url).data
    renders = []
    real_render = documents.render_stamped
    monkeypatch.setattr(documents, "render_stamped",
                        lambda html, stamp, root: renders.append(1) or real_render(html, stamp, root))
    assert client.get(url).data == first and renders == []
    verified.assessment.reviews["1.a.Ak"].note = "Catatan baru"
    db.session.commit()
    changed = client.get(url).data
    assert renders == [1] and changed != first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 2


def test_user_text_is_escaped_in_the_document(client, auth, verified):
    verified.assessment.reviews["1.a.Ak"].note = '<img src="http://evil.example/x.png"> <b>tebal</b>'
    db.session.commit()
    auth.login("organisasi")
    text = pdf_text(client.get(f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf").data)
    flat = " ".join(text.split())  # the PDF wraps long cells
    assert '<b>tebal</b>' in flat and '<img src="http://evil.example/' in flat


@pytest.mark.parametrize("url", [
    "http://example.com/logo.png", "https://pekppp.invalid/instance/secret_key", "file:///etc/passwd",
    f"{BASE_URL}static/../wsgi.py", f"{BASE_URL}static/%2e%2e/wsgi.py", f"{BASE_URL}static/css/nope.css",
    "ftp://example.com/x",
])
def test_fetcher_refuses_anything_outside_static(url):
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher(STATIC).fetch(url)


def test_fetcher_serves_static_files_and_inline_data():
    fetcher = StaticOnlyFetcher(STATIC)
    assert fetcher.fetch(f"{BASE_URL}static/css/print.css").read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,SGFsbw==").read() == b"Halo"


def test_settings_page_saves_letterhead_and_refuses_a_fake_logo(client, auth, verified):
    auth.login("admin")
    form = {"pemda_name": "Pemerintah Kota Contoh", "office_name": "Bagian Organisasi", "city": "Contoh",
            "signatory_title": "Kepala Bagian Organisasi", "signatory_name": "Ani", "signatory_nip": "123"}
    assert "NIP terdiri dari 18 angka" in client.post("/admin/kop-surat", data=form).text
    fake = (io.BytesIO(b"MZ\x90\x00 not an image"), "logo.png")
    refused = client.post("/admin/kop-surat", data={**form, "signatory_nip": "", "logo": fake},
                          content_type="multipart/form-data")
    assert "PNG atau JPEG" in refused.text
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "logo.png")
    saved = client.post("/admin/kop-surat", data={**form, "signatory_nip": "", "logo": png},
                        content_type="multipart/form-data", follow_redirects=True)
    assert "Kop surat tersimpan" in saved.text
    settings = db.session.scalar(sa.select(PemdaSettings))
    assert settings.pemda_name == "Pemerintah Kota Contoh" and settings.logo_mime == "image/png"
    auth.logout()
    auth.login("organisasi")
    assert client.get("/admin/kop-surat").status_code == 403


@pytest.mark.parametrize("path", ["/laporan/{year}/rekap.pdf", "/organisasi/hasil/{year}/excel"])
@pytest.mark.parametrize("year", [1900, 99999999999999999999])
def test_a_year_without_a_period_answers_404(client, auth, verified, path, year):
    auth.login("organisasi")
    assert client.get(path.format(year=year)).status_code == 404  # never a database error for a huge number
