"""Steps the browser scenarios share: logging in, answering with autosave, evidence, screenshots, PDFs."""
from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from assessment.demo.data import DEMO_PASSWORD
from assessment.demo.evidence import tiny_pdf
from assessment.demo.facts import facts_for_level
from assessment.domain.fact_entries import asked_for, level_of
from assessment.domain.instrument import LATEST_INSTRUMENT_PATH, LURING, FactKind, load_instrument_file
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
FACTS_INSTRUMENT = load_instrument_file(LATEST_INSTRUMENT_PATH)  # the demo's current period runs on it


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


def facts_giving(code: str, level: int) -> tuple[dict, int]:
    """The facts (stored JSON form) a unit serving in person answers for ``level``, and the level they give (the
    F-02 rule may skip a level: then the next one up)."""
    indicator = FACTS_INSTRUMENT.item(code)
    facts = facts_for_level(FACTS_INSTRUMENT, indicator, level, LURING)
    return facts, level_of(asked_for(FACTS_INSTRUMENT, indicator, LURING), facts)


def reached(code: str, level: int) -> int:
    """The level an indicator's facts give when answered for ``level`` (see ``facts_giving``)."""
    return facts_giving(code, level)[1]


def fact_changes(page, code: str, facts: dict) -> list:
    """The clicks and fills that bring the facts controls of an indicator to ``facts`` (the facts not scored, free
    text, are left alone); only controls not already so, so a page answered before needs only its differences."""
    key = field_key(code)
    indicator = FACTS_INSTRUMENT.item(code)
    changes = []

    def tick(control_id: str, checked: bool) -> None:
        if page.locator(f"[id='{control_id}']").is_checked() != checked:
            changes.append(lambda: page.locator(f"label[for='{control_id}']").click())

    for fact in asked_for(FACTS_INSTRUMENT, indicator, LURING).facts:
        if not fact.scored or fact.key not in facts:
            continue
        name, value = f"{key}-fakta-{fact.key}", facts[fact.key]
        if fact.kind == FactKind.YES_NO:
            tick(f"{name}-{'ya' if value else 'tidak'}", True)
        elif fact.kind == FactKind.TICK_LIST:
            for option in fact.options:
                tick(f"{name}-{option.key}", option.key in value["items"])
            tick(f"{name}-tidak-ada", not value["items"])
            if value.get("other"):
                changes.append(lambda name=name, other=value["other"]: page.locator(f"[name='{name}-lainnya']").fill(other))
        elif fact.kind == FactKind.CHOICE:
            if page.locator(f"[id='{name}']").input_value() != value:
                changes.append(lambda name=name, value=value: page.locator(f"[id='{name}']").select_option(value))
        else:  # a count, or a percentage typed the Indonesian way
            typed = str(value).replace(".", ",")
            if page.locator(f"[id='{name}']").input_value() != typed:
                changes.append(lambda name=name, typed=typed: page.locator(f"[id='{name}']").fill(typed))
    return changes


def answer_facts(page, code: str, level: int, justification: str | None = None) -> None:
    """Answer an indicator's F-01 facts so that they give ``level`` (which they must reach exactly, see
    ``reached``) and maybe explain it; autosaved, and the level the server says the facts give is ``level``."""
    facts, gives = facts_giving(code, level)
    assert gives == level, f"the facts of {code} cannot give level {level} (answered for it, they give {gives})"
    changes = fact_changes(page, code, facts)
    if justification is not None:
        changes.append(lambda: page.locator(f"[id='{field_key(code)}-justification']").fill(justification))
    for change in changes:  # one save each, as a person answering one question after another
        autosaved(page, change)
    expect(page.locator(f"#ind-{field_key(code)} [data-fact-level]")).to_have_text(str(level))


def shows_facts(page, code: str, level: int) -> bool:
    """The page shows the facts answered for ``level`` (every control as ``answer_facts`` left it) and that level."""
    expect(page.locator(f"#ind-{field_key(code)} [data-fact-level]")).to_have_text(str(level))
    differences = fact_changes(page, code, facts_giving(code, level)[0])
    assert not differences, f"{len(differences)} facts control(s) of {code} are not as answered"
    return True


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
