"""Follow-up of recommendations: the unit reports what it did, the reviewer answers, the Bagian Organisasi
monitors every unit of a period and prints the Laporan Pemantauan Tindak Lanjut."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..domain import followup
from ..domain.evidence.services import read_upload
from ..domain.evidence.storage import StorageError
from ..domain.formatting import today_wib
from ..domain.lifecycle import ActionRefused
from ..domain.models import Assessment, FollowUpState, Recommendation
from ..domain.unit_search import search_text
from ..extensions import db
from ..web.access import (
    STAFF_ROLES,
    concludes,
    get_assessment_or_404,
    get_followup_to_report_or_404,
    get_recommendation_or_404,
    is_unit_member,
    own_unit_or_404,
    role_required,
)
from ..web.paging import page_of
from ..web.printing.documents import pdf_bytes
from ..web.refusals import commit_or_flash, first_error
from .forms import AnswerForm, ReportForm
from .report import monitoring_report

bp = Blueprint("followup", __name__, url_prefix="/tindak-lanjut")


@bp.get("/")
@login_required
def index():
    """The unit's own recommendations, every year's, with where each stands; staff go to the monitoring page."""
    if not is_unit_member():
        return redirect(url_for(".monitoring"))
    unit = own_unit_or_404()
    return _unit_page([(a, followup.recommendations_to_follow(a)) for a in followup.final_results_of(unit.id)])


@bp.get("/penilaian/<int:assessment_id>")
@login_required
def unit_followup(assessment_id: int):
    """One unit's follow-up of one year's recommendations (the unit's own, or any for staff)."""
    assessment = get_assessment_or_404(assessment_id)
    return _unit_page([(assessment, followup.recommendations_to_follow(assessment))])


def _unit_page(results: list[tuple[Assessment, list[Recommendation]]], failed: tuple[int, ReportForm] | None = None,
               status: int = 200):
    entries = [entry for _, recommendations in results for r in recommendations for entry in r.followups]
    unit_member = is_unit_member()
    actions = {}
    for assessment, recommendations in results:
        answering = concludes(assessment)
        for r in recommendations:
            actions[r.id] = {"report": unit_member and followup.awaits_report(r),
                             "asked_again": r.followup_state == FollowUpState.ASKED_AGAIN,
                             "answer": answering and followup.awaits_review(r)}
    return render_template(
        "followup/unit.html", results=results, files=followup.files_of(entries), failed=failed, actions=actions,
        report_form=ReportForm(formdata=None), answer_form=AnswerForm(formdata=None),
        reported_late=followup.reported_late), status


@bp.post("/rekomendasi/<int:recommendation_id>/lapor")
@login_required
def report(recommendation_id: int):
    """The unit's report of what it did for one recommendation, with files. A refused report comes back on the
    page with what was typed (files must be chosen again: a browser never keeps them)."""
    recommendation = get_followup_to_report_or_404(recommendation_id)
    form = ReportForm()
    problem, status = None, 422
    if form.validate_on_submit():
        uploads = [read_upload(recommendation.indicator_code or "", f) for f in request.files.getlist(form.files.name)
                   if f and f.filename]
        try:
            followup.report(recommendation, form.text.data, uploads, current_user)
            db.session.commit()
        except (ActionRefused, StorageError) as error:
            db.session.rollback()
            problem, status = str(error), getattr(error, "status", status)  # a full disk is 507, as for evidence
        else:
            flash("Laporan tindak lanjut terkirim ke Bagian Organisasi.", "success")
            return redirect(url_for(".unit_followup", assessment_id=recommendation.assessment_id,
                                    _anchor=f"rekomendasi-{recommendation.id}"))
    else:
        problem = first_error(form)
    flash(f"Laporan belum terkirim: {problem}", "danger")
    assessment = db.get_or_404(Assessment, recommendation.assessment_id)
    return _unit_page([(assessment, followup.recommendations_to_follow(assessment))],
                      failed=(recommendation.id, form), status=status)


@bp.post("/rekomendasi/<int:recommendation_id>/tanggapi")
@role_required(*STAFF_ROLES)
def answer(recommendation_id: int):
    """The reviewer accepts the unit's report (done) or asks for more."""
    recommendation = get_recommendation_or_404(recommendation_id)
    form = AnswerForm()
    if form.validate_on_submit():
        accepted = form.decision.data == "terima"
        commit_or_flash(lambda: followup.answer(recommendation, accepted, form.text.data, current_user),
                        "Tindak lanjut diterima." if accepted else "Permintaan melengkapi terkirim ke unit.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for(".unit_followup", assessment_id=recommendation.assessment_id,
                            _anchor=f"rekomendasi-{recommendation.id}"))


@bp.get("/pemantauan")
@role_required(*STAFF_ROLES)
def monitoring():
    """Every unit's follow-up of one period's recommendations: done, late, waiting, open; filterable."""
    period = followup.followed_period(request.args.get("tahun", type=int))
    if period is None and "tahun" in request.args:
        abort(404)
    only = request.args.get("status") if request.args.get("status") in followup.FILTERS else None
    search = search_text(request.args.get("q"))
    every = followup.monitoring(period, today_wib()) if period else []
    rows = followup.only(followup.monitoring(period, today_wib(), search) if search else every, only)

    def page_url(number: int) -> str:
        return url_for(".monitoring", tahun=period.year if period else None, status=only, q=search or None,
                       halaman=number)

    return render_template("followup/monitoring.html", period=period, periods=followup.periods_with_recommendations(),
                           page=page_of(rows, request.args.get("halaman", 1, type=int)), page_url=page_url, only=only,
                           search=search, totals=followup.totals(every), unit_count=len(every))


@bp.get("/pemantauan/<int:year>.pdf")
@role_required(*STAFF_ROLES)
def monitoring_pdf(year: int):
    """The Laporan Pemantauan Tindak Lanjut of one period's recommendations, for the leadership meeting."""
    period = followup.followed_period(year)
    if period is None:
        abort(404)
    document = monitoring_report(period, today_wib())
    return send_file(io.BytesIO(pdf_bytes(document)), mimetype="application/pdf", download_name=document.filename)
