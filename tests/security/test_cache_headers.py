"""Item 12: what a logged-in browser receives (every page, PDF, export, file) carries Cache-Control: no-store.

Generated from app.url_map: every GET route, opened by each logged-in identity, whatever the answer.
"""
from __future__ import annotations

import pytest

from assessment.web.security import FILE_ENDPOINTS
from tests.security.conftest import send
from tests.test_authorization import ROUTES, client_of, places, url_for_rule  # noqa: F401  (places is a fixture)

GETS = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET" and endpoint not in FILE_ENDPOINTS]


@pytest.mark.parametrize(("endpoint", "rule"), GETS, ids=[rule for _, rule in GETS])
def test_every_answer_to_a_logged_in_browser_is_no_store(app, world, places, endpoint, rule):  # noqa: F811
    url = url_for_rule(app, rule, endpoint, places)
    problems = []
    for identity in ("opd", "other_opd", "reviewer", "admin"):
        response = send(app, client_of(app, world, identity), "GET", url)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            problems.append(f"{identity} ({response.status_code} {response.mimetype}): {response.headers.get('Cache-Control')}")
    assert not problems, f"GET {url}: " + "; ".join(problems)


def test_a_pdf_is_no_store(app, world, places):  # noqa: F811
    response = send(app, client_of(app, world, "opd"), "GET", f"/laporan/penilaian/{world.assessment.id}/kartu.pdf")
    assert response.mimetype == "application/pdf" and response.headers["Cache-Control"] == "no-store"


def test_our_static_files_stay_cacheable(app, world):
    client = client_of(app, world, "opd")
    for path in ("/static/css/app.css", "/favicon.ico"):
        assert "no-store" not in send(app, client, "GET", path).headers.get("Cache-Control", ""), path
