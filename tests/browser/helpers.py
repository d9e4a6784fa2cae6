"""Steps the browser scenarios share: logging in, answering with autosave, evidence, screenshots, PDFs."""
from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from assessment.demo.data import DEMO_PASSWORD
from assessment.demo.evidence import tiny_pdf
from assessment.web.form_fields import field_key

try:
    from playwright.sync_api import expect
except ImportError:  # only reached when the tests are deselected (see conftest.py)
    expect = None
try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # requirements-browser.txt installs it
    Axe = None

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "browser"
SAVED = re.compile(r"^Tersimpan")


class Screenshots:
    """Numbered PNGs of one scenario in screenshots/browser/ (git-ignored), for a person to look at."""

    def __init__(self, scenario: str):
        self.scenario, self.count = scenario, 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{scenario}-*.png"):
            old.unlink()

    def take(self, page, name: str, full_page: bool = True) -> None:
        """A full page is taken through a viewport as tall as the page, so sticky bars sit where they belong."""
        self.count += 1
        path = SCREENSHOTS / f"{self.scenario}-{self.count:02d}-{name}.png"
        if not full_page:
            page.screenshot(path=path, animations="disabled", caret="initial")
            return
        viewport = page.viewport_size
        page.wait_for_load_state()  # a self-refreshing page (the meeting pack's progress) may be mid-reload
        height = page.evaluate("document.documentElement ? document.documentElement.scrollHeight : 0")
        page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
        try:
            page.screenshot(path=path, animations="disabled", caret="initial")
        finally:
            page.set_viewport_size(viewport)


def accessible(page) -> bool:
    """No critical or serious axe-core violation on the page as it is now (fails with the list of them)."""
    assert Axe is not None, "axe-playwright-python is missing: pip install -r requirements-browser.txt"
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']]}" for v in violations
               if v["impact"] in ("critical", "serious")]
    assert not serious, f"{page.url}: " + "; ".join(serious)
    return True


def log_in(page, username: str, screenshots: Screenshots | None = None) -> None:
    page.goto("/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(DEMO_PASSWORD)
    if screenshots:
        screenshots.take(page, f"masuk-{username}")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk" not in url)


def is_autosave(response) -> bool:
    return response.request.method == "POST" and response.request.headers.get("x-autosave") == "1"


def autosaved(page, change) -> None:
    """Do ``change`` (one debounced autosave), wait for its answer and for the status to say "Tersimpan"."""
    with page.expect_response(is_autosave) as answer:
        change()
    assert answer.value.ok, f"autosave answered {answer.value.status}: {answer.value.text()}"
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_have_text(SAVED)


def answer(page, code: str, level: int, justification: str | None = None) -> None:
    """Choose a level by clicking its label (the radio itself is visually hidden) and maybe explain it."""
    key = field_key(code)

    def change():
        if justification is not None:
            page.locator(f"[id='{key}-justification']").fill(justification)
        page.locator(f"label[for='{key}-level-{level}']").click()

    autosaved(page, change)
    expect(page.locator(f"[id='{key}-level-{level}']")).to_be_checked()


def attach_evidence(page, code: str, unit: str) -> None:
    """Choose one tiny PDF for the indicator; it is uploaded with the page's next save button."""
    pdf = tiny_pdf([f"Bukti dukung {code}", unit, "Uji peramban"])
    page.locator(f"input[name='evidence_{field_key(code)}']").set_input_files(
        files=[{"name": f"bukti-{code}.pdf", "mimeType": "application/pdf", "buffer": pdf}])


def download(page, link) -> bytes:
    """What the browser session gets from a link (PDFs open inline, so fetch them with the page's cookies)."""
    response = page.request.get(link.get_attribute("href"))
    assert response.ok, f"{response.url} answered {response.status}"
    return response.body()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:40]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # PDF lines break anywhere: compare with single spaces
