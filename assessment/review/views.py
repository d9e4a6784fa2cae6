from __future__ import annotations

from flask import Blueprint, render_template

from ..access import STAFF_ROLES, role_required
from ..selfassessment.services import current_period
from .services import unit_rows

bp = Blueprint("review", __name__, url_prefix="/organisasi")


@bp.get("/")
@role_required(*STAFF_ROLES)
def queue():
    """Every active unit's progress in the current period, for the Bagian Organisasi."""
    period = current_period()
    rows = unit_rows(period) if period else []
    return render_template("review/queue.html", period=period, rows=rows)
