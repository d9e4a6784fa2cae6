from __future__ import annotations

from flask import Blueprint, Response, abort, send_file
from flask_login import login_required

from ..domain.evidence.filetypes import label_of
from ..domain.evidence.storage import path_of
from ..web.access import get_assessment_or_404, get_evidence_or_404
from ..web.security import sandboxed_file
from .bundle import bundle_name, members, zip_chunks

bp = Blueprint("evidence", __name__)
bp.add_app_template_filter(label_of, "jenis_berkas")  # the evidence list is part of the self-assessment pages


@bp.get("/bukti/<int:evidence_id>")
@login_required
def download(evidence_id: int):
    """A file for its own OPD, reviewers and admins; PDFs and images open in the browser (sandboxed, never as a page
    of this site), others download."""
    evidence = get_evidence_or_404(evidence_id)
    path = path_of(evidence)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=evidence.mime_type, as_attachment=not evidence.previewable,
                         download_name=evidence.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return sandboxed_file(response, framed_by_our_pages=evidence.previewable)


@bp.get("/penilaian/<int:assessment_id>/bukti.zip")
@login_required
def bundle(assessment_id: int):
    """Every evidence file of the assessment in one ZIP, streamed while it is written (evidence/bundle.py)."""
    assessment = get_assessment_or_404(assessment_id)
    title = f"Bukti dukung {assessment.unit.name} · {assessment.period.title}"
    # The file list is read now; the generator then only reads files, so it needs no request context.
    response = Response(zip_chunks(title, members(assessment)), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{bundle_name(assessment)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
