"""Scenario 6, instruments without code: the admin downloads the current instrument as Excel, changes it, uploads
it, sees a broken file refused problem by problem, previews the changes side by side and stores the new version;
an OPD head reads the whole instrument on a laptop, on a phone and on paper."""
from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook

from tests.browser.helpers import SCREENSHOTS, Screenshots, expect, log_in

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # requirements-browser.txt installs it; without it the accessibility checks are skipped
    Axe = None

SCENARIO = "6-instrumen"
pytestmark = pytest.mark.browser

BROKEN_YAML = b"code: RUSAK\nname: Rusak\naspects:\n  - code: a\n    name: A\n    weight: 90\n    indicators: []\n"


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def accessible(page) -> bool:
    """No critical or serious axe-core violation on the page (fails with the list of them)."""
    if Axe is None:
        return True
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']]}" for v in violations
               if v["impact"] in ("critical", "serious")]
    assert not serious, f"{page.url}: " + "; ".join(serious)
    return True


def test_admin_turns_the_spreadsheet_into_a_new_version(open_page, tmp_path):
    screenshots = Screenshots(f"{SCENARIO}-admin")
    page = open_page()
    log_in(page, "admin")
    page.goto("/admin/instrumen")
    expect(page.get_by_role("heading", level=1, name="Instrumen penilaian")).to_be_visible()
    screenshots.take(page, "daftar-versi")
    assert accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PEKPPP-2025 sebagai spreadsheet").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    workbook["Keterangan"]["B1"] = "PEKPPP-2026"
    sheet = workbook["Instrumen"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == "24.d.T" and r[9].value == 5)
    row[10].value = "Data dan informasi pelayanan publik dimutakhirkan setiap hari, rinci dan lengkap."
    edited = tmp_path / "instrumen-2026.xlsx"
    workbook.save(edited)

    (tmp_path / "rusak.yaml").write_bytes(BROKEN_YAML)
    page.get_by_label("Berkas instrumen").set_input_files(str(tmp_path / "rusak.yaml"))
    page.get_by_role("button", name="Periksa dan pratinjau").click()
    expect(page.get_by_role("heading", name="rusak.yaml tidak disimpan: 2 masalah ditemukan")).to_be_visible()
    screenshots.take(page, "berkas-rusak", full_page=False)
    assert accessible(page)

    page.get_by_label("Berkas instrumen").set_input_files(str(edited))
    page.get_by_role("button", name="Periksa dan pratinjau").click()
    expect(page.get_by_role("heading", level=1, name="Pratinjau PEKPPP-2026")).to_be_visible()
    expect(page.get_by_text("1 butir berubah, ditambah, atau dihapus; 30 butir sama persis dengan PEKPPP-2025.")).to_be_visible()
    expect(page.locator(".diff-new").filter(has_text="setiap hari, rinci dan lengkap")).to_be_visible()
    screenshots.take(page, "pratinjau-perbandingan", full_page=False)
    assert accessible(page)
    page.locator("#aspek-c").scroll_into_view_if_needed()
    screenshots.take(page, "pratinjau-isi", full_page=False)
    page.get_by_role("button", name="Simpan versi ini").first.click()
    expect(page.get_by_text("Instrumen PEKPPP-2026 tersimpan dan dapat dipilih untuk periode baru.")).to_be_visible()
    screenshots.take(page, "tersimpan", full_page=False)
    page.goto("/admin/periode/baru")
    expect(page.get_by_label("Instrumen")).to_have_value(page.locator("#instrument_id option").first.get_attribute("value"))
    assert "PEKPPP-2026" in page.locator("#instrument_id option:checked").inner_text()


def test_the_preview_reads_on_a_phone(open_page):
    screenshots = Screenshots(f"{SCENARIO}-ponsel")
    page = open_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, "admin")
    page.goto("/admin/instrumen")
    assert fits_the_width(page), "the instrument list scrolls sideways on a phone"
    screenshots.take(page, "daftar-ponsel", full_page=False)
    page.goto("/admin/instrumen/bawaan/pekppp-2025.yaml")
    expect(page.get_by_role("heading", level=1, name="Pratinjau PEKPPP-2025")).to_be_visible()
    expect(page.get_by_role("heading", name="Perbandingan dengan PEKPPP-2023")).to_be_visible()
    assert fits_the_width(page), "the preview scrolls sideways on a phone"
    screenshots.take(page, "pratinjau-ponsel", full_page=False)
    assert accessible(page)
    page.locator(".diff-table").nth(1).scroll_into_view_if_needed()
    screenshots.take(page, "perbandingan-ponsel", full_page=False)
    page.goto("/admin/unit")
    page.get_by_role("link", name="Ubah DPMPTSP").tap()
    page.get_by_label("Cara pelayanan").scroll_into_view_if_needed()
    screenshots.take(page, "unit-cara-pelayanan-ponsel", full_page=False)
    assert fits_the_width(page) and accessible(page)


def test_opd_reads_the_whole_instrument_on_screen_phone_and_paper(open_page, tmp_path):
    screenshots = Screenshots(f"{SCENARIO}-opd")
    page = open_page()
    log_in(page, "dpmptsp")
    page.get_by_role("link", name="Instrumen").click()
    expect(page.get_by_role("heading", level=1, name="Instrumen PEKPPP 2025 (F-02 resmi, dengan fakta F-01)")).to_be_visible()
    expect(page.locator(".instrument-item")).to_have_count(31)
    screenshots.take(page, "instrumen-laptop", full_page=False)
    assert accessible(page)
    page.locator("#ind-18_c_K").scroll_into_view_if_needed()
    screenshots.take(page, "instrumen-18-laptop", full_page=False)
    pdf = tmp_path / "instrumen.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(screenshots_path(screenshots, "cetak"))],
                   check=True)
    phone = open_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(phone, "dpmptsp")
    phone.goto("/instrumen/")
    assert fits_the_width(phone), "the instrument page scrolls sideways on a phone"
    screenshots.take(phone, "instrumen-ponsel", full_page=False)
    phone.locator("#ind-16_c_As").scroll_into_view_if_needed()
    screenshots.take(phone, "instrumen-16-ponsel", full_page=False)
    phone.locator("#ind-16_c_As summary").tap()  # the daring variant unfolds
    expect(phone.locator("#ind-16_c_As details.variant")).to_have_attribute("open", "")
    phone.locator("#ind-16_c_As details.variant").scroll_into_view_if_needed()
    screenshots.take(phone, "varian-daring-ponsel", full_page=False)


def screenshots_path(screenshots, name: str):
    """Where pdftoppm writes the printed pages (it adds -1.png, -2.png, ...), numbered like the screenshots."""
    screenshots.count += 1
    return SCREENSHOTS / f"{screenshots.scenario}-{screenshots.count:02d}-{name}"
