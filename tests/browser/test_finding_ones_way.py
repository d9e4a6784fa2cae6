"""Scenario 9, finding one's way (issue 14 item 4) in a real browser, on a server of its own (it answers an
indicator): the jump list ticks what is saved, lists turn into cards on a phone with the action first, dates
read in words as they are typed, and the queue and the results print without menus, buttons or forms."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import AppServer, PageOpener
from tests.browser.helpers import Screenshots, answer_facts, expect, log_in, reached

SCENARIO = "9-arah"
pytestmark = pytest.mark.browser
PHONE = dict(width=390, height=844, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app_server = AppServer(tmp_path_factory.mktemp("browser-way"))
    app_server.start()
    yield app_server
    app_server.stop()


@pytest.fixture(scope="module")
def screenshots():
    return Screenshots(SCENARIO)


@pytest.fixture
def open_on(browser, server, problems):
    opener = PageOpener(browser, server.url, problems)
    yield opener
    opener.close()


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_jump_list_ticks_an_indicator_once_it_is_saved(open_on, screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    page.goto("/penilaian")
    page.get_by_role("row").filter(has_text="Konsultasi dan Pengaduan").get_by_role("link").click()
    chip = page.get_by_role("navigation", name="Indikator di halaman ini").get_by_role("link", name="25.e.P")
    expect(chip).to_have_accessible_name(re.compile(r"^25\.e\.P\s*, belum dijawab\s*$"))
    answer_facts(page, "25.e.P", reached("25.e.P", 2))  # the current period is answered by facts
    expect(chip).to_have_accessible_name(re.compile(r"^25\.e\.P\s*, terjawab\s*$"))
    expect(chip).to_have_text(re.compile(r"^25\.e\.P ✓"))
    expect(chip).to_have_class("jump-chip answered")
    chip.click()
    assert page.evaluate("location.hash") == "#ind-25_e_P"
    screenshots.take(page, "daftar-loncat", full_page=False)


# The queue of all units (tugas=semua), not only the admin's own tasks in the demo's evaluator team.
@pytest.mark.parametrize("path, action", [("/organisasi/?tugas=semua", "Periksa"), ("/admin/periode/", "Kelola")])
def test_lists_on_a_phone_are_cards_headed_by_their_action(open_on, screenshots, path, action):
    page = open_on(**PHONE)
    log_in(page, "admin")
    page.goto(path)
    first = page.locator("table.table-cards tbody tr").filter(has=page.get_by_role("link", name=action)).first
    button, title = first.get_by_role("link", name=action), first.locator("td.card-title-cell")
    button_box, title_box = button.bounding_box(), title.bounding_box()
    assert button_box["y"] < title_box["y"] + title_box["height"], "the action is not on the card's first line"
    for cell in first.locator("td:not(.card-title-cell):not(.card-action)").all():
        if cell.is_visible():
            assert cell.bounding_box()["y"] >= button_box["y"], "a detail comes before the action"
    assert fits_the_width(page), f"{path} scrolls sideways on a phone"
    screenshots.take(page, f"kartu-{path.strip('/').replace('/', '-')}")


def test_the_history_reads_as_cards_on_a_phone(open_on, screenshots):
    page = open_on(**PHONE)
    log_in(page, "organisasi")
    page.goto("/organisasi/?status=returned")
    page.get_by_role("link", name="Lihat").first.click()
    page.get_by_role("link", name="Riwayat perubahan").click()
    first = page.locator("table.table-cards tbody tr").first
    expect(first.locator("td.card-title-cell")).to_be_visible()
    assert fits_the_width(page)
    screenshots.take(page, "riwayat-ponsel")


def test_a_date_reads_in_words_while_it_is_typed(open_on):
    page = open_on()
    log_in(page, "admin")
    page.goto("/admin/periode/")
    page.get_by_role("link", name="Kelola").first.click()
    deadline = page.get_by_label("Batas pengisian")
    expect(deadline).to_have_accessible_description(page.locator("#deadline-kata").inner_text())
    deadline.fill("2026-11-22")
    expect(page.locator("#deadline-kata")).to_have_text("22 November 2026")


@pytest.mark.parametrize("path", ["/organisasi/", "/organisasi/hasil/"])
def test_the_queue_and_the_results_print_without_menus_buttons_or_forms(open_on, screenshots, path):
    page = open_on()
    log_in(page, "organisasi")
    page.goto(path)
    page.emulate_media(media="print")
    for hidden in ("header.app-header", "footer.app-footer", "main .btn", "main form", "main .pagination"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    screenshots.take(page, f"cetak-{path.strip('/').replace('/', '-')}")
    page.emulate_media(media="screen")
    expect(page.locator("header.app-header")).to_be_visible()
