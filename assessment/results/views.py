from __future__ import annotations

from flask import Blueprint, render_template

from ..access import STAFF_ROLES, role_required

bp = Blueprint("results", __name__, url_prefix="/organisasi/hasil")


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """Placeholder: the results of a period."""
    return render_template("admin/placeholder.html", title="Hasil evaluasi")
