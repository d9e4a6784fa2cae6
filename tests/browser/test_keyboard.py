"""Scenario 3, keyboard only: answer an indicator and save it without touching the mouse."""
from __future__ import annotations

import pytest

from tests.browser.helpers import autosaved, expect, log_in

SCENARIO = "3-keyboard"
pytestmark = pytest.mark.browser

FIRST = "21_d_T"  # the first indicator of aspect D, which the demo's Disdukcapil has not answered yet
EXPLANATION = "SIPP diperbarui setiap bulan oleh admin layanan."
MAX_TABS = 80


def tab_until(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


def focus_is_visible(page, level: int) -> bool:
    """The focused radio is hidden; its label must carry the focus outline instead."""
    return page.evaluate("""id => {
        const focused = document.activeElement;
        const outline = getComputedStyle(document.querySelector(`label[for="${id}"]`)).outlineStyle;
        return focused.id === id && focused.matches(":focus-visible") && outline !== "none";
    }""", f"{FIRST}-level-{level}")


def test_keyboard_alone_answers_and_saves(open_page, screenshots):
    page = open_page()
    log_in(page, "disdukcapil")
    aspect_d = page.get_by_role("row").filter(has_text="Sistem Informasi Pelayanan Publik").get_by_role("link", name="Isi")
    page.goto(aspect_d.get_attribute("href"))  # a page just loaded: nothing has the focus yet
    tab_until(page, "a.skip-link")
    screenshots.take(page, "tautan-lewati-navigasi", full_page=False)
    tab_until(page, "input[type=radio]")
    assert page.evaluate("document.activeElement.id") == f"{FIRST}-level-0"
    # Space ticks the first level (no answer yet), then each arrow moves on and ticks: one autosave for all four
    autosaved(page, lambda: [page.keyboard.press(key) for key in ("Space", "ArrowDown", "ArrowDown", "ArrowDown")])
    expect(page.locator(f"[id='{FIRST}-level-3']")).to_be_checked()
    assert focus_is_visible(page, 3)
    screenshots.take(page, "level-3-terfokus", full_page=False)
    tab_until(page, f"[id='{FIRST}-justification']")
    autosaved(page, lambda: page.keyboard.type(EXPLANATION))
    tab_until(page, "button[value=save]")
    screenshots.take(page, "tombol-simpan-terfokus", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Draf tersimpan.")).to_be_visible()
    page.reload()
    expect(page.locator(f"[id='{FIRST}-level-3']")).to_be_checked()
    expect(page.locator(f"[id='{FIRST}-justification']")).to_have_value(EXPLANATION)
