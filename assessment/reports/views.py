from __future__ import annotations

import io

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..config import public_base_url
from ..domain.models import IssuedDocument, Period, ReportJob
from ..domain.periods import period_of_year_or_404
from ..extensions import db
from ..web.access import STAFF_ROLES, get_assessment_or_404, role_required, sees_reviewer_work
from ..web.printing.documents import Document, pdf_bytes
from .pack import packs_dir, start_meeting_pack
from .recap import recap
from .scorecard import berita_acara, scorecard

bp = Blueprint("reports", __name__)


@bp.get("/laporan/penilaian/<int:assessment_id>/kartu.pdf")
@login_required
def scorecard_pdf(assessment_id: int):
    """The unit's scorecard (its own unit for an OPD, any for the Bagian Organisasi)."""
    assessment = get_assessment_or_404(assessment_id)
    return _download(scorecard(assessment, sees_reviewer_work(assessment)))


@bp.get("/laporan/penilaian/<int:assessment_id>/berita-acara.pdf")
@login_required
def berita_acara_pdf(assessment_id: int):
    """The signed minutes of the verification."""
    assessment = get_assessment_or_404(assessment_id)
    return _download(berita_acara(assessment, sees_reviewer_work(assessment)))


@bp.get("/laporan/<int:year>/rekap.pdf")
@role_required(*STAFF_ROLES)
def recap_pdf(year: int):
    """The recap of a period for the leadership meeting."""
    return _download(recap(period_of_year_or_404(year)))


@bp.post("/laporan/<int:year>/paket-rapat")
@role_required(*STAFF_ROLES)
def start_pack(year: int):
    """Start building the meeting pack in the background and follow its progress."""
    period = period_of_year_or_404(year)
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = start_meeting_pack(period, current_user, public_base_url(current_app.config))
    return redirect(url_for("reports.pack_status", job_id=job.id))


@bp.get("/laporan/paket/<job_id>")
@role_required(*STAFF_ROLES)
def pack_status(job_id: str):
    """Progress of a meeting pack; the page refreshes itself until the file is ready."""
    job = db.get_or_404(ReportJob, job_id)
    return render_template("reports/pack_status.html", job=job, period=db.session.get(Period, job.period_id))


@bp.get("/laporan/paket/<job_id>/unduh")
@role_required(*STAFF_ROLES)
def pack_download(job_id: str):
    job = db.get_or_404(ReportJob, job_id)
    path = packs_dir() / f"{job.id}.pdf"
    if job.status != "done" or not path.exists():
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=job.file_name)


@bp.get("/v/<code>")
def verify(code: str):
    """Public: confirm a printed document's numbers from its code or QR (no login, nothing else shown)."""
    issued = db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.code == code.strip().upper()))
    return render_template("reports/verify.html", issued=issued, code=code), 200 if issued else 404


def _download(document: Document) -> Response:
    """Inline, with the file name as RFC 6266 asks: an ASCII fallback and the UTF-8 name (Werkzeug writes both)."""
    return send_file(io.BytesIO(pdf_bytes(document)), mimetype="application/pdf", download_name=document.filename)

