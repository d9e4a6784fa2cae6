"""The evaluation as a Pemda runs it: the evaluator team (its decree and members, who examines what, each member's
progress), the verification window (the unit's provisional result, its objections, the answers) and the
conversation on the notes of a returned form."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain import conversation as conversation_service
from ..domain import objections, team
from ..domain.evidence.services import read_upload
from ..domain.evidence.storage import StorageError
from ..domain.formatting import today_wib
from ..domain.lifecycle import ActionRefused
from ..domain.models import TEAM_ROLE_LABELS, WHOLE_UNIT, Role, TeamRole, Unit, User
from ..domain.scoring import score
from ..extensions import db
from ..web.access import (
    STAFF_ROLES,
    get_assessment_or_404,
    get_objection_to_answer_or_404,
    get_own_assessment_or_404,
    get_period_to_assign_or_404,
    role_required,
    sees_reviewer_work,
)
from ..web.form_fields import field_key
from ..web.paging import PAGE_SIZE, Page, page_number
from ..web.refusals import commit_or_flash, first_error
from .forms import (
    AnswerForm,
    ConfirmForm,
    DecreeForm,
    MemberForm,
    MessageForm,
    ObjectionForm,
    RemoveMemberForm,
    assignment_form,
)

bp = Blueprint("evaluation", __name__, url_prefix="/evaluasi")


def _period_or_404(year: int | None):
    period = team.period_of(year)
    if period is None:
        abort(404)
    return period


@bp.get("/tim")
@role_required(*STAFF_ROLES)
def team_page():
    """The period's evaluator team: its SK and its members; the admin forms and changes it here."""
    period = _period_or_404(request.args.get("tahun", type=int))
    evaluation_team = team.team_of(period.id)
    decree = DecreeForm(formdata=None, sk_number=evaluation_team.sk_number if evaluation_team else "",
                        sk_date=evaluation_team.sk_date if evaluation_team else None)
    return render_template("evaluation/team.html", period=period, team=evaluation_team, decree_form=decree,
                           member_form=MemberForm(team.candidates(), formdata=None), remove_form=RemoveMemberForm(),
                           team_role_labels=TEAM_ROLE_LABELS, in_force=team.in_force(evaluation_team))


@bp.post("/<int:year>/sk")
@role_required(Role.ADMIN)
def save_decree(year: int):
    """Record the number and date of the decree (SK) that forms the team."""
    period = _period_or_404(year)
    form = DecreeForm()
    if form.validate_on_submit():
        team.save_decree(period, form.sk_number.data, form.sk_date.data, current_user)
        db.session.commit()
        flash("SK tim evaluator tersimpan.", "success")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("evaluation.team_page", tahun=period.year))


