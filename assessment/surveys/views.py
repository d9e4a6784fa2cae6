"""The survey pages of the unit (its OPD) and of the Bagian Organisasi: numbers, settings, paper questionnaires,
the poster, the Laporan SKM and attaching it as evidence, the Excel export."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..domain import f03, skm
from ..domain.formatting import today_wib
from ..domain.models import Channel, Role
from ..domain.periods import current_period
from ..extensions import db
from ..web.access import (
    STAFF_ROLES,
    get_own_unit_or_404,
    get_visible_unit_or_404,
    is_unit_member,
    period_of_year_or_404,
    role_required,
)
from ..web.refusals import Refused, commit_or_flash, first_error
from . import documents
from .attach import attach_report
from .export import XLSX_MIMETYPE, survey_workbook
from .forms import FollowUpForm, PaperForm, PeriodSurveyForm, SettingsForm, profile_of
from .public import BUSY
from .services import (
    closed_reason,
    pemda_survey,
    record_response,
    responses_of,
    save_follow_up,
    save_period_settings,
    save_settings,
    settings_for,
    unit_survey,
)

bp = Blueprint("surveys", __name__, url_prefix="/survei")


@bp.app_template_filter("desimal4")
def desimal4(value) -> str:
    """A value already rounded to 4 decimals (NRR, IKM), with a decimal comma: 3,2400."""
    return "–" if value is None else f"{value:.4f}".replace(".", ",")


@bp.get("/")
@login_required
def home():
    """The OPD's own survey of the current period; the Bagian Organisasi's overview of all units."""
    period = current_period()
    if period is None:
        abort(404)
    if is_unit_member():
        return redirect(url_for("surveys.unit", year=period.year, unit_id=current_user.unit_id))
    return redirect(url_for("surveys.overview", year=period.year))


@bp.get("/<int:year>")
@role_required(*STAFF_ROLES)
def overview(year: int):
    """Every unit's responses, sample progress, SKM and F-03 beside the IPP, and the Pemda-wide SKM."""
    period = period_of_year_or_404(year)
    form = PeriodSurveyForm(obj=period)
    return render_template("surveys/overview.html", survey=pemda_survey(period), period=period, form=form,
                           unsur=skm.UNSUR)


@bp.post("/<int:year>/pengaturan")
@role_required(Role.ADMIN)
def period_settings(year: int):
    """The period's F-03 minimum of respondents and F-03 share in the combined index."""
    period = period_of_year_or_404(year)
    form = PeriodSurveyForm()
    if form.validate_on_submit():
        save_period_settings(period, min_respondents=form.survey_min_respondents.data, f03_share=form.f03_share.data)
        db.session.commit()
        flash(f"Pengaturan survei periode {period.year} tersimpan.", "success")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("surveys.overview", year=year))


@bp.get("/<int:year>/unit/<int:unit_id>")
@login_required
def unit(year: int, unit_id: int):
    """One unit's survey: link and poster, progress, SKM per unsur and per service type, F-03, profile."""
    unit, period = get_visible_unit_or_404(unit_id), period_of_year_or_404(year)
    survey = unit_survey(unit, period, today_wib())
    settings = survey.settings
    return render_template(
        "surveys/unit.html", survey=survey, unit=unit, period=period, unsur=skm.UNSUR, f03_items=f03.items_of(settings.f03_form),
        public_url=documents.public_url(unit, period), closed=closed_reason(unit, period, today_wib()),
        chart=documents.nrr_chart(survey), own=is_unit_member(),
        settings_form=SettingsForm(data={"f03_form": settings.f03_form, "population": settings.population,
                                         "service_types": "\n".join(settings.service_types)}),
        follow_up_form=FollowUpForm(data={"follow_up_plan": settings.follow_up_plan}),
    )


@bp.post("/<int:year>/unit/<int:unit_id>/pengaturan")
@login_required
def unit_settings(year: int, unit_id: int):
    """The unit's F-03 form, its number of service users (for the sample size) and its service types."""
    unit, period = get_own_unit_or_404(unit_id), period_of_year_or_404(year)
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(first_error(form), "danger")
        return redirect(url_for("surveys.unit", year=year, unit_id=unit_id))
    commit_or_flash(lambda: save_settings(settings_for(unit, period), f03_form=form.f03_form.data,
                                          population=form.population.data, service_types=form.service_type_list(),
                                          user=current_user), "Pengaturan survei tersimpan.")
    return redirect(url_for("surveys.unit", year=year, unit_id=unit_id))


