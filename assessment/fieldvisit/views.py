"""The field visit page of one assessment: the visit, a finding per indicator, the photos. Staff read it; who
reviews the unit records it (web/access.py ``records_visit``), while the assessment is under review or provisional."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain import field_visits
from ..domain.evidence.services import read_upload
from ..domain.evidence.storage import StorageError
from ..domain.formatting import today_wib
from ..domain.models import Assessment, FindingKind
from ..extensions import db
from ..web.access import STAFF_ROLES, get_assessment_or_404, get_visit_to_record_or_404, records_visit, role_required
from ..web.refusals import REFUSED, commit_or_flash, first_error
from .forms import NOT_OBSERVED, PhotoForm, RemovePhotoForm, VisitForm, findings_form

bp = Blueprint("fieldvisit", __name__, url_prefix="/observasi")


@bp.get("/penilaian/<int:assessment_id>")
@role_required(*STAFF_ROLES)
def visit(assessment_id: int):
    """The visit as recorded, with the forms to record it for who may."""
    return _page(get_assessment_or_404(assessment_id))


@bp.post("/penilaian/<int:assessment_id>")
@role_required(*STAFF_ROLES)
def save_visit(assessment_id: int):
    """Record the day, the members present, the officials met and the exit meeting."""
    assessment = get_visit_to_record_or_404(assessment_id)
    form = VisitForm(field_visits.member_candidates(assessment))
    if not form.validate_on_submit():
        flash("Belum tersimpan: " + first_error(form), "danger")
        return _page(assessment, visit_form=form, status=422)
    saved = commit_or_flash(lambda: field_visits.save_visit(
        assessment, form.visited_on.data, form.members.data, form.officials.data, form.exit_notes.data, current_user,
        today_wib()), "Data kunjungan tersimpan.")
    if saved is REFUSED:
        return _page(get_assessment_or_404(assessment_id), visit_form=form, status=422)
    return redirect(url_for("fieldvisit.visit", assessment_id=assessment_id))


@bp.post("/penilaian/<int:assessment_id>/temuan")
@role_required(*STAFF_ROLES)
def save_findings(assessment_id: int):
    """Set every indicator's finding as the page sent it (not observed clears one); all or nothing."""
    assessment = get_visit_to_record_or_404(assessment_id)
    form = findings_form(assessment.instrument, field_visits.findings_by_code(assessment))
    if not form.validate_on_submit():
        flash("Belum tersimpan: " + first_error(form), "danger")
        return _page(assessment, findings=form, status=422)
    findings = {code: (FindingKind(choice.data) if choice.data != NOT_OBSERVED else None, note.data or "")
                for code, (choice, note) in form.entries.items()}
    changed = commit_or_flash(lambda: field_visits.set_findings(assessment, findings, current_user), None)
    if changed is REFUSED:
        return _page(get_assessment_or_404(assessment_id), findings=form, status=422)
    flash(f"Temuan observasi tersimpan ({changed} indikator berubah)." if changed else "Tidak ada temuan yang berubah.",
          "success")
    return redirect(url_for("fieldvisit.visit", assessment_id=assessment_id, _anchor="temuan"))


@bp.post("/penilaian/<int:assessment_id>/foto")
@role_required(*STAFF_ROLES)
def add_photos(assessment_id: int):
    """Upload photos of the visit, general or of one indicator (JPG or PNG)."""
    assessment = get_visit_to_record_or_404(assessment_id)
    form = PhotoForm(assessment.instrument)
    if not form.validate_on_submit():
        flash("Foto belum tersimpan: " + first_error(form), "danger")
    else:
        uploads = [read_upload(form.indicator_code.data or "", file) for file in request.files.getlist("photos")
                   if file.filename]
        try:
            commit_or_flash(lambda: field_visits.add_photos(assessment, uploads, current_user),
                            f"{len(uploads)} foto tersimpan.")
        except StorageError as error:
            db.session.rollback()
            flash(str(error), "danger")
    return redirect(url_for("fieldvisit.visit", assessment_id=assessment_id, _anchor="foto"))


@bp.post("/penilaian/<int:assessment_id>/foto/hapus")
@role_required(*STAFF_ROLES)
def remove_photo(assessment_id: int):
    """Take one photo off the visit."""
    assessment = get_visit_to_record_or_404(assessment_id)
    form = RemovePhotoForm()
    photo = field_visits.photo_of(assessment, form.photo_id.data) if form.validate_on_submit() else None
    if photo is None:
        flash("Foto tersebut tidak ditemukan pada observasi ini.", "danger")
    else:
        commit_or_flash(lambda: field_visits.remove_photo(assessment, photo, current_user), "Foto dihapus.")
    return redirect(url_for("fieldvisit.visit", assessment_id=assessment_id, _anchor="foto"))


def _page(assessment: Assessment, visit_form: VisitForm | None = None, findings=None, status: int = 200):
    visit = field_visits.visit_of(assessment)
    candidates = field_visits.member_candidates(assessment)
    if visit_form is None:
        visit_form = VisitForm(candidates, formdata=None, visited_on=visit.visited_on if visit else today_wib(),
                               members=[member.id for member in visit.members] if visit else [],
                               officials=visit.officials if visit else "", exit_notes=visit.exit_notes if visit else "")
    if findings is None:
        findings = findings_form(assessment.instrument, field_visits.findings_by_code(assessment), formdata=None)
    refusal = field_visits.recording_refusal(assessment)
    return render_template(
        "fieldvisit/visit.html", assessment=assessment, instrument=assessment.instrument, visit=visit,
        visit_form=visit_form, findings=findings, photo_form=PhotoForm(assessment.instrument, formdata=None),
        remove_form=RemovePhotoForm(formdata=None), photos=field_visits.photos_by_code(visit),
        officials=field_visits.officials_of(visit) if visit else [], refusal=refusal,
        editable=refusal is None and records_visit(assessment), may_record=records_visit(assessment),
        levels=assessment.levels(), verified_levels=assessment.verified_levels()), status


