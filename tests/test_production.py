"""Running in production: GET /health, ``flask create-admin``, structured logs and the gunicorn settings."""
import json
import logging
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from assessment import MIGRATIONS, create_app
from assessment.domain.models import AuditEvent, Role, User
from assessment.extensions import db
from assessment.web.logging_setup import JsonHandler
from tests.factories import PASSWORD, make_world

ROOT = MIGRATIONS.parent
LOG_FIELDS = {"time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms", "user_id"}
UNREACHABLE = ["sqlite:///{tmp}/no-such-folder/pekppp.sqlite", "postgresql://pekppp@127.0.0.1:1/pekppp"]


def bare_app(url: str, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url, **config})


@pytest.fixture
def json_logs():
    """Leaves the root logger as it found it (LOG_FORMAT=json installs a handler there)."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if isinstance(h, JsonHandler)]:
        root.removeHandler(handler)
    root.setLevel(level)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


# ---- GET /health ------------------------------------------------------------------------------------------------

def test_health_answers_ok_with_the_migration_revision_without_login_or_session(tmp_path):
    app = bare_app(f"sqlite:///{tmp_path / 'pekppp.sqlite'}")
    with app.app_context():
        upgrade()
    response = app.test_client().get("/health")
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "version": head}
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_health_of_a_database_never_migrated_has_no_version(client):
    assert client.get("/health").json == {"status": "ok", "database": "ok", "version": None}


@pytest.mark.parametrize("url", UNREACHABLE)
def test_health_answers_503_when_the_database_is_unreachable(tmp_path, url):
    response = bare_app(url.format(tmp=tmp_path)).test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable", "version": None}


# ---- flask create-admin -----------------------------------------------------------------------------------------

def user_named(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_create_admin_from_a_script_makes_an_admin_whose_password_works(app, runner, client):
    result = runner.invoke(args=["create-admin", "--username", "Kepala.Organisasi", "--full-name", " Siti Rahma ",
                                 "--password-stdin"], input="kata-sandi-kuat-2024\n")
    assert result.exit_code == 0, result.output
    admin = user_named("kepala.organisasi")
    assert (admin.full_name, admin.nip, admin.role, admin.unit, admin.active) == ("Siti Rahma", None, Role.ADMIN, None, True)
    assert not admin.must_change_password
    assert db.session.scalar(sa.select(AuditEvent.note).where(AuditEvent.action == "user.update")).endswith("kepala.organisasi")
    login = client.post("/masuk", data={"username": "kepala.organisasi", "password": "kata-sandi-kuat-2024"})
    assert login.status_code == 302 and client.get("/admin/pengguna").status_code == 200


def test_create_admin_asks_for_what_is_missing_and_again_after_a_bad_answer(app, runner):
    answers = ["Budi Santoso", "budi.s", "", "Budi Santoso", "123", "19800101 200501 1 001",
               "pendek", "kata-sandi-kuat-2024", "lain-sekali-2024", "kata-sandi-kuat-2024", "kata-sandi-kuat-2024"]
    result = runner.invoke(args=["create-admin"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "hanya boleh berisi huruf kecil" in result.stderr and "NIP harus tepat 18 angka" in result.stderr
    assert "minimal 10 karakter" in result.stderr and "tidak sama" in result.stderr
    admin = user_named("budi.s")
    assert (admin.full_name, admin.nip) == ("Budi Santoso", "198001012005011001")
    assert admin.check_password("kata-sandi-kuat-2024")


def test_create_admin_refuses_an_existing_username_in_one_line(world, runner):
    result = runner.invoke(args=["create-admin", "--username", "Admin", "--full-name", "Lain", "--password-stdin"],
                           input="kata-sandi-kuat-2024\n")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Kesalahan: nama pengguna 'admin' sudah dipakai; akun tidak dibuat."]
    assert world.admin.full_name == "Pegawai admin" and world.admin.check_password(PASSWORD)


@pytest.mark.parametrize(("password", "message"), [
    ("pendek-1", "minimal 10 karakter"),
    ("1234 5678 90", "paling sering dipakai"),
    ("password123", "paling sering dipakai"),
    ("Petugas.Kota", "sama dengan nama pengguna"),
    ("", "tidak terbaca"),
])
def test_create_admin_refuses_a_weak_password(app, runner, password, message):
    result = runner.invoke(args=["create-admin", "--username", "petugas.kota", "--full-name", "Petugas",
                                 "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1 and message in result.stderr
    assert user_named("petugas.kota") is None


def test_create_admin_from_a_script_needs_every_required_value(app, runner):
    result = runner.invoke(args=["create-admin", "--username", "petugas", "--password-stdin"], input="kata-sandi-kuat-2024\n")
    assert result.exit_code == 1 and "--full-name" in result.stderr
    assert user_named("petugas") is None


# ---- structured logs --------------------------------------------------------------------------------------------

def test_json_log_has_one_line_per_request_with_its_fields(make_app, json_logs, capsys):
    app = make_app({"WTF_CSRF_ENABLED": False, "LOG_FORMAT": "json"})
    with app.app_context():
        world = make_world()
        client = app.test_client()
        client.post("/masuk", data={"username": "dpmptsp", "password": PASSWORD})
        response = client.get("/penilaian", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    lines = json_lines(capsys.readouterr().err)
    line = next(entry for entry in lines if entry["logger"] == "assessment.request" and entry["path"] == "/penilaian")
    assert set(line) == LOG_FIELDS
    assert line["time"].endswith("Z") and line["level"] == "INFO" and line["message"] == "GET /penilaian 200"
    assert (line["method"], line["status"], line["user_id"]) == ("GET", 200, world.opd.id)
    assert line["request_id"] == response.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    assert isinstance(line["duration_ms"], float)


def test_json_log_lines_written_during_a_request_carry_the_request(tmp_path, json_logs, capsys):
    app = bare_app(UNREACHABLE[0].format(tmp=tmp_path), LOG_FORMAT="json")
    response = app.test_client().get("/health", headers={"X-Request-ID": "bad id with spaces"})
    warning = next(entry for entry in json_lines(capsys.readouterr().err) if entry["level"] == "WARNING")
    assert warning["logger"] == "assessment" and warning["message"].startswith("Health check: database unreachable")
    assert (warning["method"], warning["path"]) == ("GET", "/health")
    assert warning["request_id"] == response.headers["X-Request-ID"] != "bad id with spaces"


def test_plain_text_logs_are_the_default(app):
    assert app.config["LOG_FORMAT"] == "text"
    assert not any(isinstance(h, JsonHandler) for h in logging.getLogger().handlers)
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "xml"})


# ---- gunicorn.conf.py -------------------------------------------------------------------------------------------

@pytest.fixture
def gunicorn_settings(monkeypatch):
    """gunicorn.conf.py's settings, read with a clean environment (it sets defaults in os.environ)."""
    pytest.importorskip("gunicorn")
    for name in ("PEKPPP_LOG_FORMAT", "PEKPPP_LOG_REQUESTS", "PEKPPP_PRODUCTION", "GUNICORN_BIND",
                 "GUNICORN_CONTROL_SOCKET", "GUNICORN_ACCESS_LOG"):
        monkeypatch.setenv(name, "")  # recorded, so the deletion below and any value set later are undone
        monkeypatch.delenv(name)
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_settings_for_production(gunicorn_settings):
    import os

    settings = gunicorn_settings
    assert settings["bind"] == "127.0.0.1:9000" and settings["worker_class"] == "gthread"
    assert settings["workers"] >= 1 and settings["timeout"] >= 60 and not settings["preload_app"]
    assert settings["control_socket_disable"] and settings["accesslog"] == "-"
    assert os.environ["PEKPPP_LOG_FORMAT"] == "json" and os.environ["PEKPPP_LOG_REQUESTS"] == "false"
    assert os.environ["PEKPPP_PRODUCTION"] == "true"  # gunicorn is production: the app checks its settings


def test_gunicorn_access_log_is_a_json_line_with_the_apps_fields(gunicorn_settings, capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = gunicorn_settings["JsonLogger"](config)
    try:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/penilaian/3/aspek/a", "REMOTE_ADDR": "127.0.0.1",
                   "pekppp.request_id": "0123456789abcdef", "pekppp.user_id": 7}
        logger.access(SimpleNamespace(status_code=200, sent=321, headers=[]), None, environ, timedelta(milliseconds=42))
    finally:
        for name in ("gunicorn.error", "gunicorn.access"):
            logging.getLogger(name).handlers.clear()
    (line,) = json_lines(capsys.readouterr().out)
    assert set(line) >= LOG_FIELDS and line["logger"] == "gunicorn.access"
    assert (line["status"], line["duration_ms"], line["user_id"], line["request_id"]) == (200, 42.0, 7, "0123456789abcdef")
