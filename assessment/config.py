"""Configuration: defaults here, then instance/config.py, then the environment, then test overrides."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from flask import Flask


class DefaultConfig:
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by load_config: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    BOOTSTRAP_SERVE_LOCAL = True  # offices may have no internet: never a CDN
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set to true behind HTTPS (README, Production): the cookie then travels over TLS only, and every
    # response carries Strict-Transport-Security.
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)  # a working day; each request starts the 8 hours again
    TRUSTED_PROXIES = 0  # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed
    # Login attempts (POSTs to /masuk) counted per client address and username, and per address alone;
    # any "N per minute; M per hour" string of Flask-Limiter. Counted in Redis when REDIS_URL is set.
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    LOGIN_RATE_LIMIT_PER_ADDRESS = "60 per minute; 600 per hour"  # a whole office may share one address
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None  # default: REDIS_URL if set, else memory (per process)
    RATELIMIT_KEY_PREFIX = "pekppp"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis unreachable: count in memory rather than refuse logins
    WTF_CSRF_TIME_LIMIT = None  # a form filled over a long afternoon must still save
    PEMDA_NAME = "Pemerintah Kota Cilegon"
    JUSTIFICATION_MAX_LENGTH = 2000
    PUBLIC_BASE_URL: str | None = None  # printed under the QR code; else the address of the request
    PDF_CACHE_DIR: str | None = None  # default: instance/pdf-cache
    EVIDENCE_DIR: str | None = None  # uploaded bukti dukung; default: instance/evidence
    EVIDENCE_MAX_FILE_BYTES = 10 * 1024 * 1024
    EVIDENCE_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # per assessment
    # A request bigger than this ends on the 413 page before any code runs; below it, uploads are
    # checked one by one and a refused file leaves the typed answers on screen.
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    PDF_CACHE_MAX_BYTES = 200 * 1024 * 1024
    PACKS_DIR: str | None = None  # finished meeting packs; default: instance/packs
    PDF_WORKERS: int | None = None  # processes rendering the meeting pack; default one per core
    REDIS_URL: str | None = None  # background jobs on RQ when set; else an in-process worker
    JOB_HEARTBEAT_SECONDS = 30  # a running job stamps its row this often
    JOB_STALE_AFTER = 600  # seconds without a stamp after which a job counts as dead (its page offers "Coba lagi")
    JOBS_CHECK_AT_START = True  # mark failed, at start-up, the jobs of in-process workers that died
    # Seconds a save waits for SQLite's write lock (another save holding it) before it answers "busy" (503)
    # and the page retries; SQLite's own default is 5. Not used on PostgreSQL, which waits for row locks.
    SQLITE_BUSY_TIMEOUT = 15
    # Logs (logging_setup.py): "text" for development, "json" (one object per line on stderr) in production;
    # gunicorn.conf.py sets PEKPPP_LOG_FORMAT=json unless the environment chose already.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"  # the app's own loggers; libraries stay at WARNING
    # JSON mode only: one line per finished request. gunicorn.conf.py turns it off when gunicorn's access log
    # writes that line (same fields), so a request is not logged twice.
    LOG_REQUESTS = True


def load_config(app: Flask, overrides: dict | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PEKPPP")
    for variable, key in (("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"), ("REDIS_URL", "REDIS_URL")):
        if os.environ.get(variable):
            app.config[key] = os.environ[variable]
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{Path(app.instance_path) / 'pekppp.sqlite'}"
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**options.get("connect_args", {}), "timeout": float(app.config["SQLITE_BUSY_TIMEOUT"])}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// form hosting panels print, and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance: Path) -> str:
    """Read the key generated on first start; create it (readable by the owner only) if absent."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it a moment ago
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
