"""Friendly error pages in Bahasa Indonesia; no request ends on a bare server error page."""
from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

MESSAGES = {
    400: ("Permintaan tidak dapat diproses", "Data yang dikirim tidak lengkap atau tidak sah."),
    403: ("Akses ditolak", "Akun Anda tidak berwenang membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Alamat yang Anda buka tidak ada atau bukan milik unit Anda."),
    405: ("Cara akses tidak didukung", "Halaman ini tidak dapat dibuka dengan cara tersebut."),
    413: ("Berkas terlalu besar", "Ukuran data yang dikirim melebihi batas."),
    500: ("Terjadi gangguan", "Maaf, terjadi kesalahan pada server. Tidak ada data yang berubah; silakan coba lagi."),
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(code: int, message: str | None = None):
    title, default_message = MESSAGES.get(code, (f"Kesalahan {code}", "Permintaan tidak dapat diproses."))
    return render_template("errors/error.html", code=code, title=title, message=message or default_message), code


def _csrf_error(error: CSRFError):
    return _render(400, "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman, lalu kirim lagi.")


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return _render(error.code)


def _unexpected_error(error: Exception):
    current_app.logger.exception("Unhandled error")
    db.session.rollback()
    return _render(500)
