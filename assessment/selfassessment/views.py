from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain import followup
from ..domain.answers import find_assessment, missing_indicators, submit_assessment, unsaved_assessment
from ..domain.evidence.services import evidence_by_indicator, missing_evidence
from ..domain.formatting import angka, jam, today_wib
from ..domain.lifecycle import editing_refusal
from ..domain.locks import lock_database
from ..domain.models import Assessment, AssessmentStatus, Role, utcnow
from ..domain.periods import current_period
from ..domain.recommendations import latest_recommendations
from ..domain.saves import Outcome
from ..domain.scoring import score
from ..extensions import db
from ..web.access import get_assessment_or_404, get_own_assessment_or_404, is_unit_member, own_unit_or_404, role_required
from ..web.autosave import SAVE_FAILURES, carry_over, entry_replies, failure_of, rendered_card
from ..web.errors import wants_json
from ..web.refusals import REFUSED, commit_or_flash
from .fact_forms import entry_form_of, page_form
from .fact_view import fact_items, outcome_panels, template_names, with_findings
from .forms import SubmitForm
from .saving import PageSave, save_page
from .sections import Section, neighbours, sections_of

bp = Blueprint("selfassessment", __name__)


@bp.get("/")
@login_required
def home():
    """Send each role to its own start page."""
    if is_unit_member():
        return redirect(url_for("selfassessment.dashboard"))
    return redirect(url_for("review.queue"))


@bp.get("/penilaian")
@role_required(Role.OPD)
def dashboard():
    """The OPD's start page: period, deadline, progress per aspect, provisional IPP ("Belum dimulai" before
    the first saved answer: opening the page creates nothing)."""
    period = current_period()
    if period is None or current_user.unit is None:
        return render_template("selfassessment/no_period.html", period=period)
    assessment = find_assessment(current_user.unit, period) or unsaved_assessment(current_user.unit, period)
    recommended_in, recommendations = latest_recommendations(current_user.unit_id)
    return render_template("selfassessment/dashboard.html", recommended_in=recommended_in,
                           recommendations=recommendations, **_context(assessment))


@bp.get("/penilaian/<int:assessment_id>/aspek/<key>")
@bp.get("/penilaian/baru/aspek/<key>", defaults={"assessment_id": None})
@login_required
def section(assessment_id: int | None, key: str):
    """One page of the form (of the current period's form before it is started: ``baru``)."""
    assessment = _assessment_or_unsaved(assessment_id)
    if assessment_id is None and assessment.id is not None:
        return redirect(url_for(".section", assessment_id=assessment.id, key=key))
    _, page, _ = _neighbours_or_404(assessment, key)
    return _section_page(assessment, page, page_form(page, assessment, formdata=None))


@bp.post("/penilaian/<int:assessment_id>/aspek/<key>")
@bp.post("/penilaian/baru/aspek/<key>", defaults={"assessment_id": None})
@role_required(Role.OPD)
def save_section(assessment_id: int | None, key: str):
    """Save what the page sent, indicator by indicator; the autosave is answered in JSON, the buttons move on."""
    try:
        assessment = _assessment_or_unsaved(assessment_id, for_save=True)
        before, page, after = _neighbours_or_404(assessment, key)
        form = page_form(page, assessment, request.form)
        form.validate()  # each indicator's errors are its own (autosave.sent_entries)
        saved = save_page(assessment, page, form, request.files, request.form.get("action", ""), current_user,
                          today_wib())
        reply = _autosave_reply(saved, page) if wants_json() else None  # before the commit expires what it reads
        db.session.commit()
    except SAVE_FAILURES as error:
        db.session.rollback()
        return _save_failed(error, assessment_id, key)
    if reply is not None:
        return jsonify(reply), saved.report.http_status()
    if saved.complete:
        flash("Draf tersimpan." if saved.assessment.id else "Belum ada jawaban untuk disimpan.", "success")
        return redirect(_destination(saved.assessment, page, before, after))
    return _partly_saved(saved, page, form)


def _partly_saved(saved: PageSave, page: Section, sent_form):
    """Refused input: the page as sent, with the reasons. Conflicts: the page as stored now (the rest was saved),
    with the conflicting indicators as the user typed them, beside what the other person saved."""
    if saved.refused_input:
        flash("Belum tersimpan: ada berkas bukti dukung yang ditolak. Pilih ulang berkasnya." if saved.upload_problems
              else "Belum tersimpan: periksa isian yang ditandai merah, lalu simpan lagi.", "danger")
        return _section_page(saved.assessment, page, sent_form, upload_problems=saved.upload_problems, status=422,
                             fact_problems=saved.fact_problems)
    conflicting = saved.report.codes(Outcome.CONFLICT)
    form = page_form(page, saved.assessment, formdata=None)
    carry_over(form, sent_form, conflicting)
    flash(f"Belum tersimpan: {', '.join(conflicting)} telah diubah orang lain (atau di tab lain) sejak halaman ini "
          "dibuka. Kedua isian ditampilkan di bawah; yang lain sudah tersimpan.", "danger")
    return _section_page(saved.assessment, page, form, status=409,
                         conflicts={code: saved.report.results[code].stored for code in conflicting})


