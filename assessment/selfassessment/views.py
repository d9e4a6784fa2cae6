from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_assessment_or_404, get_own_assessment_or_404, role_required
from ..evidence.services import evidence_by_indicator, missing_evidence
from ..extensions import db
from ..form_fields import field_key
from ..formatting import angka, jam, today_wib
from ..lifecycle import ActionRefused, editing_refusal
from ..models import Assessment, AssessmentStatus, Role, utcnow
from ..periods.services import current_period
from ..review.recommendations import latest_recommendations
from ..scoring import score
from .forms import SubmitForm, section_form
from .saving import save_page
from .sections import neighbours, sections_of
from .services import SaveConflict, StaleAnswer, assessment_for, missing_indicators, submit_assessment

bp = Blueprint("selfassessment", __name__)


@bp.get("/")
@login_required
def home():
    """Send each role to its own start page."""
    if current_user.role == Role.OPD:
        return redirect(url_for("selfassessment.dashboard"))
    return redirect(url_for("review.queue"))


@bp.get("/penilaian")
@role_required(Role.OPD)
def dashboard():
    """The OPD's start page: period, deadline, progress per aspect, provisional IPP."""
    period = current_period()
    if period is None or current_user.unit is None:
        return render_template("selfassessment/no_period.html", period=period)
    assessment = assessment_for(current_user.unit, period)
    db.session.commit()
    recommended_in, recommendations = latest_recommendations(current_user.unit_id)
    return render_template("selfassessment/dashboard.html", recommended_in=recommended_in,
                           recommendations=recommendations, **_context(assessment))


@bp.route("/penilaian/<int:assessment_id>/aspek/<key>", methods=["GET", "POST"])
@login_required
def section(assessment_id: int, key: str):
    """One page of the form; saving keeps the draft and moves to the page the user chose."""
    assessment = get_assessment_or_404(assessment_id)
    try:
        before, page, after = neighbours(assessment.instrument, key)
    except KeyError:
        abort(404)
    form = section_form(page, current_app.config["JUSTIFICATION_MAX_LENGTH"], data=_saved_values(assessment, page))
    stale: list[StaleAnswer] = []
    if form.is_submitted():
        response, stale = _save(assessment, page, form, before, after)
        if response is not None:
            return response
    return render_template(
        "selfassessment/section.html", form=form, page=page, before=before, after=after,
        stale={s.indicator_code: s for s in stale}, **_context(assessment),
    )


def _save(assessment: Assessment, page, form, before, after):
    """Handle a save (or an autosave, answered in JSON); returns (response or None to show the page, stale answers)."""
    autosave = request.headers.get("X-Autosave") == "1"
    if current_user.role != Role.OPD:
        abort(403)
    try:
        refusal = editing_refusal(assessment, today_wib())
        if refusal:
            raise ActionRefused(refusal)
        if not form.validate():
            raise ActionRefused("Belum tersimpan: periksa isian yang ditandai merah, lalu simpan lagi.")
        saved = save_page(assessment, page, form, request.files, request.form.get("action", ""), current_user, today_wib())
        if saved.refused:
            _attach_upload_problems(form, saved.upload_problems)
            raise ActionRefused("Belum tersimpan: ada berkas bukti dukung yang ditolak. Pilih ulang berkasnya.")
        db.session.flush()  # the new versions are known from here on
        # Built before the commit, which expires every loaded object: afterwards it would load them all again
        # (measured: 14 -> 10 statements per autosave, PostgreSQL p95 ~110 -> ~55 ms under load).
        reply = _autosave_result(assessment, page) if autosave else None
        db.session.commit()
    except (ActionRefused, StaleDataError) as problem:
        db.session.rollback()
        return _refused(problem, assessment, page, form, autosave)
    if reply is not None:
        return jsonify(reply), []
    flash("Draf tersimpan.", "success")
    return redirect(_destination(assessment, page, before, after)), []


def _refused(problem, assessment: Assessment, page, form, autosave: bool):
    stale = problem.stale if isinstance(problem, SaveConflict) else []
    message = str(problem) if isinstance(problem, ActionRefused) else (
        "Belum tersimpan: jawaban baru saja diubah di tempat lain. Muat ulang halaman untuk melihatnya.")
    for answer in stale:  # the next save is a deliberate overwrite of what the user has now seen
        form[f"version_{field_key(answer.indicator_code)}"].data = assessment.answers[answer.indicator_code].version
    if autosave:
        return (jsonify(status="refused", message=message), 409 if stale or not isinstance(problem, ActionRefused)
                else 422), stale
    flash(message, "danger")
    return None, stale


