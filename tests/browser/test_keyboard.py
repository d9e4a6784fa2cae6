"""Scenario 3, keyboard only: answer an indicator's F-01 facts (the demo's current period runs on PEKPPP-2025) and
save it without touching the mouse."""
from __future__ import annotations

import pytest

from tests.browser.helpers import autosaved, expect, log_in, shows_facts

SCENARIO = "3-keyboard"
pytestmark = pytest.mark.browser

FIRST = "21_d_T"  # the first indicator of aspect D, which the demo's Disdukcapil has not answered yet
FACTS = f"{FIRST}-fakta"  # its facts: two tick lists and a Ya/Tidak (SIPP Nasional); these answers give level 3
EXPLANATION = "SIPP diperbarui setiap bulan oleh admin layanan."
MAX_TABS = 80


def tab_until(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


def focus_is_visible(page, control_id: str) -> bool:
    """The focused control (a check box or radio the user sees) must show that it has the focus."""
    return page.evaluate("""id => {
        const focused = document.activeElement;
        const style = getComputedStyle(focused);
        return focused.id === id && focused.matches(":focus-visible")
            && (style.outlineStyle !== "none" || style.boxShadow !== "none");
    }""", control_id)


def test_keyboard_alone_answers_and_saves(open_page, screenshots):
    page = open_page()
    log_in(page, "disdukcapil")
    aspect_d = page.get_by_role("row").filter(has_text="Sistem Informasi Pelayanan Publik").get_by_role("link", name="Isi")
    page.goto(aspect_d.get_attribute("href"))  # a page just loaded: nothing has the focus yet
    tab_until(page, "a.skip-link")
    screenshots.take(page, "tautan-lewati-navigasi", full_page=False)
    tab_until(page, "input[type=checkbox], input[type=radio]")
    assert page.evaluate("document.activeElement.id") == f"{FACTS}-nonelektronik-lisan"
    autosaved(page, lambda: page.keyboard.press("Space"))  # a tick list: Space ticks the box in focus
    expect(page.locator(f"[id='{FACTS}-nonelektronik-lisan']")).to_be_checked()
    assert focus_is_visible(page, f"{FACTS}-nonelektronik-lisan")
    tab_until(page, f"[id='{FACTS}-elektronik-belum_daring']")
    autosaved(page, lambda: page.keyboard.press("Space"))
    tab_until(page, f"[name='{FACTS}-sippn']")
    assert page.evaluate("document.activeElement.id") == f"{FACTS}-sippn-ya"
    # Space ticks "Ya" (no answer yet), then the arrow moves on to "Tidak" and ticks it: one autosave for both
    autosaved(page, lambda: [page.keyboard.press(key) for key in ("Space", "ArrowRight")])
    expect(page.locator(f"[id='{FACTS}-sippn-tidak']")).to_be_checked()
    assert focus_is_visible(page, f"{FACTS}-sippn-tidak")
    expect(page.locator(f"#ind-{FIRST} [data-fact-level]")).to_have_text("3")
    screenshots.take(page, "level-3-terfokus", full_page=False)
    tab_until(page, f"[id='{FIRST}-justification']")
    autosaved(page, lambda: page.keyboard.type(EXPLANATION))
    tab_until(page, "button[value=save]")
    screenshots.take(page, "tombol-simpan-terfokus", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Draf tersimpan.")).to_be_visible()
    page.reload()
    assert shows_facts(page, "21.d.T", 3)
    expect(page.locator(f"[id='{FIRST}-justification']")).to_have_value(EXPLANATION)
