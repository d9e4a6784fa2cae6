from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import get_assessment_or_404, get_own_assessment_or_404, role_required
from ..extensions import db
from ..formatting import today_wib
from ..lifecycle import ActionRefused, editing_refusal
from ..models import Assessment, AssessmentStatus, Role
from ..periods.services import current_period
from ..review.recommendations import latest_recommendations
from ..scoring import score
from .forms import SubmitForm, entries_from, field_key, section_form
from .sections import neighbours, sections_of
from .services import assessment_for, missing_indicators, save_answers, submit_assessment

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
    if form.is_submitted() and _can_change(assessment):
        if form.validate():
            save_answers(assessment, entries_from(form, page), current_user, today_wib())
            db.session.commit()
            flash("Draf tersimpan.", "success")
            return redirect(_destination(assessment, page, before, after))
        flash("Belum tersimpan: periksa isian yang ditandai merah, lalu simpan lagi.", "danger")
    return render_template(
        "selfassessment/section.html", form=form, page=page, before=before, after=after,
        field_key=field_key, **_context(assessment),
    )


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


def _can_change(assessment: Assessment) -> bool:
    """Whether a POST may change the form; says why not (flash) when it may not."""
    if current_user.role != Role.OPD:
        abort(403)
    refusal = editing_refusal(assessment, today_wib())
    if refusal:
        flash(refusal, "warning")
    return refusal is None


def _saved_values(assessment: Assessment, page) -> dict:
    values = {}
    for item in page.items:
        answer = assessment.answers.get(item.code)
        values[f"level_{field_key(item.code)}"] = answer.level if answer else None
        values[f"justification_{field_key(item.code)}"] = answer.justification if answer else ""
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
        "verified_result": score(assessment.instrument, assessment.verified_levels())
        if assessment.status == AssessmentStatus.VERIFIED else None,
    }
