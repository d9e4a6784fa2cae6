"""Item 13: evidence is served sandboxed (never as a page of this site), and a PDF that runs code is refused."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from assessment.domain.models import EvidenceFile
from assessment.extensions import db
from tests.security.conftest import send
from tests.security.pdfs import PLAIN, RUNS_CODE
from tests.test_evidence import PNG, office


@pytest.fixture
def evidence_app(app, world, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    return app


def upload(app, client, world, name: str, content: bytes):
    return send(app, client, "POST", f"/penilaian/{world.assessment.id}/aspek/a", follow_redirects=True,
                content_type="multipart/form-data",
                data={"action": "save", "1_a_Ak-justification": "Ada SK", "evidence_1_a_Ak": [(io.BytesIO(content), name)]})


def stored() -> list[EvidenceFile]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EvidenceFile)))


def directives(response) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in response.headers["Content-Security-Policy"].split(";"))}


@pytest.mark.parametrize(("name", "content", "framed"), [
    ("sk.pdf", PLAIN["classic"], True), ("foto.png", PNG, True), ("laporan.docx", office("docx"), False)])
def test_evidence_is_served_sandboxed(evidence_app, browser, world, name, content, framed):
    client = browser(world.opd)
    upload(evidence_app, client, world, name, content)
    (evidence,) = stored()
    response = send(evidence_app, client, "GET", f"/bukti/{evidence.id}")
    policy = directives(response)
    assert "sandbox" in policy and policy["sandbox"] == []  # no allow-scripts, no allow-same-origin
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == (["'self'"] if framed else ["'none'"])  # only our preview may frame it
    assert response.headers["X-Frame-Options"] == ("SAMEORIGIN" if framed else "DENY")
    assert response.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].startswith("inline" if framed else "attachment")


@pytest.mark.parametrize("variant", sorted(RUNS_CODE))
def test_a_pdf_that_runs_code_is_refused_and_nothing_is_stored(evidence_app, browser, world, tmp_path, variant):
    page = upload(evidence_app, browser(world.opd), world, "sk.pdf", RUNS_CODE[variant])
    assert "sk.pdf: PDF ini berisi JavaScript atau perintah menjalankan program" in page.text
    assert stored() == [] and not any((tmp_path / "evidence").rglob("*.pdf"))


@pytest.mark.parametrize("variant", sorted(PLAIN))
def test_a_plain_pdf_is_accepted_however_it_is_written(evidence_app, browser, world, variant):
    page = upload(evidence_app, browser(world.opd), world, "sk.pdf", PLAIN[variant])
    assert "Draf tersimpan." in page.text and len(stored()) == 1
