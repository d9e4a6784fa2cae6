"""Scorecard and Berita Acara PDFs read back as text; verification codes; DRAF mark; cache; fetcher."""
import io
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import tanggal, today_wib
from assessment.domain.models import IssuedDocument, PemdaSettings, User
from assessment.domain.reviews import reopen_assessment, verify_assessment
from assessment.extensions import db
from assessment.web.printing import documents
from assessment.web.printing.pdf import BASE_URL, FetchRefused, StaticOnlyFetcher
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
    world.assessment.verified_at = VERIFIED_AT  # a year ago: the documents are signed on this day, not today
    world.opd.pangkat = "Pembina Tingkat I (IV/b)"
    db.session.add(PemdaSettings(pemda_name="Pemerintah Kota Cilegon", office_name="Bagian Organisasi", address="",
                                 city="Cilegon", signatory_title="Kepala Bagian Organisasi",
                                 signatory_name="Drs. Hendra Gunawan, M.Si.", signatory_nip="197203151996031002",
                                 signatory_pangkat="Pembina (IV/a)", sekda_name="Dr. H. Ahmad Sobari, M.Si.",
                                 sekda_nip="196805121993031006", sekda_pangkat="Pembina Utama Madya (IV/d)",
                                 addressee="Wali Kota Cilegon", postal_code="42411", phone="(0254) 000 000",
                                 email="organisasi@contoh.go.id", website="contoh.go.id"))
    db.session.commit()
    return world


VERIFIED_AT = datetime(2025, 11, 20, 3, 0)  # 10.00 WIB, a Thursday


def flat(data: bytes) -> str:
    """The text with every run of white space as one space (the PDF wraps lines where the layout does)."""
    return " ".join(pdf_text(data).split())


def test_verified_scorecard_shows_the_numbers_and_signatures(client, auth, verified):
    auth.login("organisasi")
    response = client.get(f"/laporan/penilaian/{verified.assessment.id}/kartu.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(response.data)
    for expected in ("LAPORAN HASIL PENILAIAN MANDIRI PEKPPP TAHUN", "Unit DPMPTSP", "3,85", "77,00", "B",
                     "Baik", "Terverifikasi", "Pegawai dpmptsp", "Pembina Tingkat I (IV/b)", "NIP 19800101 200501 1 001",
                     "Drs. Hendra Gunawan, M.Si.", "Pembina (IV/a)", "NIP 19720315 199603 1 002", "Halaman 1 dari",
                     "Cilegon, 20 November 2025", "memindai kode QR"):
        assert expected in text, expected
    assert "DRAF" not in text and f"Cilegon, {tanggal(today_wib())}" not in text  # signed when verified


def test_a_draft_scorecard_carries_the_draft_mark_and_no_signature_or_qr(client, auth, verified):
    verified.other_opd.pangkat = "Pembina (IV/a)"
    db.session.commit()
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/penilaian/{verified.other_assessment.id}/kartu.pdf").data)
    assert "DRAF" in text and "Draf" in text and "draf tidak ditandatangani" in text
    for signed in ("Drs. Hendra Gunawan", "Pegawai disdukcapil", "Pembina (IV/a)", "NIP 1", "Kepala Bagian Organisasi",
                   "memindai kode QR"):
        assert signed not in text, signed


def test_berita_acara_follows_the_tata_naskah_dinas(client, auth, verified):
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/penilaian/{verified.assessment.id}/berita-acara.pdf").data)
    year = verified.period.year
    for expected in (
        "BERITA ACARA", f"Nomor: 700/1/BA-PEKPPP/Org/{year}",
        "Pada hari ini Kamis tanggal dua puluh bulan November tahun dua ribu dua puluh lima, "
        "yang bertanda tangan di bawah ini:",
        "Nama : Drs. Hendra Gunawan, M.Si. NIP : 19720315 199603 1 002 Pangkat/golongan : Pembina (IV/a) "
        "Jabatan : Kepala Bagian Organisasi selanjutnya disebut PIHAK PERTAMA",
        "Nama : Pegawai dpmptsp NIP : 19800101 200501 1 001 Pangkat/golongan : Pembina Tingkat I (IV/b) "
        "Jabatan : Kepala Unit DPMPTSP selanjutnya disebut PIHAK KEDUA",
        "3,85", "14.b.K", "Cilegon, 20 November 2025", "PIHAK KEDUA, Kepala Unit DPMPTSP",
        "PIHAK PERTAMA, Kepala Bagian Organisasi",
        "Mengetahui, Sekretaris Daerah Kota Cilegon", "Dr. H. Ahmad Sobari, M.Si. Pembina Utama Madya (IV/d) "
        "NIP 19680512 199303 1 006", "memindai kode QR",
        "42411", "Telepon (0254) 000 000 · Pos-el organisasi@contoh.go.id · Laman contoh.go.id",
    ):
        assert expected in text, expected
    assert f"Cilegon, {tanggal(today_wib())}" not in text  # signed on the day of the verification, not of printing


def test_berita_acara_body_is_12_pt_in_the_bundled_office_face(client, auth, verified):
    """12 pt in "Dokumen Sans", the name print.css gives the Liberation Sans files bundled in static/fonts/."""
    auth.login("organisasi")
    data = client.get(f"/laporan/penilaian/{verified.assessment.id}/berita-acara.pdf").data
    body = []

    def collect(text, cm, tm, font, size):
        if text.startswith("Pada hari ini"):
            body.append((round(size * cm[0] * tm[0], 2), font["/BaseFont"]))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=collect)
    assert body and body[0][0] == 12 and body[0][1].endswith("+Dokumen-Sans")


