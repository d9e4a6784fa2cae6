"""Item 8 (and the production half of item 1): the app refuses unsafe production settings, and a client that
reaches gunicorn directly cannot choose its own address for the login limit."""
from __future__ import annotations

import logging
import os
import secrets
from types import SimpleNamespace

import pytest

from assessment import create_app
from assessment.web.production import SERVER_WORKERS_VARIABLE, UnsafeSettings
from tests import factories
from tests.security.conftest import free_port, server_environment, start_gunicorn
from tests.test_production import gunicorn_settings  # noqa: F401  (a fixture)

SAFE = {"PRODUCTION": True, "SECRET_KEY": secrets.token_hex(32), "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "PUBLIC_BASE_URL": "https://pekppp.example.go.id", "SESSION_COOKIE_SECURE": True,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}


@pytest.fixture
def four_workers(monkeypatch):
    monkeypatch.setenv(SERVER_WORKERS_VARIABLE, "4")  # as gunicorn.conf.py's on_starting hook says


def test_safe_settings_start(four_workers):
    assert create_app(SAFE).config["PRODUCTION"]


@pytest.mark.parametrize(("unsafe", "named"), [
    ({"PUBLIC_BASE_URL": None}, "PEKPPP_PUBLIC_BASE_URL"),
    ({"PUBLIC_BASE_URL": "ftp://pekppp.example.go.id"}, "PEKPPP_PUBLIC_BASE_URL"),
    ({"SESSION_COOKIE_SECURE": False}, "PEKPPP_SESSION_COOKIE_SECURE=true"),
    ({"SECRET_KEY": "rahasia"}, "PEKPPP_SECRET_KEY terlalu pendek"),
    ({"RATELIMIT_STORAGE_URI": None}, "ada 4 proses gunicorn"),  # no Redis: counted in memory, per process
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "ada 4 proses gunicorn"),
    ({"RATELIMIT_ENABLED": False}, "PEKPPP_RATELIMIT_ENABLED=false"),
    ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED=false"),
    ({"DEBUG": True}, "hanya untuk pengembangan"),
])
def test_unsafe_settings_are_refused_naming_what_to_set(four_workers, unsafe, named):
    with pytest.raises(UnsafeSettings, match=named):
        create_app(SAFE | unsafe)


def test_memory_counts_with_one_worker_start_but_say_so(monkeypatch, caplog):
    monkeypatch.setenv(SERVER_WORKERS_VARIABLE, "1")
    with caplog.at_level(logging.WARNING):
        create_app(SAFE | {"RATELIMIT_STORAGE_URI": None})
    assert "dihitung di memori satu proses" in caplog.text


def test_development_keeps_its_defaults(four_workers):
    assert not create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["PRODUCTION"]


def test_gunicorn_tells_the_app_its_worker_count(gunicorn_settings, monkeypatch):  # noqa: F811
    monkeypatch.setenv(SERVER_WORKERS_VARIABLE, "")  # recorded, so what the hook sets is undone
    gunicorn_settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=3)))  # after the command line
    assert os.environ[SERVER_WORKERS_VARIABLE] == "3"


def test_a_real_gunicorn_with_two_workers_and_no_shared_limiter_does_not_start(tmp_path):
    env = server_environment(free_port(), {"GUNICORN_WORKERS": "2", "PEKPPP_SECRET_KEY": secrets.token_hex(32),
                                           "PEKPPP_PUBLIC_BASE_URL": "http://127.0.0.1",
                                           "DATABASE_URL": f"sqlite:///{tmp_path / 'pekppp.sqlite'}"})
    server = start_gunicorn(env, tmp_path / "gunicorn.log")
    assert server.wait(timeout=120) != 0
    assert "ada 2 proses gunicorn" in (tmp_path / "gunicorn.log").read_text()


# --- the client address behind a proxy ------------------------------------------------------------------------

@pytest.fixture
def behind_nginx(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False, "TRUSTED_PROXIES": 1, "LOGIN_RATE_LIMIT_PER_ADDRESS": "3 per minute"})
    with app.app_context():
        factories.make_world()
        yield app


def attempt(app, remote: str, forwarded: str, username: str):
    return app.test_client().post("/masuk", data={"username": username, "password": "salah"},
                                  headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": remote})


def test_a_client_reaching_gunicorn_directly_cannot_spoof_its_address(behind_nginx):
    answers = [attempt(behind_nginx, "203.0.113.7", f"10.0.0.{n}", f"tebak{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]  # counted on 203.0.113.7, whatever it claims


def test_the_proxy_on_loopback_or_a_unix_socket_is_believed(behind_nginx):
    for proxy in ("127.0.0.1", "::1", ""):  # "" is how gunicorn names a client on a unix socket
        answers = [attempt(behind_nginx, proxy, f"198.51.100.{n}", f"tebak{n}").status_code for n in range(4)]
        assert answers == [200, 200, 200, 200], proxy  # four clients, one attempt each
