"""Scenario 2, phone width (390×844): an OPD head starts the form on a phone and autosave keeps the answers."""
from __future__ import annotations

import pytest

from tests.browser.helpers import answer, expect, log_in

SCENARIO = "2-ponsel"
pytestmark = pytest.mark.browser

UNIT = "UPTD Puskesmas Pulomerak"  # not started in the demo


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_opd_answers_two_indicators_on_a_phone(open_page, screenshots):
    page = open_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, "pkm-pulomerak", screenshots)
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    screenshots.take(page, "beranda")
    assert fits_the_width(page), "the dashboard scrolls sideways on a phone"
    page.get_by_role("button", name="Buka menu").tap()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    screenshots.take(page, "menu-terbuka", full_page=False)
    page.get_by_role("link", name="Mulai mengisi").tap()
    expect(page.get_by_role("heading", level=2, name="Aspek A · Kebijakan Pelayanan")).to_be_visible()
    screenshots.take(page, "aspek-a-layar-pertama", full_page=False)
    assert fits_the_width(page), "the aspect page scrolls sideways on a phone"
    answer(page, "1.a.Ak", 3)
    screenshots.take(page, "aspek-a-satu-jawaban", full_page=False)
    answer(page, "2.a.P", 4, "Forum konsultasi publik dengan kader kesehatan dan tokoh masyarakat.")
    page.locator("#autosave-status").scroll_into_view_if_needed()
    screenshots.take(page, "status-tersimpan", full_page=False)
    screenshots.take(page, "aspek-a-dua-jawaban")
    page.reload()
    expect(page.locator("[id='1_a_Ak-level-3']")).to_be_checked()
    expect(page.locator("[id='2_a_P-level-4']")).to_be_checked()
