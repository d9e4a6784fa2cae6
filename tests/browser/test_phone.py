"""Scenario 2, phone width (390×844): an OPD head starts the form on a phone, answering the F-01 facts of two
indicators (the demo's current period runs on PEKPPP-2025), and autosave keeps the answers."""
from __future__ import annotations

import pytest

from tests.browser.helpers import answer_facts, expect, log_in, shows_facts

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
    answer_facts(page, "1.a.Ak", 3)
    screenshots.take(page, "aspek-a-satu-jawaban", full_page=False)
    answer_facts(page, "2.a.P", 4, "Forum konsultasi publik dengan kader kesehatan dan tokoh masyarakat.")
    page.locator("#autosave-status").scroll_into_view_if_needed()
    screenshots.take(page, "status-tersimpan", full_page=False)
    screenshots.take(page, "aspek-a-dua-jawaban")
    assert fits_the_width(page), "the answered facts make the page scroll sideways on a phone"
    page.reload()
    assert shows_facts(page, "1.a.Ak", 3)
    assert shows_facts(page, "2.a.P", 4)
    expect(page.locator("[id='2_a_P-justification']")).to_have_value(
        "Forum konsultasi publik dengan kader kesehatan dan tokoh masyarakat.")