def _save_failed(error: Exception, assessment_id: int | None, key: str):
    """Nothing was saved: JSON for the autosave, else the page again with everything as the user sent it."""
    failure = failure_of(error)
    if wants_json():
        return jsonify(failure.as_json()), failure.status
    assessment = _assessment_or_unsaved(assessment_id)
    _, page, _ = _neighbours_or_404(assessment, key)
    flash(failure.message, "danger")
    return _section_page(assessment, page, page_form(page, assessment, request.form), status=failure.status)


def _section_page(assessment: Assessment, page: Section, form, conflicts=None, upload_problems=None, status=200,
                  fact_problems=None):
    before, page, after = neighbours(assessment.instrument, page.key)
    facts = fact_items(assessment, page, form, fact_problems or {}) if assessment.instrument.has_facts else {}
    previous_result, previous_followups = followup.previous_by_indicator(assessment.unit.id, assessment.period.year)
    return render_template("selfassessment/section.html", form=form, page=page, before=before, after=after,
                           previous_result=previous_result, previous_followups=previous_followups,
                           conflicts=conflicts or {}, upload_problems=upload_problems or {},
                           entry_names=entry_form_of(assessment).VALUE_FIELDS, facts=facts,
                           fact_names=template_names(), **_context(assessment)), status


def _assessment_or_unsaved(assessment_id: int | None, *, for_save: bool = False) -> Assessment:
    """The assessment the URL names, or for ``baru`` the unit's current one: stored if started, else unsaved."""
    if assessment_id is not None:
        return get_assessment_or_404(assessment_id, for_save=for_save)
    unit, period = own_unit_or_404(), current_period()
    if period is None:
        abort(404)
    if for_save:
        lock_database()  # SQLite: the first save of a form creates it inside one transaction (services.assessment_for)
    return find_assessment(unit, period) or unsaved_assessment(unit, period)


def _neighbours_or_404(assessment: Assessment, key: str) -> tuple[Section | None, Section, Section | None]:
    try:
        return neighbours(assessment.instrument, key)
    except KeyError:
        abort(404)


def _autosave_reply(saved: PageSave, page: Section) -> dict:
    """What the page updates after an autosave: each indicator's outcome and version, and the new score."""
    assessment = saved.assessment
    levels = assessment.levels()
    result = score(assessment.instrument, levels)
    answered_here = sum(levels.get(item.code) is not None for item in page.items)
    return {
        "status": "saved" if saved.complete else "partial",
        "saved_at": jam(utcnow()),
        "entries": entry_replies(saved.report, entry_form_of(assessment)),
        "panels": outcome_panels(assessment, saved.report) if assessment.instrument.has_facts else {},
        "page_url": url_for(".section", assessment_id=assessment.id, key=page.key) if assessment.id else None,
        "draft": f"opd:a{assessment.id}" if assessment.id else None,  # as templates/_saving.html names the copy
        "cards": {"self": rendered_card("_macros.html", "score_card", result)},
        "texts": {"answered": str(result.answered), "section": f"{answered_here}/{len(page.items)}",
                  **({"aspect": angka(result.aspects[page.key])} if page.scored else {})},
    }


@bp.get("/penilaian/<int:assessment_id>/ringkasan")
@bp.get("/penilaian/baru/ringkasan", defaults={"assessment_id": None})
@login_required
def summary(assessment_id: int | None):
    """Every answer on one page, what is still missing, and the submit step."""
    assessment = _assessment_or_unsaved(assessment_id)
    if assessment_id is None and assessment.id is not None:
        return redirect(url_for(".summary", assessment_id=assessment.id))
    return render_template("selfassessment/summary.html", form=SubmitForm(), **_context(assessment))


@bp.post("/penilaian/<int:assessment_id>/kirim")
@role_required(Role.OPD)
def submit(assessment_id: int):
    """Send the completed form to the Bagian Organisasi; it is read-only afterwards."""
    assessment = get_own_assessment_or_404(assessment_id, for_change=True)
    form = SubmitForm()
    if not form.validate_on_submit():
        flash("Centang pernyataan kebenaran data sebelum mengirim.", "danger")
    else:
        sent = commit_or_flash(lambda: submit_assessment(assessment, current_user, today_wib()),
                               "Penilaian mandiri berhasil dikirim ke Bagian Organisasi.")
        if sent is not REFUSED:
            return redirect(url_for("selfassessment.dashboard"))
    return redirect(url_for("selfassessment.summary", assessment_id=assessment.id))


def _destination(assessment: Assessment, page: Section, before: Section | None, after: Section | None) -> str:
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
    reviewed = assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.PROVISIONAL, AssessmentStatus.VERIFIED)
    files = evidence_by_indicator(assessment)
    return {
        "assessment": assessment,
        "started": assessment.id is not None,
        "instrument": assessment.instrument,
        "result": score(assessment.instrument, levels),
        "sections": sections,
        "answered_in": {s.key: sum(levels.get(i.code) is not None for i in s.items) for s in sections},
        "missing": missing_indicators(assessment),
        "refusal": refusal,
        "editable": refusal is None and is_unit_member(),
        "reviewer_notes": {code: r for code, r in assessment.reviews.items() if r.note} if reviewed else {},
        "findings": with_findings(assessment),  # the dashboard leads to these
        "evidence": files,
        "missing_evidence": missing_evidence(assessment),
        "verified_result": score(assessment.instrument, assessment.verified_levels())
        if assessment.status == AssessmentStatus.VERIFIED else None,
    }
