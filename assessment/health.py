"""GET /health for the load balancer and monitoring: no login, no session, no form, one trivial query."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import Blueprint, current_app, jsonify

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def check():
    """200 with the database's migration revision, or 503 when the database does not answer."""
    try:
        revision = database_revision()
    except sa.exc.SQLAlchemyError as problem:
        cause = getattr(problem, "orig", None) or problem  # the driver's error, e.g. OperationalError
        current_app.logger.warning("Health check: database unreachable (%s)", type(cause).__name__)
        response = jsonify(status="error", database="unreachable", version=None)
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok", version=revision)
    response.headers["Cache-Control"] = "no-store"
    return response


def database_revision() -> str | None:
    """The Alembic revision the database is at (heads joined by commas), None if it was never migrated.

    Its own short connection, not the request's session: a failed check leaves nothing to roll back.
    """
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None
