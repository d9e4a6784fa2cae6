from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ..domain.models import DeliveryMode, Role
from ..domain.periods import all_periods, period_by_year_or_current
from ..web.access import role_required

bp = Blueprint("instrument_pages", __name__, url_prefix="/instrumen")


@bp.get("/")
@role_required(Role.OPD, Role.REVIEWER, Role.ADMIN)
def current():
    """Every ladder, fact and evidence item of the current period's instrument (or of ``?tahun=``), read only."""
    year = request.args.get("tahun", type=int)
    period = period_by_year_or_current(year)
    if period is None and year is not None:
        abort(404)
    unit = current_user.unit
    return render_template("instrument/index.html", period=period, instrument=period.instrument if period else None,
                           periods=all_periods(), unit=unit,
                           daring_open=unit is not None and unit.delivery != DeliveryMode.LURING)