def test_a_berita_acara_verified_again_names_the_one_it_replaces(client, auth, verified):
    reopen_assessment(verified.assessment, verified.admin, "Koreksi data")
    db.session.commit()
    verify_assessment(verified.assessment, verified.reviewer)
    db.session.commit()
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/penilaian/{verified.assessment.id}/berita-acara.pdf").data)
    year = verified.period.year
    assert f"Nomor: 700/2/BA-PEKPPP/Org/{year}" in text
    assert f"menggantikan Berita Acara Nomor 700/1/BA-PEKPPP/Org/{year}" in text
    assert f"Cilegon, {tanggal(today_wib())}" in text  # the new verification is today's


def test_a_berita_acara_before_the_verification_is_a_draft_without_signatures(client, auth, verified):
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/penilaian/{verified.other_assessment.id}/berita-acara.pdf").data)
    assert "DRAF" in text and "belum selesai" in text and "IPP sementara (belum diverifikasi)" in text
    assert "Nomor: diberikan saat penilaian diverifikasi" in text
    for signed in ("Pada hari ini", "Drs. Hendra Gunawan", "Mengetahui", "PIHAK PERTAMA", "memindai kode QR"):
        assert signed not in text, signed


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
            "signatory_title": "Kepala Bagian Organisasi", "signatory_name": "Ani", "signatory_nip": "123",
            "addressee": "Wali Kota Contoh"}
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
    assert settings.addressee == "Wali Kota Contoh"
    auth.logout()
    auth.login("organisasi")
    assert client.get("/admin/kop-surat").status_code == 403


