"""Instruments without code: the admin uploads YAML or Excel, sees every problem or a preview with the changes,
and stores; every user reads the whole instrument of a period on one printable page."""
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import yaml
from openpyxl import load_workbook

from assessment.domain.formatting import today_wib
from assessment.domain.instrument import (
    DEFAULT_INSTRUMENT_PATH,
    LATEST_INSTRUMENT_PATH,
    load_instrument_file,
    parse_instrument,
)
from assessment.domain.instrument.loader import parse_instrument_text
from assessment.domain.instrument.spreadsheet import read_workbook, write_workbook
from assessment.domain.instrument_store import carry, import_instrument
from assessment.domain.models import AuditEvent, DeliveryMode, InstrumentVersion, Period
from assessment.extensions import db
from tests import factories

LATEST = load_instrument_file(LATEST_INSTRUMENT_PATH)
LATEST_TEXT = LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def versions() -> list[str]:
    return list(db.session.scalars(sa.select(InstrumentVersion.code).order_by(InstrumentVersion.id)))


def upload(client, data: bytes, name: str = "instrumen.yaml"):
    return client.post("/admin/instrumen/unggah", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def confirm_token(page: str) -> str:
    return re.search(r'name="content" type="hidden" value="([^"]+)"', page).group(1)


def renamed(text: str, code: str) -> str:
    return text.replace("code: PEKPPP-2025", f"code: {code}", 1)


@pytest.fixture
def admin(client, auth, world):
    auth.login("admin")
    return client


ROUTES = [("get", "/admin/instrumen"), ("post", "/admin/instrumen/unggah"), ("post", "/admin/instrumen/simpan"),
          ("get", "/admin/instrumen/bawaan/pekppp-2025.yaml"), ("get", "/admin/instrumen/PEKPPP-2023"),
          ("get", "/admin/instrumen/PEKPPP-2023/spreadsheet")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_instrument_admin_pages_are_for_admins_only(client, auth, world, method, path):
    assert getattr(client, method)(path).headers["Location"].startswith("/masuk?next=")
    for username in ("dpmptsp", "organisasi"):
        auth.login(username)
        assert getattr(client, method)(path, data={"content": carry(LATEST_TEXT)}).status_code == 403
        auth.logout()
    assert versions() == ["PEKPPP-2023"]


def test_list_shows_each_version_with_its_periods_and_offers_the_bundled_file(admin, world):
    page = admin.get("/admin/instrumen").text
    assert "PEKPPP-2023" in page and f"<td>{world.period.year}</td>" in page and "Memilih level" in page
    assert "PEKPPP-2025" in page and "/admin/instrumen/bawaan/pekppp-2025.yaml" in page


def test_a_stored_version_is_compared_with_the_one_before_it_not_a_newer_one(admin, world):
    import_instrument(LATEST_TEXT)
    import_instrument(renamed(LATEST_TEXT, "PEKPPP-2026"))
    db.session.commit()
    page = admin.get("/admin/instrumen/bawaan/pekppp-2025.yaml").text
    assert "sudah tersimpan dengan isi yang sama" in page and "Perbandingan dengan PEKPPP-2023" in page
    assert "Perbandingan dengan PEKPPP-2026" in upload(admin, renamed(LATEST_TEXT, "PEKPPP-2027").encode()).text


def test_a_bundled_file_is_previewed_against_the_latest_version_and_stored_on_confirm(admin, world):
    page = admin.get("/admin/instrumen/bawaan/pekppp-2025.yaml").text
    assert "Perbandingan dengan PEKPPP-2023" in page and "Bobot dan susunan indikator sama." in page
    assert "Berkas sah: 6 aspek, 30 indikator, 1 informasi tambahan" in page and "Belum disimpan." in page
    assert "Tersedia 13 sarana prasarana atau lebih bagi pengguna layanan kelompok rentan." in page  # 18.c.K, new
    assert "count(sarana) in 10..12" in page  # the preview shows each level's condition
    assert versions() == ["PEKPPP-2023"]  # a preview stores nothing
    done = admin.post("/admin/instrumen/simpan", data={"content": confirm_token(page)}, follow_redirects=True)
    assert "Instrumen PEKPPP-2025 tersimpan" in done.text
    assert versions() == ["PEKPPP-2023", "PEKPPP-2025"]
    stored = db.session.scalar(sa.select(InstrumentVersion).where(InstrumentVersion.code == "PEKPPP-2025"))
    assert stored.instrument == LATEST
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "instrument.import"))
    assert event.new_value == "PEKPPP-2025" and event.user.username == "admin"
    assert "/admin/instrumen/bawaan/" not in admin.get("/admin/instrumen").text  # nothing bundled left to offer


