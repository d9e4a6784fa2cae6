from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..domain import field_visits, followup, objections, team
from ..domain import recommendations as recs
from ..domain.audit import events_for
from ..domain.evidence.services import evidence_by_indicator
from ..domain.formatting import angka, jam, selisih, today_wib
from ..domain.labels import ACTION_LABELS
from ..domain.lifecycle import allowed
from ..domain.models import Assessment, AssessmentStatus, Role, User, utcnow
from ..domain.periods import all_periods, period_by_year_or_current
from ..domain.reviews import (
    agree_with_the_rest,
    changes_since_last_submission,
    reopen_assessment,
    return_assessment,
    save_review_entries,
    unreviewed,
    verify_assessment,
)
from ..domain.saves import Entry, Outcome, SaveReport
from ..domain.scoring import Score, score
from ..domain.unit_search import search_text
from ..extensions import db
from ..web.access import (
    STAFF_ROLES,
    get_assessment_or_404,
    get_conclusion_or_404,
    get_recommendation_or_404,
    get_review_or_404,
    role_required,
)
from ..web.autosave import SAVE_FAILURES, carry_over, entry_replies, failure_of, rendered_card, sent_entries
from ..web.errors import wants_json
from ..web.form_fields import field_key
from ..web.refusals import commit_or_flash, first_error
from .fact_forms import check_names, fact_reviews, level_panels, page_review_form, review_entry_form_of
from .fact_services import checked_review_entries, confirm_the_rest, save_fact_review_entries
from .forms import ReasonForm, RecommendationForm, VerifyForm
from .queue import SORT_KEYS, STATUS_FILTERS, queue_page, status_counts

bp = Blueprint("review", __name__, url_prefix="/organisasi")


@bp.get("/")
@role_required(*STAFF_ROLES)
def queue():
    """Every active unit of a period with status, progress and scores; filter and sort by any column. A member of
    the period's evaluator team opens on "Tugas saya", the units of which they hold a part."""
    period = period_by_year_or_current(request.args.get("tahun", type=int))
    status, kind = request.args.get("status"), request.args.get("jenis")
    sort = request.args.get("urut", "unit")
    descending = request.args.get("arah") == "turun"
    search = search_text(request.args.get("q"))
    own = _own_units(period)
    mine = own if own is not None and request.args.get("tugas") != "semua" else None
    page = (queue_page(period, status, kind, sort, descending, request.args.get("halaman", 1, type=int), search, mine)
            if period else None)
    counts = status_counts(period, mine) if period else {}
    tasks = {"mine": mine is not None, "count": sum(status_counts(period, own).values())} if own is not None else None
    return render_template(
        "review/queue.html", period=period, periods=all_periods(), page=page, counts=counts,
        status=status, kind=kind, query=search, sort=sort if sort in SORT_KEYS else "unit", descending=descending,
        status_filters=STATUS_FILTERS, tasks=tasks,
    )


def _own_units(period):
    """The query of the units of which the user holds a part in the period's team; None without any."""
    if period is None:
        return None
    evaluation_team, member = team.own_team_for_queue(period, current_user)
    return team.assigned_unit_ids(evaluation_team, member) if member else None


@bp.get("/penilaian/<int:assessment_id>/verifikasi")
@role_required(*STAFF_ROLES)
def review(assessment_id: int):
    """Indicator by indicator: the OPD's answer, what changed since the last submission, the decision."""
    assessment = get_assessment_or_404(assessment_id)
    return _review_page(assessment, page_review_form(assessment, formdata=None))


@bp.post("/penilaian/<int:assessment_id>/verifikasi")
@role_required(*STAFF_ROLES)
def save_review(assessment_id: int):
    """Save the decisions the page sent, each on its own; the autosave is answered in JSON."""
    try:
        assessment = get_review_or_404(assessment_id, for_save=True)
        form = page_review_form(assessment, request.form)
        form.validate()  # each indicator's errors are its own (autosave.sent_entries)
        entries, invalid = sent_entries(form, assessment.instrument.indicators)
        save: Callable[[Assessment, list[Entry], User], SaveReport] = save_review_entries
        problems: dict[str, dict[str, str]] = {}
        if assessment.instrument.has_facts:
            entries, refused, problems = checked_review_entries(assessment, entries)
            invalid, save = {**invalid, **refused}, save_fact_review_entries
        report = SaveReport(invalid) if invalid else save(assessment, entries, current_user)
        reply = _autosave_reply(assessment, report) if wants_json() else None  # before the commit expires it
        db.session.commit()
    except SAVE_FAILURES as error:
        db.session.rollback()
        return _save_failed(error, assessment_id)
    if reply is not None:
        return jsonify(reply), report.http_status()
    if report.complete:
        flash("Catatan verifikasi tersimpan.", "success")
        return redirect(url_for("review.review", assessment_id=assessment.id))
    return _partly_saved(assessment, form, report, problems)