@bp.post("/<int:year>/anggota")
@role_required(Role.ADMIN)
def save_member(year: int):
    """Add an account to the team, or change its role, jabatan or NIP."""
    period = _period_or_404(year)
    form = MemberForm(team.candidates())
    if form.validate_on_submit():
        account = db.session.get_one(User, form.user_id.data)  # one of the form's choices
        nip = form.nip.data or account.nip or ""
        commit_or_flash(lambda: team.save_member(period, account, TeamRole(form.role.data), form.jabatan.data, nip,
                                                  current_user), f"{account.full_name} tercatat dalam tim.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("evaluation.team_page", tahun=period.year))


@bp.post("/<int:year>/anggota/keluarkan")
@role_required(Role.ADMIN)
def remove_member(year: int):
    """Take a member out of the team; what they held becomes unassigned."""
    period = _period_or_404(year)
    form = RemoveMemberForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: team.remove_member(period, form.user_id.data, current_user),
                         "Anggota dikeluarkan dari tim; tugasnya kini belum ditugaskan.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("evaluation.team_page", tahun=period.year))


@bp.get("/penugasan")
@role_required(*STAFF_ROLES)
def assignments():
    """Who examines each unit, or each of its aspects; the ketua and the admin change it here."""
    period = _period_or_404(request.args.get("tahun", type=int))
    evaluation_team = team.team_of(period.id)
    active = sa.select(Unit).where(Unit.active)
    matching = db.session.scalar(sa.select(sa.func.count()).select_from(active.subquery())) or 0
    number, pages = page_number(request.args.get("halaman", 1, type=int), matching)
    units = db.session.scalars(active.order_by(sa.func.lower(Unit.short_name), Unit.id)
                               .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()  # one page, not every unit
    page = Page(list(units), matching, number, pages)
    held = team.assignments_by_unit(evaluation_team, [unit.id for unit in page.rows])
    members = evaluation_team.members if evaluation_team else []
    forms = {unit.id: assignment_form(period.instrument, members, held[unit.id], formdata=None, prefix=f"u{unit.id}")
             for unit in page.rows}
    return render_template("evaluation/assignments.html", period=period, team=evaluation_team, page=page,
                           forms=forms, held=held, members={m.id: m for m in members},
                           may_reassign=team.may_reassign(period, current_user),
                           part_codes=[WHOLE_UNIT, *(aspect.code for aspect in period.instrument.aspects)])


@bp.post("/<int:year>/penugasan/<int:unit_id>")
@role_required(*STAFF_ROLES)
def assign(year: int, unit_id: int):
    """Give the unit and its aspects to the members chosen on its row (nobody: unassigned)."""
    period = get_period_to_assign_or_404(year)
    unit = db.get_or_404(Unit, unit_id)
    evaluation_team = team.team_of(period.id)
    members = evaluation_team.members if evaluation_team else []
    form = assignment_form(period.instrument, members, {}, prefix=f"u{unit.id}")
    if form.validate_on_submit():
        def assign_every_part():
            for code, field in form.parts.items():
                team.assign(period, unit, code, int(field.data) if field.data else None, current_user)
        commit_or_flash(assign_every_part, f"Penugasan {unit.short_name} tersimpan.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("evaluation.assignments", tahun=period.year, halaman=request.args.get("halaman", type=int),
                            _anchor=f"unit-{unit.id}"))


@bp.get("/kemajuan")
@role_required(*STAFF_ROLES)
def progress():
    """Each member's units and indicators, and how many of them are decided."""
    period = _period_or_404(request.args.get("tahun", type=int))
    evaluation_team = team.team_of(period.id)
    rows = team.progress(evaluation_team) if evaluation_team else []
    return render_template("evaluation/progress.html", period=period, team=evaluation_team, rows=rows,
                           team_role_labels=TEAM_ROLE_LABELS)


# The verification window (masa sanggah): the unit's page, its answers, the evaluator's answers.

@bp.get("/penilaian/<int:assessment_id>/hasil-sementara")
@login_required
def provisional(assessment_id: int):
    """The provisional result as the unit received it, its window, its objections and their answers."""
    return _provisional_page(get_assessment_or_404(assessment_id), ObjectionForm(formdata=None))


def _provisional_page(assessment, objection_form: ObjectionForm, objection_error: str | None = None) -> str:
    """The provisional page; after a refused objection, its form as typed and why (the files must be chosen again:
    a browser never keeps them)."""
    window = objections.current_window(assessment)
    if window is None:
        return render_template("evaluation/provisional.html", assessment=assessment, window=None)
    instrument, verified_levels, today = assessment.instrument, assessment.verified_levels(), today_wib()
    return render_template(
        "evaluation/provisional.html", assessment=assessment, instrument=instrument, window=window,
        state=objections.state(window, today), days_left=objections.days_left(window, today),
        state_labels=objections.STATE_LABELS, self_score=score(instrument, assessment.levels()),
        verified_levels=verified_levels, verified_score=score(instrument, verified_levels),
        objected={o.indicator_code: o for o in window.objections}, objection_form=objection_form,
        objection_error=objection_error, confirm_form=ConfirmForm(), may_respond=current_user.role == Role.OPD)


@bp.post("/penilaian/<int:assessment_id>/terima")
@role_required(Role.OPD)
def accept(assessment_id: int):
    """The unit accepts the provisional result (or has nothing more to object)."""
    assessment = get_own_assessment_or_404(assessment_id, for_change=True)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: objections.accept(assessment, current_user, today_wib()),
                         "Tanggapan tersimpan: Bagian Organisasi dapat melakukan verifikasi final.")
    return redirect(url_for("evaluation.provisional", assessment_id=assessment.id))