def test_an_uploaded_yaml_shows_what_changed_side_by_side(admin, world):
    import_instrument(LATEST_TEXT)
    db.session.commit()
    changed = (renamed(LATEST_TEXT, "PEKPPP-2026").replace("    weight: 24\n", "    weight: 23\n", 1)
               .replace("    weight: 25\n", "    weight: 26\n", 1)
               .replace("- Tersedia 1–3 sarana prasarana", "- Tersedia 1 sampai 3 sarana prasarana", 1))
    page = upload(admin, changed.encode()).text
    assert "Perbandingan dengan PEKPPP-2025" in page
    assert "Bobot atau susunan indikator berubah" in page
    assert re.search(r"Bobot aspek a</th><td class=\"diff-old\">24</td><td class=\"diff-new\">23</td>", page)
    assert "Tersedia 1 sampai 3 sarana prasarana bagi pengguna layanan kelompok rentan." in page
    assert "2 butir" not in page and "1 butir berubah" in page and "30 butir sama persis" in page
    assert versions() == ["PEKPPP-2023", "PEKPPP-2025"]


def test_a_broken_file_is_refused_with_a_message_per_problem_and_nothing_stored(admin, world):
    broken = renamed(LATEST_TEXT, "PEKPPP-2026").replace(
        'bands: ["0", "1-3", "4-6", "7-9", "10-12", "13+"]', 'bands: ["0", "1-3", "4-5", "7-9", "10-12", "13+"]').replace(
        "    weight: 24\n", "    weight: 20\n", 1).replace("      - code: 2.a.P\n", "      - code: 2.x.P\n", 1)
    page = upload(admin, broken.encode(), "rusak.yaml").text
    assert "rusak.yaml tidak disimpan: 3 masalah ditemukan" in page
    problems = re.findall(r"<li>([^<]+)</li>", page)
    assert "indikator &#39;2.x.P&#39;: huruf aspek pada kode tidak sama dengan aspek &#39;a&#39;" in problems
    assert any(p.startswith("indikator &#39;18.c.K&#39;, aturan: jawaban berikut tidak mendapat level") for p in problems)
    assert "instrumen: jumlah bobot keenam aspek harus 100, bukan 96" in problems
    assert versions() == ["PEKPPP-2023"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Pilih berkas instrumen terlebih dahulu."),
    (b"\xff\xfe\x00 bukan teks", "bukan teks UTF-8"),
    (b"PK\x03\x04 bukan zip", "Berkas bukan spreadsheet Excel (.xlsx) yang dapat dibaca."),
    (b"aspects: [", "bukan YAML/JSON yang sah"),
])
def test_a_file_that_is_not_an_instrument_is_refused_plainly(admin, world, data, message):
    page = upload(admin, data).text if data else admin.post("/admin/instrumen/unggah", data={}).text
    assert message in page
    assert versions() == ["PEKPPP-2023"]


def test_an_excel_workbook_is_read_checked_and_stored_as_the_yaml_it_means(admin, world):
    workbook = load_workbook(io.BytesIO(write_workbook(LATEST)))
    workbook["Keterangan"]["B1"] = "PEKPPP-2026-XLSX"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(admin, buffer.getvalue(), "instrumen.xlsx").text
    assert "Pratinjau PEKPPP-2026-XLSX" in page and "Perbandingan dengan PEKPPP-2023" in page
    admin.post("/admin/instrumen/simpan", data={"content": confirm_token(page)})
    stored = db.session.scalar(sa.select(InstrumentVersion).where(InstrumentVersion.code == "PEKPPP-2026-XLSX"))
    assert yaml.safe_load(stored.definition)["code"] == "PEKPPP-2026-XLSX"
    assert parse_instrument_text(stored.definition).aspects == LATEST.aspects


