"""Configuration: defaults here, then instance/config.py, then the environment, then test overrides."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import sqlalchemy as sa
from flask import Flask


class DefaultConfig:
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by load_config: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set to true behind HTTPS (README, Production): the cookie then travels over TLS only, and every
    # response carries Strict-Transport-Security.
    SESSION_COOKIE_SECURE = False
    # Set by gunicorn.conf.py (and /etc/pekppp.env, for the RQ worker and the flask commands): the app then
    # refuses to start with unsafe settings (production.py) instead of falling back to development defaults.
    PRODUCTION = False
    # A login lasts at most this long from the moment of logging in, however busy (auth/sessions.py); the cookie
    # expires then too. A working day with some overtime.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)  # and ends after this long without a request (seconds, or a timedelta)
    SESSION_REFRESH_EACH_REQUEST = False  # the cookie's expiry is the login's end, not moved by each request
    TRUSTED_PROXIES = 0  # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed
    # ... and only when the request comes from one of these addresses (or a unix socket): a client reaching
    # gunicorn directly cannot choose its own address for the rate limit.
    TRUSTED_PROXY_ADDRESSES = ("127.0.0.1", "::1")
    # Login attempts (POSTs to /masuk) counted per client address and username, and per address alone;
    # any "N per minute; M per hour" string of Flask-Limiter. Counted in Redis when REDIS_URL is set.
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    LOGIN_RATE_LIMIT_PER_ADDRESS = "60 per minute; 600 per hour"  # a whole office may share one address
    # Wrong current passwords at /akun/kata-sandi, per account: someone at an unlocked screen cannot guess on.
    PASSWORD_CHECK_RATE_LIMIT = "5 per 15 minutes; 20 per day"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None  # default: REDIS_URL if set, else memory (per process)
    RATELIMIT_KEY_PREFIX = "pekppp"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis unreachable: count in memory rather than refuse logins
    # The public survey form (assessment/surveys): POSTs per client address, and stored responses per unit; a
    # counter's guest wifi puts many respondents behind one address. Counted in Redis when REDIS_URL is set.
    SURVEY_RATE_LIMIT_PER_ADDRESS = "20 per minute; 400 per day"
    SURVEY_RATE_LIMIT_PER_UNIT = "120 per minute"
    SURVEY_MIN_FILL_SECONDS = 8  # a form sent sooner after the page was served is refused (a person reads first)
    SURVEY_FORM_MAX_AGE_SECONDS = 6 * 3600  # a page left open longer must be loaded again
    WTF_CSRF_TIME_LIMIT = None  # a form filled over a long afternoon must still save
    PEMDA_NAME = "Pemerintah Kota Cilegon"
    JUSTIFICATION_MAX_LENGTH = 2000
    # The address people open the app at, printed under the QR code of every PDF (e.g. https://pekppp.example.go.id).
    # Required in production; in development DEVELOPMENT_BASE_URL. Never taken from a request's Host header.
    PUBLIC_BASE_URL: str | None = None
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
    # E-mail reminders and notices (assessment/notices/, README Configuration): off while MAIL_SERVER is empty.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_SECURITY = "starttls"  # "starttls" (port 587), "ssl" (port 465) or "none" (a relay on the same network)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER: str | None = None  # the From line, e.g. "PEKPPP Kota Cilegon <pekppp@cilegon.go.id>"
    MAIL_TIMEOUT = 30  # seconds per SMTP step
    MAIL_REMINDER_HOUR = 7  # deadline reminders are queued from this hour (WIB) on, never at night
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


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # where `make run` serves


def load_config(app: Flask, overrides: dict | None) -> None:
    private_folder(Path(app.instance_path))
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
    private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**options.get("connect_args", {}), "timeout": float(app.config["SQLITE_BUSY_TIMEOUT"])}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def public_base_url(config) -> str:
    """Where the app is reached from outside, without a trailing slash: the setting, else the development address."""
    return (config.get("PUBLIC_BASE_URL") or DEVELOPMENT_BASE_URL).rstrip("/")


# The instance folder holds the secret key and, by default, the database with the password hashes: the owner only.
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def private_folder(folder: Path) -> None:
    """Create the folder for its owner only; an existing one of ours that others may read is closed too."""
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    _close_to_others(folder, PRIVATE_FOLDER)


def private_sqlite_file(url: str) -> None:
    """Create a SQLite database file (an empty file is an empty database) for its owner only, before SQLite makes it
    with the umask's 0644; SQLite gives its -wal and -shm files the database file's mode."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") or \
            parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if not path.parent.is_dir():
        return  # SQLite reports the missing folder itself (and /health answers 503)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _close_to_others(path, PRIVATE_FILE)


def _close_to_others(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.geteuid() and info.st_mode & 0o077:
        path.chmod(mode)


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
