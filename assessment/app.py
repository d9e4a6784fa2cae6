"""The application factory: configuration, extensions, session hooks, blueprints, error pages, commands."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, send_from_directory

from . import cli, jobs, notices
from .admin import bp as admin_bp
from .auth import bp as auth_bp
from .auth import load_session_user
from .auth.resume import bp as resume_bp
from .config import load_config
from .domain import stored_scores
from .domain.evidence.storage import settle_files
from .domain.numbering import number_verifications
from .evaluation import bp as evaluation_bp
from .evidence import bp as evidence_bp
from .extensions import csrf, db, login_manager, migrate
from .fieldvisit import bp as fieldvisit_bp
from .followup import bp as followup_bp
from .health import bp as health_bp
from .instrument_pages import bp as instrument_pages_bp
from .periods import bp as periods_bp
from .reports import bp as reports_bp
from .results import bp as results_bp
from .review import bp as review_bp
from .selfassessment import bp as selfassessment_bp
from .surveys import bp as surveys_bp
from .surveys import public_bp as survey_public_bp
from .web.errors import register_error_handlers
from .web.logging_setup import register_logging
from .web.production import check_production_settings
from .web.security import register_security
from .web.static_files import register_static_files, static_folder
from .web.templating import register_template_helpers

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
STATIC = ROOT / "static"  # with the build step's fingerprinted copies (static_files.py)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        "assessment",
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(STATIC),
    )
    load_config(app, test_config)
    register_logging(app)
    register_extensions(app)
    register_session_hooks()
    register_security(app)
    register_static_files(app)
    check_production_settings(app)
    register_blueprints(app)
    notices.init_app(app)
    register_favicon(app)
    register_template_helpers(app)
    register_error_handlers(app)
    cli.register(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    jobs.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    login_manager.login_message_category = "warning"
    login_manager.user_loader(load_session_user)


def register_session_hooks() -> None:
    """What the app's database session does by itself, named here rather than left to an import's side effect."""
    stored_scores.keep_current(db.session)  # each assessment's stored scores, refreshed before commit
    number_verifications(db.session)  # the Berita Acara number of a newly verified assessment
    settle_files(db.session)  # evidence files moved into place after commit, dropped after a rollback


def register_favicon(app: Flask) -> None:
    """Browsers (and their PDF viewers) ask for /favicon.ico whatever the page declares."""
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: send_from_directory(static_folder(app), "img/logo.svg", mimetype="image/svg+xml"))


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(selfassessment_bp)
    for blueprint in (review_bp, results_bp, admin_bp, periods_bp, reports_bp, evidence_bp, instrument_pages_bp,
                      resume_bp, evaluation_bp, followup_bp, fieldvisit_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(survey_public_bp)