@bp.post("/penilaian/<int:assessment_id>/sanggah")
@role_required(Role.OPD)
def object_to(assessment_id: int):
    """The unit objects to one indicator's provisional level, with a reason and any new evidence; refused, the page
    comes back with the form as typed (422, or the storage's own status when the disk cannot take a file)."""
    assessment = get_own_assessment_or_404(assessment_id, for_change=True)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return _provisional_page(assessment, form, first_error(form)), 422
    code = form.indicator_code.data
    uploads = [read_upload(code, file) for file in form.files.data or [] if file and file.filename]
    try:
        objections.file_objection(assessment, code, form.reason.data, current_user, today_wib(), uploads)
        db.session.commit()
    except (ActionRefused, StorageError) as refusal:
        db.session.rollback()
        status = refusal.status if isinstance(refusal, StorageError) else 422
        return _provisional_page(assessment, form, str(refusal)), status
    flash(f"Sanggahan untuk indikator {code} terkirim ke evaluator"
          f"{f', dengan {len(uploads)} bukti baru' if uploads else ''}.", "success")
    return redirect(url_for("evaluation.provisional", assessment_id=assessment.id, _anchor="sanggahan"))


@bp.post("/sanggahan/<int:objection_id>/jawab")
@role_required(*STAFF_ROLES)
def answer(objection_id: int):
    """The evaluator accepts an objection (a new level) or refuses it (a reason)."""
    objection = get_objection_to_answer_or_404(objection_id)
    form = AnswerForm()
    if form.validate_on_submit():
        level = int(form.level.data) if (form.level.data or "").isdigit() and len(form.level.data) < 3 else None
        commit_or_flash(lambda: objections.answer(objection, form.answer.data == "terima", level, form.reason.data,
                                                   current_user), f"Sanggahan {objection.indicator_code} dijawab.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("review.review", assessment_id=objection.window.assessment_id, _anchor="sanggahan"))


# The conversation on the reviewer's notes of a returned form.

@bp.get("/penilaian/<int:assessment_id>/catatan")
@login_required
def conversation(assessment_id: int):
    """Every indicator the reviewer noted, with its conversation; a reply form where the user may write."""
    assessment = get_assessment_or_404(assessment_id)
    codes = conversation_service.noted_codes(assessment) if sees_reviewer_work(assessment) else []
    return render_template(
        "evaluation/conversation.html", assessment=assessment, instrument=assessment.instrument, codes=codes,
        threads=conversation_service.threads(assessment), form=MessageForm(formdata=None),
        writable={code for code in codes if conversation_service.may_write(assessment, code, current_user)},
        message_max=conversation_service.MESSAGE_MAX)


@bp.post("/penilaian/<int:assessment_id>/catatan")
@login_required
def post_message(assessment_id: int):
    """Add the unit's answer, or the reviewer's reply, to the conversation on one indicator's note."""
    assessment = get_assessment_or_404(assessment_id)
    form = MessageForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: conversation_service.post(assessment, form.indicator_code.data, form.text.data,
                                                           current_user), "Tanggapan terkirim.")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("evaluation.conversation", assessment_id=assessment.id,
                            _anchor=f"catatan-{field_key(form.indicator_code.data or '')}"))
