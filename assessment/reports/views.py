from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, render_template
from flask_login import login_required

from ..access import get_assessment_or_404
from ..extensions import db
from ..models import IssuedDocument
from .documents import Document, pdf_bytes
from .scorecard import berita_acara, scorecard

bp = Blueprint("reports", __name__)


@bp.get("/laporan/penilaian/<int:assessment_id>/kartu.pdf")
@login_required
def scorecard_pdf(assessment_id: int):
    """The unit's scorecard (its own unit for an OPD, any for the Bagian Organisasi)."""
    return _download(scorecard(get_assessment_or_404(assessment_id)))


@bp.get("/laporan/penilaian/<int:assessment_id>/berita-acara.pdf")
@login_required
def berita_acara_pdf(assessment_id: int):
    """The signed minutes of the verification."""
    return _download(berita_acara(get_assessment_or_404(assessment_id)))


@bp.get("/v/<code>")
def verify(code: str):
    """Public: confirm a printed document's numbers from its code or QR (no login, nothing else shown)."""
    issued = db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.code == code.strip().upper()))
    return render_template("reports/verify.html", issued=issued, code=code), 200 if issued else 404


def _download(document: Document) -> Response:
    return Response(pdf_bytes(document), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{document.filename}"'})
