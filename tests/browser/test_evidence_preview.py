"""The "Pratinjau" of an attached PDF shows the file inside the aspect page."""
from __future__ import annotations

import pytest

from tests.browser.helpers import log_in

SCENARIO = "4-pratinjau-bukti"
pytestmark = pytest.mark.browser


def test_evidence_preview_shows_the_pdf(open_page, problems, screenshots):
    page = open_page()
    log_in(page, "dinsos")  # returned in the demo, with evidence attached
    page.get_by_role("link", name="Perbaiki sesuai catatan").click()
    preview = page.locator("details.evidence-preview").first
    with page.expect_response(lambda response: "/bukti/" in response.url):
        preview.locator("summary").click()
    frame = preview.locator("iframe").element_handle().content_frame()
    frame.wait_for_load_state()
    screenshots.take(page, "pratinjau-dibuka", full_page=False)
    reported = problems.take_report()
    assert "/bukti/" in frame.url and not reported, f"frame at {frame.url}; browser: {reported}"
