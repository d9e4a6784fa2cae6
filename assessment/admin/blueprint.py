"""The admin blueprint object and what its pages share; the routes are in the *_views modules."""
from __future__ import annotations

from flask import Blueprint, make_response

bp = Blueprint("admin", __name__, url_prefix="/admin")


def shown_once(body: str):
    """A page with a temporary password: never kept by the browser's cache or back button."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