def _attach_upload_problems(form, problems: dict[str, list[str]]) -> None:
    for code, messages in problems.items():
        form[f"justification_{field_key(code)}"].upload_errors = messages


def _autosave_result(assessment: Assessment, page) -> dict:
    """What the page updates after an autosave: versions for the next save, and the new score."""
    levels = assessment.levels()
    result = score(assessment.instrument, levels)
    answered_here = sum(levels.get(item.code) is not None for item in page.items)
    return {
        "status": "saved",
        "saved_at": jam(utcnow()),
        "versions": {field_key(item.code): assessment.answers[item.code].version
                     for item in page.items if item.code in assessment.answers},
        "score": {"ipp": angka(result.ipp), "predikat": result.predikat.letter, "kategori": result.predikat.kategori,
                  "konversi": angka(result.konversi), "answered": result.answered, "total": result.total,
                  "aspect": angka(result.aspects[page.key]) if page.scored else None,
                  "provisional": result.is_provisional,
                  "section": f"{answered_here}/{len(page.items)}"},
    }


@bp.get("/penilaian/<int:assessment_id>/ringkasan")
@login_required
def summary(assessment_id: int):
    """Every answer on one page, what is still missing, and the submit step."""
    assessment = get_assessment_or_404(assessment_id)
    return render_template("selfassessment/summary.html", form=SubmitForm(), **_context(assessment))


@bp.post("/penilaian/<int:assessment_id>/kirim")
@role_required(Role.OPD)
def submit(assessment_id: int):
    """Send the completed form to the Bagian Organisasi; it is read-only afterwards."""
    assessment = get_own_assessment_or_404(assessment_id)
    form = SubmitForm()
    if not form.validate_on_submit():
        flash("Centang pernyataan kebenaran data sebelum mengirim.", "danger")
    else:
        try:
            submit_assessment(assessment, current_user, today_wib())
            db.session.commit()
            flash("Penilaian mandiri berhasil dikirim ke Bagian Organisasi.", "success")
            return redirect(url_for("selfassessment.dashboard"))
        except ActionRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "danger")
    return redirect(url_for("selfassessment.summary", assessment_id=assessment.id))


def _saved_values(assessment: Assessment, page) -> dict:
    values = {}
    for item in page.items:
        answer = assessment.answers.get(item.code)
        values[f"level_{field_key(item.code)}"] = answer.level if answer else None
        values[f"justification_{field_key(item.code)}"] = answer.justification if answer else ""
        values[f"version_{field_key(item.code)}"] = answer.version if answer else 0
    return values


def _destination(assessment: Assessment, page, before, after) -> str:
    action = request.form.get("action", "save")
    target = {"next": after, "prev": before}.get(action)
    if action == "summary" or (action == "next" and after is None):
        return url_for("selfassessment.summary", assessment_id=assessment.id)
    return url_for("selfassessment.section", assessment_id=assessment.id, key=(target or page).key)


def _context(assessment: Assessment) -> dict:
    """What every self-assessment page shows: the score so far, pages, missing items, editability."""
    refusal = editing_refusal(assessment, today_wib())
    levels = assessment.levels()
    sections = sections_of(assessment.instrument)
    reviewed = assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.VERIFIED)
    files = evidence_by_indicator(assessment)
    return {
        "assessment": assessment,
        "instrument": assessment.instrument,
        "result": score(assessment.instrument, levels),
        "sections": sections,
        "answered_in": {s.key: sum(levels.get(i.code) is not None for i in s.items) for s in sections},
        "missing": missing_indicators(assessment),
        "refusal": refusal,
        "editable": refusal is None and current_user.role == Role.OPD,
        "reviewer_notes": {code: r for code, r in assessment.reviews.items() if r.note} if reviewed else {},
        "evidence": files,
        "missing_evidence": missing_evidence(assessment),
        "verified_result": score(assessment.instrument, assessment.verified_levels())
        if assessment.status == AssessmentStatus.VERIFIED else None,
    }
