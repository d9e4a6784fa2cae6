"""What the app refuses to start with in production (PRODUCTION=true, which gunicorn.conf.py sets).

Development keeps its forgiving defaults; a production process with a setting that would silently weaken it
(links to whatever Host a client sent, a login limit counted per worker, cookies over plain HTTP) stops at
start with one line per problem, which systemd's journal shows.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask

# gunicorn.conf.py's on_starting hook puts the number of worker processes here, for the check on the limiter.
SERVER_WORKERS_VARIABLE = "PEKPPP_SERVER_WORKERS"
MIN_SECRET_KEY_LENGTH = 32


class UnsafeSettings(RuntimeError):
    """A production process configured unsafely; the message names every setting to fix."""


def check_production_settings(app: Flask) -> None:
    if not app.config["PRODUCTION"]:
        return
    problems = production_problems(app.config, server_workers())
    if problems:
        raise UnsafeSettings("PEKPPP tidak dijalankan: pengaturan produksi tidak aman.\n- " + "\n- ".join(problems))
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.warning("Batas percobaan masuk dihitung di memori satu proses; dengan lebih dari satu proses, "
                           "set REDIS_URL atau PEKPPP_RATELIMIT_STORAGE_URI (README, Production).")


def production_problems(config, workers: int) -> list[str]:
    """Why these settings are unsafe for production (in Bahasa Indonesia, naming the variable to set)."""
    problems = []
    public_url = urlsplit(config.get("PUBLIC_BASE_URL") or "")
    if public_url.scheme not in ("http", "https") or not public_url.netloc:
        problems.append("PEKPPP_PUBLIC_BASE_URL wajib diisi dengan alamat aplikasi, mis. https://pekppp.example.go.id "
                        "(tercetak di bawah kode QR setiap PDF).")
    elif public_url.scheme == "https" and not config["SESSION_COOKIE_SECURE"]:
        problems.append("Alamat publik memakai https: set PEKPPP_SESSION_COOKIE_SECURE=true agar cookie sesi hanya "
                        "dikirim lewat HTTPS.")
    if len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"PEKPPP_SECRET_KEY terlalu pendek (minimal {MIN_SECRET_KEY_LENGTH} karakter acak).")
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://") and workers > 1:
        problems.append(f"Batas percobaan masuk tersimpan di memori, padahal ada {workers} proses gunicorn (setiap "
                        "proses menghitung sendiri): set REDIS_URL atau PEKPPP_RATELIMIT_STORAGE_URI, atau "
                        "GUNICORN_WORKERS=1.")
    if not config["RATELIMIT_ENABLED"]:
        problems.append("PEKPPP_RATELIMIT_ENABLED=false mematikan batas percobaan masuk dan kata sandi.")
    if config.get("DEBUG") or config.get("TESTING") or not config.get("WTF_CSRF_ENABLED", True):
        problems.append("DEBUG, TESTING dan WTF_CSRF_ENABLED=false hanya untuk pengembangan dan pengujian.")
    return problems


def server_workers() -> int:
    try:
        return int(os.environ.get(SERVER_WORKERS_VARIABLE, "1"))
    except ValueError:
        return 1
