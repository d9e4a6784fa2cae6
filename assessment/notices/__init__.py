"""E-mail reminders before the deadline and notices on return and verification, through an outbox with retries."""
from flask import Flask

from ..extensions import db
from .status_notices import register_status_notices
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_status_notices(db.session)


__all__ = ["init_app"]
