"""Admin pages for accounts: list, create, edit, deactivate, reactivate and password reset."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.lifecycle import ActionRefused
from ..domain.models import Role, User
from ..domain.units import UserFilters, read_filters, users_matching
from ..extensions import db
from ..web.access import role_required
from . import user_services as services
from .blueprint import bp, shown_once
from .forms import NewUserForm, UserForm


@bp.get("/pengguna")
@role_required(Role.ADMIN)
def users():
    """Accounts filtered by role, unit, status and a search text."""
    filters = read_filters(UserFilters, request.args)
    return render_template("admin/users.html", filters=filters, users=users_matching(filters))


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    """Create an account with a temporary password, shown once in the answer itself."""
    form = NewUserForm(None, current_user)
    if form.validate_on_submit():
        user, password = services.create_user(form.username.data, form.details(), current_user)
        db.session.commit()
        return _show_once(user, password, f"Akun {user.username} dibuat.")
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change an account's name, NIP, role or unit (not one's own role)."""
    user = db.get_or_404(User, user_id)
    form = UserForm(user, current_user)
    if form.validate_on_submit():
        changed = services.update_user(user, form.details(), current_user)
        db.session.commit()
        flash(f"Akun {user.username} disimpan." if changed else "Tidak ada perubahan.", "success" if changed else "info")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/pengguna/<int:user_id>/nonaktifkan", defaults={"active": False})
@bp.post("/pengguna/<int:user_id>/aktifkan", defaults={"active": True})
@role_required(Role.ADMIN)
def set_user_active(user_id: int, active: bool):
    """Deactivate (or reactivate) an account; an inactive account cannot log in. Never one's own."""
    user = db.get_or_404(User, user_id)
    try:
        services.set_user_active(user, active, current_user)
        db.session.commit()
        flash(f"Akun {user.username} {'diaktifkan kembali' if active else 'dinonaktifkan'}.", "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "danger")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/pengguna/<int:user_id>/reset-kata-sandi")
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    """Replace the password with a temporary one the user must change at the next login."""
    user = db.get_or_404(User, user_id)
    try:
        password = services.reset_password(user, current_user)
    except ActionRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "danger")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    db.session.commit()
    return _show_once(user, password, f"Kata sandi akun {user.username} direset.")


def _show_once(user: User, password: str, message: str):
    """The temporary password in the answer to the POST that made it, and nowhere else: it is not kept in the
    session cookie (signed, not encrypted, and replayable) or the database, and no later GET can show it again."""
    flash(message, "success")
    return shown_once(render_template("admin/temporary_password.html", user=user, password=password))
