"""Login, logout and password change; every login, failed login and logout is written to the audit log."""
from __future__ import annotations

import secrets
from functools import cache

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import audit, sessions
from ..domain.models import User
from ..extensions import db
from ..web.security import limiter, safe_next
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)

# What a user holding a temporary password may still reach (a 404 is left alone: it has no endpoint).
# /health answers monitors, whoever happens to be logged in on the same browser.
PASSWORD_CHANGE_EXEMPT = frozenset({"auth.change_password", "auth.logout", "static", "health.check"})
PASSWORD_CHANGE_REQUIRED = "Anda masuk dengan kata sandi sementara dari admin. Buat kata sandi baru terlebih dahulu."
WRONG_CREDENTIALS = "Nama pengguna atau kata sandi salah."
TOO_MANY_LOGINS = "Terlalu banyak percobaan masuk. Coba lagi dalam beberapa menit."
TOO_MANY_GUESSES = "Terlalu banyak percobaan kata sandi yang salah. Coba lagi nanti."


@bp.before_app_request
def require_password_change():
    """After an admin set a temporary password, every page leads to the change-password form first."""
    if request.endpoint is None or request.endpoint in PASSWORD_CHANGE_EXEMPT:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(PASSWORD_CHANGE_REQUIRED, "warning")
        return redirect(url_for("auth.change_password"))
    return None


def _address_and_username() -> str:
    return f"{request.remote_addr}/{(request.form.get('username') or '').strip().lower()[:60]}"


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_address_and_username,
               methods=["POST"], error_message=TOO_MANY_LOGINS)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"], error_message=TOO_MANY_LOGINS)
def login():
    """Log in; an unknown user and a wrong password get the same message after the same work."""
    if current_user.is_authenticated:
        return redirect(url_for("selfassessment.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = authenticate(username, form.password.data)
        if user is None:
            audit.record("auth.login_failed", None, note=f"Nama pengguna: {username}; alamat {request.remote_addr}")
            db.session.commit()
            flash(WRONG_CREDENTIALS, "danger")
        else:
            log_in(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/keluar")
@login_required
def logout():
    """Log out (POST only, so a link on another site cannot log anyone out)."""
    audit.record("auth.logout", current_user, note=f"Alamat {request.remote_addr}")
    sessions.end_current_session("logout")
    db.session.commit()
    logout_user()
    _clear_session()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


def _account() -> str:
    return f"account/{getattr(current_user, 'id', None)}"


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_CHECK_RATE_LIMIT"], key_func=_account, methods=["POST"],
               deduct_when=lambda response: g.get("wrong_current_password", False), error_message=TOO_MANY_GUESSES)
@login_required
def change_password():
    """Change one's own password, after proving the current one; this ends a temporary password and every other
    session of the account. Only wrong current passwords count towards the limit."""
    form = ChangePasswordForm(current_user)
    if form.validate_on_submit():
        current_user.set_password(form.new_password.data)
        current_user.must_change_password = False
        sessions.end_sessions_of(current_user, "password", keep_current=True)
        db.session.commit()
        flash("Kata sandi berhasil diubah.", "success")
        return redirect(url_for("selfassessment.home"))
    if form.wrong_current_password:
        g.wrong_current_password = True
        audit.record("auth.password_check_failed", current_user, note=f"Alamat {request.remote_addr}")
        db.session.commit()
    return render_template("auth/change_password.html", form=form)


def authenticate(username: str, password: str) -> User | None:
    """The active account these credentials open, or None.

    An unknown username still costs one password check (against a throw-away hash), so the
    answer's timing does not tell which usernames exist.
    """
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        return None
    return user if user.check_password(password) and user.is_active else None


@cache
def _unknown_user_hash() -> str:
    # Werkzeug's default method (scrypt), the same as User.set_password, so both checks cost the same.
    return generate_password_hash(secrets.token_hex(16))


def log_in(user: User) -> None:
    """A new session for the new login: nothing set before it (a planted value, an old CSRF token) survives."""
    _clear_session()
    session.permanent = True  # the cookie expires with the login's lifetime (PERMANENT_SESSION_LIFETIME)
    sessions.start_session(user)
    login_user(user)
    audit.record("auth.login", user, note=f"Alamat {request.remote_addr}")
    db.session.commit()


def _clear_session() -> None:
    session.clear()
    # The CSRF token went with the session; Flask-WTF's copy for this request must go too, or a page
    # rendered later in the same app context would carry a token the new session cannot check.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
