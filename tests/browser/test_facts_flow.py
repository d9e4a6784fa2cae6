"""Issue 13, item 2 through the browser: an OPD head answers the F-01 facts of an aspect page (the demo's current
period runs on PEKPPP-2025); each answer is autosaved and the level the facts give, the next step and its IPP gain
come back from the server; a reload shows the same."""
from __future__ import annotations

import pytest

from tests.browser.conftest import AppServer
from tests.browser.helpers import autosaved, expect, log_in

SCENARIO = "13-fakta"
pytestmark = pytest.mark.browser

UNIT = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"  # not started in the demo


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A server of its own: this test answers DPMPTSP, which the full-year scenario must find not started."""
    server = AppServer(tmp_path_factory.mktemp("browser-facts"))
    server.start()
    yield server.url
    server.stop()


def click(page, control_id: str) -> None:
    autosaved(page, lambda: page.locator(f"label[for='{control_id}']").click())


def test_opd_answers_facts_and_sees_the_level_they_give(open_page, screenshots):
    page = open_page()
    log_in(page, "dpmptsp")
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    page.get_by_role("link", name="Mulai mengisi").click()
    expect(page.get_by_role("heading", level=2, name="Aspek A · Kebijakan Pelayanan")).to_be_visible()
    sp = page.locator("#ind-1_a_Ak")
    expect(sp.locator("[data-fact-outcome]")).to_contain_text("Level: belum dapat ditentukan")
    expect(page.locator("[name='1_a_Ak-level']")).to_have_count(0)  # facts, not the pick-a-level form

    for fact, word in (("ada", "ya"), ("komponen_14", "ya"), ("ditetapkan", "ya"),
                       ("melibatkan_masyarakat", "tidak")):
        click(page, f"1_a_Ak-fakta-{fact}-{word}")
    expect(sp.locator("[data-fact-outcome]")).to_contain_text("1 fakta belum dijawab")
    click(page, "1_a_Ak-fakta-monev-tidak")
    outcome = sp.locator("[data-fact-outcome]")
    expect(outcome).to_contain_text("Level menurut fakta: 3")
    expect(outcome).to_contain_text("Untuk naik ke level 4")
    expect(outcome).to_contain_text("Apakah penyusunan Standar Pelayanan melibatkan unsur masyarakat?")
    expect(outcome).to_contain_text("Menambah IPP sebesar +0,")
    screenshots.take(page, "sp-level-3", full_page=False)

    unsur = page.locator("#ind-2_a_P")
    click(page, "2_a_P-fakta-unsur-pengguna")
    click(page, "2_a_P-fakta-unsur-media")
    expect(unsur.locator("[data-fact-outcome]")).to_contain_text("Level menurut fakta: 2")
    # "none of these" and a ticked item exclude each other
    click(page, "2_a_P-fakta-unsur-tidak-ada")
    expect(page.locator("[id='2_a_P-fakta-unsur-pengguna']")).not_to_be_checked()
    expect(unsur.locator("[data-fact-outcome]")).to_contain_text("Level menurut fakta: 0")
    click(page, "2_a_P-fakta-unsur-ahli")
    expect(page.locator("[id='2_a_P-fakta-unsur-tidak-ada']")).not_to_be_checked()
    expect(unsur.locator("[data-fact-outcome]")).to_contain_text("Level menurut fakta: 1")
    screenshots.take(page, "aspek-a")

    page.reload()
    expect(page.locator("[id='1_a_Ak-fakta-ditetapkan-ya']")).to_be_checked()
    expect(page.locator("[id='1_a_Ak-fakta-monev-tidak']")).to_be_checked()
    expect(page.locator("[id='2_a_P-fakta-unsur-ahli']")).to_be_checked()
    expect(page.locator("#ind-1_a_Ak [data-fact-outcome]")).to_contain_text("Level menurut fakta: 3")
    expect(page.locator("#ind-2_a_P [data-fact-outcome]")).to_contain_text("Level menurut fakta: 1")
