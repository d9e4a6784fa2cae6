"""Scenario 5, phone width (390×844): a service user scans Disdukcapil's QR, answers the survey without logging in,
and the unit's SKM, F-03 and Laporan SKM count the new response."""
from __future__ import annotations

import re
import time

import pytest

from tests.browser.helpers import Screenshots, download, expect, log_in, pdf_text

SCENARIO = "5-survei-ponsel"
pytestmark = pytest.mark.browser

UNIT = "Dinas Kependudukan dan Pencatatan Sipil"
MIN_FILL_SECONDS = 8  # assessment/config.py: a form sent sooner is refused


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def responses_shown(page) -> int:
    return int(page.locator(".results-big").first.inner_text().replace(".", ""))


def test_a_respondent_answers_on_a_phone_and_the_unit_sees_it(open_page, screenshots, problems):
    staff = open_page()
    log_in(staff, "disdukcapil")
    staff.goto("/survei/")
    expect(staff.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    before = responses_shown(staff)
    public_link = staff.locator("a.text-break").get_attribute("href")
    screenshots.take(staff, "unit-sebelum")

    phone = open_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    started = time.monotonic()
    phone.goto(re.sub(r"^https?://[^/]+", "", public_link))  # what the QR code opens
    expect(phone.get_by_role("heading", level=1, name="Survei Kepuasan Masyarakat")).to_be_visible()
    screenshots.take(phone, "formulir-layar-pertama", full_page=False)
    assert fits_the_width(phone), "the survey form scrolls sideways on a phone"
    for number, choice in enumerate(("Sesuai", "Mudah", "Sangat cepat", "Gratis", "Sesuai", "Kompeten",
                                     "Sangat sopan dan ramah", "Berfungsi kurang maksimal", "Baik"), start=1):
        group = phone.locator("fieldset").nth(number - 1)
        group.get_by_role("radio", name=choice, exact=True).tap()  # the whole answer box is the radio's target
        expect(group.get_by_role("radio", name=choice, exact=True)).to_be_checked()
    for statement in range(14):
        phone.locator("fieldset").nth(9 + statement).get_by_role("radio", name=str(4 + statement % 2), exact=True).tap()
    phone.get_by_label("Usia (tahun)").fill("41")
    phone.locator("fieldset").nth(23).get_by_role("radio", name="Perempuan").tap()
    phone.get_by_label("Pendidikan terakhir").select_option(label="SMA/SMK")
    phone.get_by_label("Pekerjaan").select_option(label="Wirausaha")
    phone.get_by_label("Jenis layanan yang Anda terima").select_option(label="Kartu Keluarga")
    phone.get_by_label("Saran dan masukan (boleh dikosongkan)").fill("Uji peramban: loket pengaduan perlu papan nama.")
    screenshots.take(phone, "formulir-terisi")
    time.sleep(max(0.0, MIN_FILL_SECONDS + 1 - (time.monotonic() - started)))
    phone.get_by_role("button", name="Kirim penilaian").tap()
    expect(phone.get_by_role("heading", level=1, name="Terima kasih!")).to_be_visible()
    screenshots.take(phone, "terima-kasih", full_page=False)

    phone.go_back()  # the same phone again today: refused with its reason
    phone.get_by_role("button", name="Kirim penilaian").tap()
    expect(phone.get_by_role("alert")).to_contain_text("Perangkat ini sudah mengirim penilaian untuk unit ini hari ini")
    screenshots.take(phone, "sudah-mengisi", full_page=False)
    refused = problems.take_report()  # the refusal is the point here; nothing else may have gone wrong
    assert refused and all("409" in problem for problem in refused), refused

    staff.reload()
    assert responses_shown(staff) == before + 1
    screenshots.take(staff, "unit-sesudah")
    report = pdf_text(download(staff, staff.get_by_role("link", name="Laporan SKM (PDF)")))
    assert f"{before + 1} responden" in report and "Uji peramban: loket pengaduan perlu papan nama." in report


def test_the_survey_pages_at_phone_and_desktop_width(open_page):
    screenshots = Screenshots("5-survei-lebar-layar")  # its own scenario name: the fixture's would replace the first test's
    for width, height in ((1366, 900), (390, 844)):
        page = open_page(width, height)
        log_in(page, "disdukcapil")
        page.goto("/survei/")
        assert fits_the_width(page), f"the unit's survey page scrolls sideways at {width} px"
        screenshots.take(page, f"unit-{width}")
        public = page.locator("a.text-break").get_attribute("href")
        page.goto(re.sub(r"^https?://[^/]+", "", public))
        assert fits_the_width(page)
        screenshots.take(page, f"formulir-{width}")
        overview = open_page(width, height)
        log_in(overview, "organisasi")
        overview.goto("/survei/")
        expect(overview.get_by_role("heading", level=1)).to_contain_text("SKM dan F-03")
        screenshots.take(overview, f"rekap-{width}")
