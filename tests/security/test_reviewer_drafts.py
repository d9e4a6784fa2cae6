"""Item 4: the reviewer's unfinished work stays out of the OPD's own PDFs until the review is returned or verified."""
from __future__ import annotations

import pytest

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus, Review, ReviewDecision
from assessment.extensions import db
from tests.factories import fill, mark_verified
from tests.security.conftest import pdf_text, send

NOTE = "Catatan evaluator yang belum selesai"
HIDDEN_NOTICE = "Kolom verifikasi dan catatan evaluator terisi setelah"
BA_HIDDEN = "Pemeriksaan oleh evaluator belum selesai"
ROW_1A = "1.a.Ak Standar Pelayanan sesuai ketentuan peraturan perundang-undangan"


@pytest.fixture
def under_review(app, world, tmp_path):
    """Submitted; the reviewer has lowered 1.a.Ak to 2 with a note and not finished."""
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    world.assessment.reviews["1.a.Ak"] = Review(indicator_code="1.a.Ak", decision=ReviewDecision.CHANGE, verified_level=2,
                                                note=NOTE, reviewer=world.reviewer)
    db.session.commit()
    return world


def texts(app, client, assessment_id: int) -> dict[str, str]:
    """Each PDF's text on one line (a note wraps in its narrow column)."""
    return {kind: " ".join(pdf_text(send(app, client, "GET", f"/laporan/penilaian/{assessment_id}/{kind}.pdf").data).split())
            for kind in ("kartu", "berita-acara")}


def test_the_opd_sees_no_reviewer_work_while_the_review_is_under_way(app, browser, under_review):
    pdfs = texts(app, browser(under_review.opd), under_review.assessment.id)
    assert NOTE not in pdfs["kartu"] and HIDDEN_NOTICE in pdfs["kartu"]
    assert f"{ROW_1A} 4 –" in pdfs["kartu"]  # own level 4, no verified level yet
    assert "disesuaikan oleh evaluator" not in pdfs["berita-acara"] and BA_HIDDEN in pdfs["berita-acara"]


def test_the_reviewer_sees_the_work_in_progress(app, browser, under_review):
    pdfs = texts(app, browser(under_review.reviewer), under_review.assessment.id)
    assert NOTE in pdfs["kartu"] and HIDDEN_NOTICE not in pdfs["kartu"] and f"{ROW_1A} 4 2" in pdfs["kartu"]
    assert "disesuaikan oleh evaluator: 1 (1.a.Ak)" in pdfs["berita-acara"]


@pytest.mark.parametrize("finished", ["returned", "verified"])
def test_once_returned_or_verified_the_opd_sees_it(app, browser, under_review, finished):
    if finished == "verified":
        del under_review.assessment.reviews["1.a.Ak"]
        db.session.flush()
        mark_verified(under_review.assessment, under_review.reviewer, changes={"1.a.Ak": 2})
        under_review.assessment.reviews["1.a.Ak"].note = NOTE
    else:
        under_review.assessment.status = AssessmentStatus.RETURNED
    db.session.commit()
    pdfs = texts(app, browser(under_review.opd), under_review.assessment.id)
    assert NOTE in pdfs["kartu"] and HIDDEN_NOTICE not in pdfs["kartu"] and f"{ROW_1A} 4 2" in pdfs["kartu"]
    assert "disesuaikan oleh evaluator: 1 (1.a.Ak)" in pdfs["berita-acara"]
