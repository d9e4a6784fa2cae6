from __future__ import annotations

from flask import Blueprint, render_template

from ..access import role_required
from ..models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/unit")
@role_required(Role.ADMIN)
def units():
    """Placeholder: the list of units."""
    return render_template("admin/placeholder.html", title="Unit layanan")


@bp.get("/pengguna")
@role_required(Role.ADMIN)
def users():
    """Placeholder: the list of user accounts."""
    return render_template("admin/placeholder.html", title="Pengguna")
