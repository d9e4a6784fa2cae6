from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from ..access import STAFF_ROLES, get_assessment_or_404, role_required
from ..audit import ACTION_LABELS, events_for
from ..evidence.services import evidence_by_indicator
from ..extensions import db
from ..form_fields import field_key
from ..lifecycle import ActionRefused, allowed
from ..models import Recommendation, Role
from ..periods.services import all_periods, period_by_year_or_current
from ..scoring import score
from . import recommendations as recs
from .forms import ReasonForm, RecommendationForm, VerifyForm, entries_from, review_form
from .queue import SORT_KEYS, STATUS_FILTERS, queue_page, status_counts
from .services import (
    agree_with_the_rest,
    changes_since_last_submission,
    entry_errors,
    reopen_assessment,
    return_assessment,
    review_choice,
    save_review,
    unreviewed,
    verify_assessment,
)

bp = Blueprint("review", __name__, url_prefix="/organisasi")
STALE_MESSAGE = "Belum tersimpan: keputusan baru saja diubah evaluator lain. Muat ulang halaman untuk melihatnya."


@bp.get("/")
@role_required(*STAFF_ROLES)
def queue():
    """Every active unit of a period with status, progress and scores; filter and sort by any column."""
    period = period_by_year_or_current(request.args.get("tahun", type=int))
    status, kind = request.args.get("status"), request.args.get("jenis")
    sort = request.args.get("urut", "unit")
    descending = request.args.get("arah") == "turun"
    page = queue_page(period, status, kind, sort, descending, request.args.get("halaman", 1, type=int)) if period else None
    counts = status_counts(period) if period else {}
    return render_template(
        "review/queue.html", period=period, periods=all_periods(), page=page, counts=counts,
        status=status, kind=kind, sort=sort if sort in SORT_KEYS else "unit", descending=descending,
        status_filters=STATUS_FILTERS,
    )


