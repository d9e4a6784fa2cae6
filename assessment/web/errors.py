"""Friendly error pages in Bahasa Indonesia; no request ends on a bare server error page.

A request from a page's script (an autosave) always gets JSON with the status that says what happened,
never an HTML page it cannot read: 401 the session ended, 400 a stale CSRF token (the page fetches a fresh
one), 403, 404, 413, 503 a busy or unreachable database, 500.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, flash, jsonify, redirect, render_template, request
from flask_login import current_user, login_url
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from ..extensions import db, login_manager

MESSAGES = {
    400: ("Permintaan tidak dapat diproses", "Data yang dikirim tidak lengkap atau tidak sah."),
    403: ("Akses ditolak", "Akun Anda tidak berwenang membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Alamat yang Anda buka tidak ada atau bukan milik unit Anda."),
    405: ("Cara akses tidak didukung", "Halaman ini tidak dapat dibuka dengan cara tersebut."),
    413: ("Berkas terlalu besar", "Ukuran data yang dikirim melebihi batas."),
    500: ("Terjadi gangguan", "Maaf, terjadi kesalahan pada server. Tidak ada data yang berubah; silakan coba lagi."),
    503: ("Layanan sedang sibuk", "Basis data sedang sibuk atau tidak terjangkau. Tidak ada data yang berubah; "
                                 "coba lagi sebentar lagi."),
}
SESSION_ENDED = "Sesi berakhir: masuk lagi — isian Anda aman di peramban ini."
CSRF_EXPIRED = "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman, lalu kirim lagi."
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


class Unavailable(ServiceUnavailable):
    """503 with its own message for the user (a service the request needs cannot be reached)."""


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, _database_unavailable)
    app.register_error_handler(Exception, _unexpected_error)
    # Flask-Login calls this for a page that needs a login the request does not have (not logged in, or the
    # session ended: logged out elsewhere, expired, signed with an old secret key).
    login_manager.unauthorized_handler(session_ended)


def wants_json() -> bool:
    """A request from a page's script rather than a page the browser navigates to."""
    return request.headers.get("X-Autosave") == "1" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json")


def session_ended():
    if wants_json():
        return jsonify(status="session_ended", message=SESSION_ENDED), 401
    if request.method == "POST":  # a save whose session ended: the page's copy in the browser brings the text back
        flash(SESSION_ENDED, "warning")
    else:
        flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _render(code: int, message: str | None = None):
    title, default_message = MESSAGES.get(code, (f"Kesalahan {code}", "Permintaan tidak dapat diproses."))
    if wants_json():
        return jsonify(status="error", message=message or default_message), code
    return render_template("errors/error.html", code=code, title=title, message=message or default_message), code


def _csrf_error(error: CSRFError):
    """Without a login the token was the ended session's (not the login form's own): the session ended."""
    try:
        ended = not current_user.is_authenticated and request.endpoint != login_manager.login_view
    except DATABASE_UNAVAILABLE as unavailable:  # the user could not even be loaded
        return _database_unavailable(unavailable)
    if ended:
        return session_ended()
    if wants_json():
        return jsonify(status="csrf", message=CSRF_EXPIRED), 400
    return _render(400, CSRF_EXPIRED)


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return _render(error.code, error.description if isinstance(error, Unavailable) else None)


def _database_unavailable(error: Exception):
    """The page needs no database: the failure may have come from loading the logged-in user itself, so it is
    rendered without the context processors (Flask-Login's would load that user again)."""
    current_app.logger.warning("Database unavailable: %s", error)
    db.session.rollback()
    title, message = MESSAGES[503]
    if wants_json():
        return jsonify(status="unavailable", message=message, retry=True), 503
    page = current_app.jinja_env.get_template("errors/unavailable.html")
    return page.render(title=title, message=message), 503


def _unexpected_error(error: Exception):
    current_app.logger.exception("Unhandled error")
    db.session.rollback()
    return _render(500)