def _partly_saved(assessment, form, report, problems):
    """Refused input: the page as sent, with the reasons. Conflicts: the page as stored now (the rest was saved),
    with the conflicting decisions as the reviewer chose them, beside what the other reviewer saved."""
    if report.codes(Outcome.INVALID):
        _attach_errors(form, report)
        flash("Belum tersimpan: periksa isian yang ditandai merah.", "danger")
        return _review_page(assessment, form, status=422, problems=problems)
    conflicting = report.codes(Outcome.CONFLICT)
    fresh = page_review_form(assessment, formdata=None)
    carry_over(fresh, form, conflicting)
    flash(f"Belum tersimpan: keputusan untuk {', '.join(conflicting)} telah diubah evaluator lain sejak halaman ini "
          "dibuka. Kedua isian ditampilkan di bawah; yang lain sudah tersimpan.", "danger")
    return _review_page(assessment, fresh, {code: report.results[code].stored for code in conflicting}, status=409)


def _attach_errors(form, report) -> None:
    """A reason the service found (a note required) shows under the indicator's note, as a field error does."""
    for code in report.codes(Outcome.INVALID):
        note = form[field_key(code)].form.note
        if report.results[code].message not in note.errors:
            note.errors = [*note.errors, report.results[code].message]


def _save_failed(error: Exception, assessment_id: int):
    """Nothing was saved: JSON for the autosave, else the page again with every decision as the reviewer sent it."""
    failure = failure_of(error)
    if wants_json():
        return jsonify(failure.as_json()), failure.status
    flash(failure.message, "danger")
    assessment = get_assessment_or_404(assessment_id)
    return _review_page(assessment, page_review_form(assessment, request.form), status=failure.status)


def _review_page(assessment, form, conflicts=None, status=200, problems=None):
    facts = fact_reviews(assessment, form, problems) if assessment.instrument.has_facts else {}
    return render_template("review/review.html", **_review_context(assessment, form), conflicts=conflicts or {},
                           facts=facts, check_names=check_names(), verified_levels=assessment.verified_levels()), status


def _autosave_reply(assessment, report) -> dict:
    """What the review page updates after an autosave: each decision's outcome and version, and the scores."""
    verified, left = _provisional_score(assessment), unreviewed(assessment)
    done = len(assessment.instrument.indicators) - len(left)
    mine = team.duties(assessment, current_user).codes
    return {
        "status": "saved" if report.complete else "partial",
        "saved_at": jam(utcnow()),
        "entries": entry_replies(report, review_entry_form_of(assessment)),
        "panels": level_panels(assessment, report),
        "cards": {"verified": rendered_card("review/_verified_card.html", "verified_card", verified, left)},
        "texts": {"reviewed": str(done),
                  "unreviewed": str(sum(1 for indicator in left if indicator.code in mine)),
                  "difference": selisih(verified.ipp_shown - score(assessment.instrument, assessment.levels()).ipp_shown),
                  **{f"verified-aspect-{code}": angka(value) for code, value in verified.aspects.items()}},
        "progress": {"done": done, "total": len(assessment.instrument.indicators)},
    }


def _provisional_score(assessment) -> Score:
    """The verified levels so far, the OPD's own where nothing is decided yet."""
    levels = {**assessment.levels(), **{k: v for k, v in assessment.verified_levels().items() if v is not None}}
    return score(assessment.instrument, levels)


@bp.post("/penilaian/<int:assessment_id>/setujui-sisa")
@role_required(*STAFF_ROLES)
def agree_rest(assessment_id: int):
    """Mark every indicator of the reviewer's not yet reviewed as "sesuai" (keeps the decisions already taken)."""
    assessment = get_review_or_404(assessment_id, for_change=True)
    if FlaskForm().validate_on_submit():
        agree = confirm_the_rest if assessment.instrument.has_facts else agree_with_the_rest
        commit_or_flash(lambda: agree(assessment, current_user),
                         "Indikator yang belum diperiksa ditandai sesuai.")
    return redirect(url_for("review.review", assessment_id=assessment.id))


@bp.post("/penilaian/<int:assessment_id>/kembalikan")
@role_required(*STAFF_ROLES)
def return_(assessment_id: int):
    """Return the form to the OPD for revision, with a reason."""
    assessment = get_conclusion_or_404(assessment_id, for_change=True)
    form = ReasonForm()
    return _transition(assessment, lambda: return_assessment(assessment, current_user, form.reason.data or ""),
                       "Penilaian dikembalikan ke unit untuk diperbaiki.", form)


