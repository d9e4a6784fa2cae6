from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from ..models import User
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)

# What a user holding a temporary password may still reach (a 404 is left alone: it has no endpoint).
PASSWORD_CHANGE_EXEMPT = frozenset({"auth.change_password", "auth.logout", "static", "bootstrap.static"})
PASSWORD_CHANGE_REQUIRED = "Anda masuk dengan kata sandi sementara dari admin. Buat kata sandi baru terlebih dahulu."


@bp.before_app_request
def require_password_change():
    """After an admin set a temporary password, every page leads to the change-password form first."""
    if request.endpoint is None or request.endpoint in PASSWORD_CHANGE_EXEMPT:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(PASSWORD_CHANGE_REQUIRED, "warning")
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    """Log in; the same message for an unknown user and a wrong password."""
    if current_user.is_authenticated:
        return redirect(url_for("selfassessment.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip().lower()))
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            flash("Nama pengguna atau kata sandi salah.", "danger")
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/keluar")
@login_required
def logout():
    """Log out (POST only, so a link on another site cannot log anyone out)."""
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password, after proving the current one; this ends a temporary password."""
    form = ChangePasswordForm(current_user)
    if form.validate_on_submit():
        current_user.set_password(form.new_password.data)
        current_user.must_change_password = False
        db.session.commit()
        flash("Kata sandi berhasil diubah.", "success")
        return redirect(url_for("selfassessment.home"))
    return render_template("auth/change_password.html", form=form)


def safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site (no scheme, no host, no '//')."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for("selfassessment.home")