def test_settings_page_saves_kop_contacts_the_sekda_and_pangkat(client, auth, verified):
    auth.login("admin")
    form = {"pemda_name": "Pemerintah Kota Contoh", "office_name": "Bagian Organisasi", "city": "Contoh",
            "signatory_title": "Kepala Bagian Organisasi", "addressee": "Wali Kota Contoh", "postal_code": "12345",
            "phone": "(021) 123 456", "email": "org@contoh.go.id", "website": "contoh.go.id",
            "signatory_pangkat": "Pembina (IV/a)", "sekda_name": "Budi", "sekda_nip": "19680512 199303 1 006",
            "sekda_pangkat": "Pembina Utama Madya (IV/d)"}
    for field, bad, message in (("postal_code", "1234", "Kode pos terdiri dari 5 angka."),
                                ("email", "bukan surel", "Tulis alamat surel yang sah."),
                                ("sekda_pangkat", "Jenderal", "Pilih pangkat/golongan dari daftar."),
                                ("sekda_nip", "1968", "NIP terdiri dari 18 angka.")):
        refused = client.post("/admin/kop-surat", data=form | {field: bad})
        assert message in refused.text, field
        assert db.session.scalar(sa.select(PemdaSettings)).pemda_name == "Pemerintah Kota Cilegon"  # nothing saved
    assert "Kop surat tersimpan" in client.post("/admin/kop-surat", data=form, follow_redirects=True).text
    settings = db.session.scalar(sa.select(PemdaSettings))
    assert (settings.postal_code, settings.phone, settings.email, settings.website) == (
        "12345", "(021) 123 456", "org@contoh.go.id", "contoh.go.id")
    assert (settings.sekda_name, settings.sekda_nip, settings.sekda_pangkat, settings.signatory_pangkat) == (
        "Budi", "196805121993031006", "Pembina Utama Madya (IV/d)", "Pembina (IV/a)")
    assert "Telepon (021) 123 456 · Pos-el org@contoh.go.id · Laman contoh.go.id" in client.get("/admin/kop-surat").text


def test_the_user_form_keeps_the_pangkat_the_berita_acara_prints(client, auth, verified):
    auth.login("admin")
    form = {"full_name": "Pegawai dpmptsp", "nip": "198001012005011001", "pangkat": "Pembina Utama Muda (IV/c)",
            "role": "opd", "unit_id": str(verified.unit.id)}
    assert "Pilih pangkat/golongan dari daftar." in client.post(f"/admin/pengguna/{verified.opd.id}",
                                                               data=form | {"pangkat": "IV/c"}).text
    client.post(f"/admin/pengguna/{verified.opd.id}", data=form)
    assert db.session.get(User, verified.opd.id).pangkat == "Pembina Utama Muda (IV/c)"
    text = flat(client.get(f"/laporan/penilaian/{verified.assessment.id}/berita-acara.pdf").data)
    assert "Pangkat/golongan : Pembina Utama Muda (IV/c)" in text


@pytest.mark.parametrize("path", ["/laporan/{year}/rekap.pdf", "/organisasi/hasil/{year}/excel"])
@pytest.mark.parametrize("year", [1900, 99999999999999999999])
def test_a_year_without_a_period_answers_404(client, auth, verified, path, year):
    auth.login("organisasi")
    assert client.get(path.format(year=year)).status_code == 404  # never a database error for a huge number


def test_the_pemda_name_of_the_settings_reaches_pages_and_pdfs_alike_until_the_letterhead_is_saved(client, auth, world,
                                                                                                    reports_app):
    """One source: PEKPPP_PEMDA_NAME (config) names the Pemda everywhere until the admin saves the letterhead."""
    reports_app.config["PEMDA_NAME"] = "Pemerintah Kabupaten Contoh"
    fill(world.assessment, world.opd)
    auth.login("organisasi")
    page = client.get(f"/organisasi/penilaian/{world.assessment.id}/riwayat").text
    text = flat(client.get(f"/laporan/penilaian/{world.assessment.id}/kartu.pdf").data)
    assert "PEKPPP Pemerintah Kabupaten Contoh</title>" in page
    assert "PEMERINTAH KABUPATEN CONTOH" in text.upper() and "Cilegon" not in text
    db.session.add(PemdaSettings(pemda_name="Pemerintah Kota Lain", office_name="Bagian Organisasi", city="Lain",
                                 signatory_title="Kepala Bagian Organisasi", addressee="Wali Kota Lain"))
    db.session.commit()
    assert "PEKPPP Pemerintah Kota Lain</title>" in client.get(f"/organisasi/penilaian/{world.assessment.id}/riwayat").text


def test_a_page_reads_the_pemda_name_once_though_it_prints_it_three_times(client, auth, world):
    auth.login("organisasi")
    reads = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if "pemda_settings" in statement:
            reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        page = client.get(f"/organisasi/penilaian/{world.assessment.id}/riwayat").text
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert page.count("Pemerintah Kota Cilegon") >= 3 and len(reads) == 1