@bp.route("/penilaian/<int:assessment_id>/verifikasi", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def review(assessment_id: int):
    """Indicator by indicator: the OPD's answer, what changed since the last submission, the decision."""
    assessment = get_assessment_or_404(assessment_id)
    instrument = assessment.instrument
    form = review_form(instrument, data=_saved_choices(assessment))
    if form.is_submitted():
        entries = entries_from(form, instrument) if form.validate() else None
        errors = entry_errors(assessment, entries) if entries else {}
        if entries and not errors:
            try:
                save_review(assessment, entries, current_user)
                db.session.commit()
                flash("Catatan verifikasi tersimpan.", "success")
                return redirect(url_for("review.review", assessment_id=assessment.id))
            except (ActionRefused, StaleDataError) as refusal:
                db.session.rollback()
                flash(str(refusal) if isinstance(refusal, ActionRefused) else STALE_MESSAGE, "danger")
        else:
            _attach(form, errors)
            flash("Belum tersimpan: periksa isian yang ditandai merah.", "danger")
    return render_template("review/review.html", **_review_context(assessment, form))


@bp.post("/penilaian/<int:assessment_id>/setujui-sisa")
@role_required(*STAFF_ROLES)
def agree_rest(assessment_id: int):
    """Mark every indicator not yet reviewed as "sesuai" (keeps the decisions already taken)."""
    assessment = get_assessment_or_404(assessment_id)
    if FlaskForm().validate_on_submit():
        _commit_or_flash(lambda: agree_with_the_rest(assessment, current_user),
                         "Indikator yang belum diperiksa ditandai sesuai.")
    return redirect(url_for("review.review", assessment_id=assessment.id))


@bp.post("/penilaian/<int:assessment_id>/kembalikan")
@role_required(*STAFF_ROLES)
def return_(assessment_id: int):
    """Return the form to the OPD for revision, with a reason."""
    assessment = get_assessment_or_404(assessment_id)
    form = ReasonForm()
    return _transition(assessment, lambda: return_assessment(assessment, current_user, form.reason.data or ""),
                       "Penilaian dikembalikan ke unit untuk diperbaiki.", form)


@bp.post("/penilaian/<int:assessment_id>/verifikasi-akhir")
@role_required(*STAFF_ROLES)
def verify(assessment_id: int):
    """Make the review final; the IPP is then computed from the verified levels."""
    assessment = get_assessment_or_404(assessment_id)
    form = VerifyForm()
    return _transition(assessment, lambda: verify_assessment(assessment, current_user),
                       "Penilaian terverifikasi. Rekomendasi telah disusun dan dapat disunting.", form)


@bp.post("/penilaian/<int:assessment_id>/buka-kembali")
@role_required(Role.ADMIN)
def reopen(assessment_id: int):
    """Admin only: take a verified assessment back under review, with a reason."""
    assessment = get_assessment_or_404(assessment_id)
    form = ReasonForm()
    return _transition(assessment, lambda: reopen_assessment(assessment, current_user, form.reason.data or ""),
                       "Penilaian dibuka kembali untuk diverifikasi ulang.", form)


@bp.get("/penilaian/<int:assessment_id>/riwayat")
@role_required(*STAFF_ROLES)
def history(assessment_id: int):
    """The audit log of one assessment: every transition and level change."""
    assessment = get_assessment_or_404(assessment_id)
    return render_template("review/history.html", assessment=assessment, events=events_for(assessment),
                           action_labels=ACTION_LABELS)


@bp.post("/penilaian/<int:assessment_id>/rekomendasi")
@role_required(*STAFF_ROLES)
def add_recommendation(assessment_id: int):
    """Add a recommendation to a verified assessment."""
    assessment = get_assessment_or_404(assessment_id)
    form = RecommendationForm()
    code = (form.indicator_code.data or "").strip()
    if not form.validate_on_submit() or (code and assessment.instrument.find_item(code) is None):
        flash("Rekomendasi belum disimpan: isi teksnya dan pilih indikator yang ada.", "danger")
    else:
        _commit_or_flash(lambda: recs.add_recommendation(assessment, code, form.text.data.strip(), current_user),
                         "Rekomendasi ditambahkan.")
    return redirect(url_for("review.review", assessment_id=assessment.id, _anchor="rekomendasi"))


@bp.post("/rekomendasi/<int:recommendation_id>/<action>")
@role_required(*STAFF_ROLES)
def change_recommendation(recommendation_id: int, action: str):
    """Edit (ubah) or remove (hapus) one recommendation."""
    recommendation = db.get_or_404(Recommendation, recommendation_id)
    form = RecommendationForm()
    if action == "hapus" and form.is_submitted():
        _commit_or_flash(lambda: recs.delete_recommendation(recommendation, current_user), "Rekomendasi dihapus.")
    elif action == "ubah" and form.validate_on_submit():
        _commit_or_flash(lambda: recs.update_recommendation(recommendation, form.text.data.strip(), current_user),
                         "Rekomendasi diperbarui.")
    elif action in ("ubah", "hapus"):
        flash("Rekomendasi belum disimpan: teksnya tidak boleh kosong.", "danger")
    else:
        abort(404)
    return redirect(url_for("review.review", assessment_id=recommendation.assessment_id, _anchor="rekomendasi"))


def _transition(assessment, action, success: str, form):
    if form.validate_on_submit():
        _commit_or_flash(action, success)
    else:
        flash(next(iter(form.errors.values()))[0], "danger")
    return redirect(url_for("review.review", assessment_id=assessment.id))


def _commit_or_flash(action, success: str) -> None:
    try:
        action()
        db.session.commit()
        flash(success, "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "danger")


def _saved_choices(assessment) -> dict:
    values = {}
    for indicator in assessment.instrument.indicators:
        key = field_key(indicator.code)
        review_row = assessment.reviews.get(indicator.code)
        values[f"choice_{key}"] = review_choice(assessment, indicator.code)
        values[f"note_{key}"] = review_row.note if review_row else ""
        values[f"version_{key}"] = review_row.version if review_row else 0
    return values


def _attach(form, errors: dict[str, str]) -> None:
    for code, message in errors.items():
        form[f"note_{field_key(code)}"].errors = [message]


def _review_context(assessment, form) -> dict:
    instrument = assessment.instrument
    self_levels = assessment.levels()
    provisional = {**self_levels, **{k: v for k, v in assessment.verified_levels().items() if v is not None}}
    return {
        "assessment": assessment,
        "instrument": instrument,
        "form": form,
        "self_score": score(instrument, self_levels),
        "verified_score": score(instrument, provisional),
        "unreviewed": unreviewed(assessment),
        "changes": changes_since_last_submission(assessment),
        "evidence": evidence_by_indicator(assessment),
        "recommendations": recs.recommendations_of(assessment),
        "can": {name: allowed(assessment, name, current_user) for name in ("return", "verify", "reopen")},
        "reason_form": ReasonForm(),
        "verify_form": VerifyForm(),
        "recommendation_form": RecommendationForm(),
    }