def test_a_broken_workbook_names_its_sheet_and_row(admin, world):
    workbook = load_workbook(io.BytesIO(write_workbook(LATEST)))
    sheet = workbook["Instrumen"]
    sheet["J5"] = "enam"  # the Level column of the fourth row of 1.a.Ak
    del workbook["Keterangan"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(admin, buffer.getvalue(), "instrumen.xlsx").text
    assert "Lembar &#39;Keterangan&#39; tidak ada dalam berkas." in page
    workbook.create_sheet("Keterangan").append(["Kode", "X-1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(admin, buffer.getvalue(), "instrumen.xlsx").text
    assert "Lembar &#39;Instrumen&#39;, baris 5: Level harus bilangan 0–5, bukan &#39;enam&#39;." in page
    assert versions() == ["PEKPPP-2023"]


def test_the_same_code_with_other_content_cannot_be_stored(admin, world):
    page = upload(admin, DEFAULT_INSTRUMENT_PATH.read_bytes()).text
    assert "sudah tersimpan dengan isi yang sama" in page and "Simpan versi ini" not in page
    altered = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8").replace("title: Sistem antrian", "title: Antrian")
    page = upload(admin, altered.encode()).text
    assert "sudah dipakai versi tersimpan dengan isi yang berbeda" in page and "Simpan versi ini" not in page
    forced = admin.post("/admin/instrumen/simpan", data={"content": carry(altered)}, follow_redirects=True).text
    assert "Instrumen tidak disimpan: kode instrumen &#39;PEKPPP-2023&#39; sudah dipakai oleh isi yang berbeda" in forced
    assert db.session.scalar(sa.select(InstrumentVersion)).instrument.additional[0].title == "Sistem antrian"


@pytest.mark.parametrize("token", ["", "%%%", carry("code: X\n")])
def test_a_tampered_preview_stores_nothing(admin, world, token):
    page = admin.post("/admin/instrumen/simpan", data={"content": token}, follow_redirects=True).text
    assert "Instrumen tidak disimpan" in page
    assert versions() == ["PEKPPP-2023"]


def test_a_stored_version_downloads_as_the_workbook_the_upload_reads(admin, world):
    response = admin.get("/admin/instrumen/PEKPPP-2023/spreadsheet")
    assert response.mimetype == XLSX and "instrumen-PEKPPP-2023.xlsx" in response.headers["Content-Disposition"]
    assert parse_instrument(read_workbook(response.data)) == world.period.instrument
    assert admin.get("/admin/instrumen/TIDAK-ADA/spreadsheet").status_code == 404
    page = admin.get("/admin/instrumen/PEKPPP-2023").text
    assert "Layanan yang diselenggarakan" not in page and "Unit belum memiliki Standar Pelayanan." in page


def test_new_periods_get_the_newest_version_and_old_periods_keep_theirs(admin, world):
    old_instrument = world.period.instrument
    version, _ = import_instrument(LATEST_TEXT)
    db.session.commit()
    form = admin.get("/admin/periode/baru").text
    assert re.search(rf'<option selected value="{version.id}">', form) or re.search(
        rf'<option value="{version.id}" selected>', form)
    assert admin.get(f"/admin/periode/{world.period.id}").text.count(" selected") >= 1
    db.session.refresh(world.period)
    assert world.period.instrument_version.code == "PEKPPP-2023" and world.period.instrument == old_instrument


def period_on_latest(year_offset: int = 1) -> Period:
    version, _ = import_instrument(LATEST_TEXT)
    today = today_wib()
    period = Period(year=today.year + year_offset, title="Periode baru", instrument_version=version,
                    opens_on=today, deadline=today + timedelta(days=30), is_open=True)
    db.session.add(period)
    db.session.commit()
    return period


def test_every_user_reads_the_whole_instrument_of_the_current_period(client, auth, world):
    period_on_latest()
    for username in ("dpmptsp", "organisasi", "admin"):
        auth.login(username)
        page = client.get("/instrumen/").text
        assert "Instrumen PEKPPP 2025 (F-02 resmi, dengan fakta F-01)" in page
        assert "Fakta yang ditanyakan (F-01)" in page and "Kriteria level (F-02)" in page
        assert page.count('class="card instrument-item') == 31 and "Bukti dukung" in page
        assert "Step lobby/ramp/jalan landai dengan pegangan rambat" in page  # a tick-list item of 18.c.K
        assert "Keputusan penetapan Standar Pelayanan" in page  # a fact's evidence
        assert "rule-condition" not in page and "data-print" in page
        assert page.count('<details class="variant mt-3">') == 9  # a luring unit (or staff) sees them folded
        auth.logout()


def test_a_daring_unit_is_told_which_indicators_differ_and_that_they_wait(client, auth, world):
    period_on_latest()
    world.unit.delivery = DeliveryMode.DARING
    db.session.commit()
    auth.login("dpmptsp")
    page = client.get("/instrumen/").text
    assert "Unit Anda tercatat melayani <strong>daring (elektronik)</strong>. 9" in page
    assert "masih menunggu bobot resmi" in page and page.count("<details class=\"variant mt-3\" open>") == 9
    assert "Tersedia fitur keamanan pada layanan elektronik" in page


def test_another_year_can_be_read_and_an_unknown_year_is_404(client, auth, world):
    period_on_latest()
    auth.login("dpmptsp")
    old = client.get(f"/instrumen/?tahun={world.period.year}").text
    assert "Instrumen Penilaian Mandiri PEKPPP" in old and "Fakta yang ditanyakan" not in old
    assert client.get("/instrumen/?tahun=1999").status_code == 404


def test_the_instrument_page_without_any_period_says_so(client, auth, app):
    factories.make_user("kepala", factories.Role.ADMIN)
    db.session.commit()
    auth.login("kepala")
    page = client.get("/instrumen/")
    assert page.status_code == 200 and "Belum ada periode penilaian" in page.text


def test_the_command_line_reads_excel_too_and_lists_every_problem_on_its_own_line(runner, tmp_path):
    workbook = tmp_path / "instrumen.xlsx"
    workbook.write_bytes(write_workbook(LATEST))
    checked = runner.invoke(args=["instrument", "check", str(workbook)])
    assert checked.exit_code == 0
    assert "PEKPPP-2025" in checked.stdout and "dengan fakta F-01, 9 varian daring (8 tertunda)" in checked.stdout
    broken = tmp_path / "rusak.yaml"
    broken.write_text(LATEST_TEXT.replace("    weight: 24\n", "    weight: 20\n", 1).replace(
        'bands: ["0", "1-3", "4-6", "7-9", "10-12", "13+"]', 'bands: ["0", "1-3", "4-5", "7-9", "10-12", "13+"]'))
    refused = runner.invoke(args=["instrument", "check", str(broken)])
    lines = refused.stderr.strip().splitlines()
    assert refused.exit_code == 1 and len(lines) == 2 and all(line.startswith("Kesalahan: ") for line in lines)
    stored = runner.invoke(args=["instrument", "import", str(workbook)])
    assert stored.exit_code == 0 and stored.stdout.startswith("Instrumen disimpan: PEKPPP-2025")
    assert db.session.scalar(sa.select(InstrumentVersion)).instrument == LATEST


def test_a_stored_version_shows_how_each_rule_is_written(admin, world):
    import_instrument(LATEST_TEXT)
    db.session.commit()
    page = admin.get("/admin/instrumen/PEKPPP-2025").text
    assert "Aturan dari fakta ke level: rentang jumlah." in page
    assert "Aturan dari fakta ke level: bertingkat: setiap langkah" in page and "satu syarat per level" in page
