"""Resuming an open page after its session ended, without reloading it (and so without losing what it holds).

The page's script sees 401 on a save, offers a login in a new tab, and meanwhile asks ``GET /sesi/token``
until the browser is logged in again as the same user; the fresh CSRF token then lets it send what waited
in the browser's copy. ``/sesi/lanjut`` is where that login tab lands.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

bp = Blueprint("resume", __name__, url_prefix="/sesi")


@bp.get("/token")
@login_required
def token():
    """A CSRF token for this session and whose session it is (401 in JSON while logged out)."""
    response = jsonify(csrf_token=generate_csrf(), user_id=current_user.id)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/lanjut")
@login_required
def resumed():
    """The page a login in another tab ends on: the open form goes on saving by itself."""
    return render_template("resume/resumed.html")
