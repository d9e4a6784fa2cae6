"""Scenario 8, accessibility: every main page, as each demo role, at a laptop's and a phone's width, has no
critical and no serious axe-core violation; and the sticky save bar never covers the element that has the focus.

axe-core comes bundled in axe-playwright-python (requirements-browser.txt) and is injected by Playwright into a
context that bypasses the pages' Content-Security-Policy, so nothing is fetched from outside. Every page's
findings are printed (``pytest -s``), those that pass included, so a run shows what it looked at.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import Axe, Screenshots, expect, log_in

SCENARIO = "8-aksesibilitas"
pytestmark = pytest.mark.browser

WIDTHS = {"laptop": dict(width=1366, height=900), "ponsel": dict(width=390, height=844, is_mobile=True,
                                                                   has_touch=True, device_scale_factor=2)}
BLOCKING = ("critical", "serious")


def _href(page, selector: str) -> str:
    """The address of the first link matching ``selector``, as a path on the site."""
    link = page.locator(selector).first
    expect(link).to_be_attached()
    return re.sub(r"^https?://[^/]+", "", link.get_attribute("href"))


def _opd_pages(page) -> list[str]:
    page.goto("/penilaian")
    aspect = _href(page, ".aspect-table a.btn")
    summary = _href(page, "a[href*='/ringkasan']")
    page.goto("/survei/")
    paper = page.get_by_role("link", name="Input kuesioner kertas")  # a date input with its date in words
    extra = [re.sub(r"^https?://[^/]+", "", paper.get_attribute("href"))] if paper.count() else []
    return ["/penilaian", aspect, summary, "/instrumen/", "/survei/", *extra, "/tindak-lanjut/", "/akun"]


def _reviewer_pages(page) -> list[str]:
    page.goto("/organisasi/")
    review = _href(page, ".queue-table a[href$='/verifikasi']")
    page.goto(review)
    history = _href(page, "a[href$='/riwayat']")
    visit = _href(page, "a[href^='/observasi/']")
    page.goto("/organisasi/hasil/")
    unit_history = _href(page, ".results-table a[href*='/hasil/unit/']")
    page.goto("/tindak-lanjut/pemantauan")
    last_year = f"/tindak-lanjut/pemantauan?tahun={page.locator('#pilih-tahun option').nth(1).get_attribute('value')}"
    page.goto(last_year)  # every state of a follow-up is in last year's
    followed = _href(page, ".followup-table a[href^='/tindak-lanjut/penilaian/']")
    return ["/organisasi/", review, history, visit, "/organisasi/hasil/", unit_history, "/tindak-lanjut/pemantauan",
            last_year, followed, "/instrumen/", "/survei/"]


def _admin_pages(page) -> list[str]:
    page.goto("/admin/periode/")
    period = _href(page, "tr:has(.status-verified) a[href^='/admin/periode/']")  # the open one (its close page)
    page.goto("/admin/unit")
    unit = _href(page, "a[href^='/admin/unit/']:not([href$='/baru']):not([href*='/impor'])")
    return ["/admin/periode/", period, f"{period}/tutup", "/admin/periode/baru", "/admin/unit", unit, "/admin/unit/baru",
            "/admin/unit/impor", "/admin/pengguna", "/admin/pengguna/baru", "/admin/instrumen", "/admin/kop-surat",
            "/admin/surel", "/organisasi/"]


# Each OPD user shows the dashboard in another state: not started, draft, returned with notes, verified.
TOURS = {"dpmptsp": _opd_pages, "disdukcapil": _opd_pages, "dinsos": _opd_pages, "diskominfo": _opd_pages,
         "organisasi": _reviewer_pages, "admin": _admin_pages}


def blocking_violations(page) -> list[str]:
    """The critical and serious axe-core violations on the page as it is now, one line per rule."""
    assert Axe is not None, "axe-playwright-python is missing: pip install -r requirements-browser.txt"
    page.wait_for_load_state()
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}: "
            + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
            for v in violations if v["impact"] in BLOCKING]


def _audit(page, paths: list[str], label: str) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        found[path] = blocking_violations(page)
        print(f"[axe {label}] {path}: {len(found[path])} critical/serious" +
              "".join(f"\n    {line}" for line in found[path]))
    return found


def _assert_clean(found: dict[str, list[str]]) -> None:
    dirty = {path: lines for path, lines in found.items() if lines}
    assert not dirty, "axe-core found critical or serious violations:\n" + "\n".join(
        f"{path}:\n  " + "\n  ".join(lines) for path, lines in dirty.items())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", TOURS)
def test_every_page_of_a_role_is_accessible(open_page, username, width):
    page = open_page(bypass_csp=True, **WIDTHS[width])
    log_in(page, username)
    _assert_clean(_audit(page, TOURS[username](page), f"{username} {width}"))


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_are_accessible(open_page, width):
    staff = open_page()
    log_in(staff, "disdukcapil")
    staff.goto("/survei/")
    survey = re.sub(r"^https?://[^/]+", "", staff.locator("a.text-break").first.get_attribute("href"))
    page = open_page(bypass_csp=True, **WIDTHS[width])
    _assert_clean(_audit(page, ["/masuk", survey], f"anonim {width}"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_save_bar_never_covers_the_focused_level(open_page, width):
    """A level or fact control that sits behind the sticky save bar (in the window, so the browser would not scroll on
    its own) is brought above the bar when it gets the focus, as it does when a keyboard user moves down the form."""
    screenshots = Screenshots(f"{SCENARIO}-{width}")
    page = open_page(**WIDTHS[width])
    log_in(page, "disdukcapil")
    page.goto("/penilaian")
    page.goto(_href(page, ".aspect-table a.btn"))
    bar = page.locator(".form-actions")
    expect(bar).to_be_visible()
    cards = page.locator("section.indicator")
    for card in range(cards.count()):
        # the last answer control of the card: a level (pick-a-level form) or a fact's control (PEKPPP-2025)
        controls = cards.nth(card).locator(
            ".levels input[type=radio], .fact-group input:not([type=hidden]), .fact-group select")
        if not controls.count():
            continue  # no control to answer on this card
        last_level = controls.last
        ident = last_level.get_attribute("id")
        label = page.locator(f"label[for='{ident}']") if ident else last_level
        label = label if label.count() else last_level
        label.evaluate("label => window.scrollBy(0, label.getBoundingClientRect().bottom - window.innerHeight + 4)")
        assert label.bounding_box()["y"] + label.bounding_box()["height"] > bar.bounding_box()["y"], "set-up: not under"
        last_level.focus()
        label_box, bar_box = label.bounding_box(), bar.bounding_box()
        assert label_box["y"] >= 0, f"indicator {card + 1}: the focused level went above the window"
        assert label_box["y"] + label_box["height"] <= bar_box["y"] + 0.5, (
            f"indicator {card + 1}: the focused level ends at {label_box['y'] + label_box['height']:.0f} px, "
            f"under the save bar that starts at {bar_box['y']:.0f} px")
        if card == 0:
            screenshots.take(page, "level-terakhir-terfokus", full_page=False)
