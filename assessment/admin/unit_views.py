"""Admin pages for units: list, create, edit, deactivate and reactivate. Units are never deleted."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.models import Role, Unit
from ..domain.units import UnitFilters, accounts_of, active_accounts_per_unit, read_filters, units_matching
from ..extensions import db
from ..web.access import role_required
from . import unit_services as services
from .blueprint import bp
from .forms import UnitForm


@bp.get("/unit")
@role_required(Role.ADMIN)
def units():
    """Units filtered by status and kind, with how many active accounts each has."""
    filters = read_filters(UnitFilters, request.args)
    return render_template("admin/units.html", filters=filters, units=units_matching(filters),
                           accounts=active_accounts_per_unit())


@bp.route("/unit/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_unit():
    """Add a unit; name and short name must be new (ignoring case)."""
    form = UnitForm()
    if form.validate_on_submit():
        unit = services.create_unit(form.details(), current_user)
        db.session.commit()
        flash(f"Unit {unit.short_name} ditambahkan.", "success")
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_unit(unit_id: int):
    """Change a unit's name, short name or kind; the page also shows its accounts and status."""
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(unit)
    if form.validate_on_submit():
        changed = services.update_unit(unit, form.details(), current_user)
        db.session.commit()
        flash(f"Unit {unit.short_name} disimpan." if changed else "Tidak ada perubahan.", "success" if changed else "info")
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit, accounts=accounts_of(unit))


@bp.post("/unit/<int:unit_id>/nonaktifkan", defaults={"active": False})
@bp.post("/unit/<int:unit_id>/aktifkan", defaults={"active": True})
@role_required(Role.ADMIN)
def set_unit_active(unit_id: int, active: bool):
    """Deactivate (or reactivate) a unit: it leaves the lists and choices, its history stays."""
    unit = db.get_or_404(Unit, unit_id)
    services.set_unit_active(unit, active, current_user)
    db.session.commit()
    if active:
        flash(f"Unit {unit.short_name} diaktifkan kembali.", "success")
    else:
        open_accounts = active_accounts_per_unit().get(unit.id, 0)
        flash(f"Unit {unit.short_name} dinonaktifkan."
              + (f" {open_accounts} akun unit ini masih aktif; nonaktifkan di halaman Pengguna bila perlu."
                 if open_accounts else ""), "success")
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))
