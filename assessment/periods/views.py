from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain.models import Period, Role, Unit
from ..domain.models.periods import (
    DEFAULT_BA_PATTERN,
    DEFAULT_FOLLOWUP_DAYS_ABOVE_B,
    DEFAULT_FOLLOWUP_DAYS_B_AND_BELOW,
    DEFAULT_OBJECTION_DAYS,
)
from ..domain.periods import all_periods, grant_extension, instrument_versions, save_period, set_open
from ..domain.units import active_units
from ..extensions import db
from ..web.access import role_required
from ..web.refusals import REFUSED, commit_or_flash, first_error
from .closing import closing_effect
from .forms import ExtensionForm, OpenCloseForm, PeriodForm

bp = Blueprint("periods", __name__, url_prefix="/admin/periode")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """Every period with its dates and state."""
    return render_template("periods/index.html", periods=all_periods())


@bp.route("/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    """Open a new evaluation year."""
    return _edit(Period(is_open=True, ba_number_pattern=DEFAULT_BA_PATTERN, objection_days=DEFAULT_OBJECTION_DAYS,
                        followup_days_b_and_below=DEFAULT_FOLLOWUP_DAYS_B_AND_BELOW,
                        followup_days_above_b=DEFAULT_FOLLOWUP_DAYS_ABOVE_B))


@bp.route("/<int:period_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(period_id: int):
    """Change a period's title, dates or instrument; grant extensions below."""
    return _edit(db.get_or_404(Period, period_id))


@bp.get("/<int:period_id>/tutup")
@role_required(Role.ADMIN)
def confirm_close(period_id: int):
    """Before closing: what it does to the units that have not sent their form, and the button that does it."""
    period = db.get_or_404(Period, period_id)
    if not period.is_open:
        return redirect(url_for("periods.edit", period_id=period.id))
    return render_template("periods/close.html", period=period, effect=closing_effect(period),
                           toggle_form=OpenCloseForm())


@bp.post("/<int:period_id>/status")
@role_required(Role.ADMIN)
def toggle(period_id: int):
    """Open or close a period for the OPDs."""
    period = db.get_or_404(Period, period_id)
    form = OpenCloseForm()
    if form.validate_on_submit():
        set_open(period, form.is_open.data)
        db.session.commit()
        flash(f"Periode {period.year} {'dibuka' if period.is_open else 'ditutup'}.", "success")
    return redirect(url_for("periods.edit", period_id=period.id))


@bp.post("/<int:period_id>/perpanjangan")
@role_required(Role.ADMIN)
def extend(period_id: int):
    """Give one unit a later deadline (written to the audit log)."""
    period = db.get_or_404(Period, period_id)
    form = ExtensionForm(active_units())
    if not form.validate_on_submit():
        flash(first_error(form), "danger")
        return redirect(url_for("periods.edit", period_id=period.id))
    unit = db.session.get_one(Unit, int(form.unit_id.data))  # one of the form's choices
    commit_or_flash(lambda: grant_extension(period, unit, form.new_deadline.data, form.reason.data.strip(), current_user),
                    f"Batas waktu {unit.short_name} diperpanjang.")
    return redirect(url_for("periods.edit", period_id=period.id))


def _edit(period: Period):
    versions = instrument_versions()
    if period.id is None and versions:
        period.instrument_id = versions[0].id  # a new period gets the newest instrument (versions come newest first)
    form = PeriodForm(versions, obj=period)
    if form.validate_on_submit():
        saved = commit_or_flash(lambda: save_period(
            period, year=form.year.data, title=form.title.data.strip(), instrument_id=int(form.instrument_id.data),
            opens_on=form.opens_on.data, deadline=form.deadline.data, ba_number_pattern=form.ba_number_pattern.data,
            recap_number=form.recap_number.data, pack_number=form.pack_number.data,
            objection_days=form.objection_days.data, followup_days=(form.followup_days_b_and_below.data,
                                                                    form.followup_days_above_b.data)),
            f"Periode {form.year.data} tersimpan.")
        if saved is not REFUSED:
            return redirect(url_for("periods.edit", period_id=period.id))
    return render_template("periods/edit.html", period=period, form=form, versions=versions,
                           extension_form=ExtensionForm(active_units()), toggle_form=OpenCloseForm())
