from __future__ import annotations

from flask import Blueprint, render_template

from ..access import role_required
from ..models import Role

bp = Blueprint("periods", __name__, url_prefix="/admin/periode")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """Placeholder: the list of periods."""
    return render_template("admin/placeholder.html", title="Periode")