@bp.post("/<int:year>/unit/<int:unit_id>/tindak-lanjut")
@login_required
def follow_up(year: int, unit_id: int):
    """The unit's follow-up plan, printed as chapter V of the Laporan SKM."""
    unit, period = get_own_unit_or_404(unit_id), period_of_year_or_404(year)
    form = FollowUpForm()
    if form.validate_on_submit():
        save_follow_up(settings_for(unit, period), form.follow_up_plan.data.strip(), current_user)
        db.session.commit()
        flash("Rencana tindak lanjut tersimpan.", "success")
    else:
        flash(first_error(form), "danger")
    return redirect(url_for("surveys.unit", year=year, unit_id=unit_id) + "#tindak-lanjut")


@bp.route("/<int:year>/unit/<int:unit_id>/kertas", methods=["GET", "POST"])
@login_required
def paper(year: int, unit_id: int):
    """An operator of the unit types in a paper questionnaire; it is stored marked as paper, with who entered it."""
    unit, period = get_own_unit_or_404(unit_id), period_of_year_or_404(year)
    settings, today = settings_for(unit, period), today_wib()
    closed = closed_reason(unit, period, today)
    form, status = PaperForm(settings, period.opens_on, today, data={"answered_on": today}), 200
    if closed is None and form.validate_on_submit():
        try:
            record_response(unit, period, settings, skm_answers=form.skm_answers(), f03_answers=form.f03_answers(),
                            profile=profile_of(form), channel=Channel.PAPER, answered_on=form.answered_on.data,
                            entered_by=current_user)
            db.session.commit()
            flash("Kuesioner kertas tersimpan. Masukkan kuesioner berikutnya.", "success")
            return redirect(url_for("surveys.paper", year=year, unit_id=unit_id))
        except sa.exc.OperationalError:  # a busy database: the typed answers stay on screen
            db.session.rollback()
            form.form_errors.append(BUSY)
            status = 503
    return render_template("surveys/paper.html", form=form, unit=unit, period=period, closed=closed), status


@bp.get("/<int:year>/unit/<int:unit_id>/poster.pdf")
@login_required
def poster(year: int, unit_id: int):
    """The A4 poster for the service counter: the QR code and address of the public form."""
    return _pdf(documents.poster(get_visible_unit_or_404(unit_id), period_of_year_or_404(year)))


@bp.get("/<int:year>/unit/<int:unit_id>/laporan-skm.pdf")
@login_required
def report(year: int, unit_id: int):
    """The unit's Laporan SKM (pendahuluan, metode, hasil, analisis, rencana tindak lanjut)."""
    unit, period = get_visible_unit_or_404(unit_id), period_of_year_or_404(year)
    return _pdf(documents.report(unit_survey(unit, period, today_wib())))


@bp.post("/<int:year>/unit/<int:unit_id>/lampirkan")
@login_required
def attach(year: int, unit_id: int):
    """Attach the Laporan SKM as of now to indicators 6.a.B–9.a.Ak of the unit's self-assessment."""
    unit, period = get_own_unit_or_404(unit_id), period_of_year_or_404(year)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    codes = commit_or_flash(lambda: attach_report(unit, period, current_user, today_wib()), None)
    if not isinstance(codes, Refused):
        flash(f"Laporan SKM terlampir sebagai bukti dukung {', '.join(codes)}.", "success")
    return redirect(url_for("surveys.unit", year=year, unit_id=unit_id))


@bp.get("/<int:year>/unit/<int:unit_id>/responden.xlsx")
@login_required
def export(year: int, unit_id: int):
    """Every response of the unit and period, and the numbers, as Excel."""
    unit, period = get_visible_unit_or_404(unit_id), period_of_year_or_404(year)
    workbook = survey_workbook(unit_survey(unit, period, today_wib()), responses_of(unit, period))
    return send_file(workbook, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"survei-{documents.slug(unit)}-{period.year}.xlsx")


def _pdf(pdf: documents.Pdf) -> Response:
    return Response(pdf.data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{pdf.filename}"'})