@bp.post("/penilaian/<int:assessment_id>/verifikasi-akhir")
@role_required(*STAFF_ROLES)
def verify(assessment_id: int):
    """Make the review final; the IPP is then computed from the verified levels."""
    assessment = get_conclusion_or_404(assessment_id, for_change=True)
    form = VerifyForm()
    success = "Penilaian terverifikasi. Rekomendasi telah disusun dan dapat disunting."
    if assessment.status == AssessmentStatus.SUBMITTED and assessment.period.objection_days > 0:
        success = (f"Hasil sementara dikirim ke unit; masa sanggah {assessment.period.objection_days} hari berjalan. "
                   "Verifikasi final dilakukan setelahnya.")
    return _transition(assessment, lambda: verify_assessment(assessment, current_user), success, form)


@bp.post("/penilaian/<int:assessment_id>/buka-kembali")
@role_required(Role.ADMIN)
def reopen(assessment_id: int):
    """Admin only: take a verified assessment back under review, with a reason."""
    assessment = get_assessment_or_404(assessment_id, for_change=True)
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
    assessment = get_conclusion_or_404(assessment_id)
    form = RecommendationForm()
    code = (form.indicator_code.data or "").strip()
    if not form.validate_on_submit() or (code and assessment.instrument.find_item(code) is None):
        flash("Rekomendasi belum disimpan: isi teksnya dan pilih indikator yang ada.", "danger")
    else:
        commit_or_flash(lambda: recs.add_recommendation(assessment, code, form.text.data.strip(), current_user),
                         "Rekomendasi ditambahkan.")
    return redirect(url_for("review.review", assessment_id=assessment.id, _anchor="rekomendasi"))


@bp.post("/rekomendasi/<int:recommendation_id>/<action>")
@role_required(*STAFF_ROLES)
def change_recommendation(recommendation_id: int, action: str):
    """Edit (ubah) or remove (hapus) one recommendation."""
    recommendation = get_recommendation_or_404(recommendation_id)
    form = RecommendationForm()
    if action == "hapus" and form.is_submitted():
        commit_or_flash(lambda: recs.delete_recommendation(recommendation, current_user), "Rekomendasi dihapus.")
    elif action == "ubah" and form.validate_on_submit():
        commit_or_flash(lambda: recs.update_recommendation(recommendation, form.text.data.strip(), current_user),
                         "Rekomendasi diperbarui.")
    elif action in ("ubah", "hapus"):
        flash("Rekomendasi belum disimpan: teksnya tidak boleh kosong.", "danger")
    else:
        abort(404)
    return redirect(url_for("review.review", assessment_id=recommendation.assessment_id, _anchor="rekomendasi"))


def _transition(assessment, action, success: str, form):
    if form.validate_on_submit():
        commit_or_flash(action, success)
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("review.review", assessment_id=assessment.id))


def _review_context(assessment, form) -> dict:
    instrument = assessment.instrument
    duties = team.duties(assessment, current_user)
    window = objections.current_window(assessment)
    previous_result, previous_followups = followup.previous_by_indicator(assessment.unit_id, assessment.period.year)
    visit = field_visits.visit_of(assessment)
    return {
        "assessment": assessment,
        "previous_result": previous_result,
        "previous_followups": previous_followups,
        "duties": duties,
        "instrument": instrument,
        "form": form,
        "entry_names": review_entry_form_of(assessment).VALUE_FIELDS,
        "self_score": score(instrument, assessment.levels()),
        "verified_score": _provisional_score(assessment),
        "unreviewed": unreviewed(assessment),
        "unreviewed_mine": [ind for ind in unreviewed(assessment) if ind.code in duties.codes],
        "changes": changes_since_last_submission(assessment),
        "evidence": evidence_by_indicator(assessment),
        "recommendations": recs.recommendations_of(assessment),
        # the field visit's finding and photos beside each indicator (domain/field_visits.py)
        "visit": visit,
        "visit_findings": {f.indicator_code: f for f in visit.findings} if visit else {},
        "visit_photos": field_visits.photos_by_code(visit),
        "can": {name: allowed(assessment, name, current_user) and (duties.conclude or name == "reopen")
                for name in ("return", "verify", "finalize", "reopen")},
        "window": window,
        "window_state": objections.state(window, today_wib()) if window else None,
        "window_labels": objections.STATE_LABELS,
        "finalize_refusal": objections.refusal_to_finalize(assessment, today_wib())
        if assessment.status == AssessmentStatus.PROVISIONAL else None,
        "reason_form": ReasonForm(),
        "verify_form": VerifyForm(),
        "recommendation_form": RecommendationForm(),
    }
