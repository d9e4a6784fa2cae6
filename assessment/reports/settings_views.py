"""The admin's page for the letterhead printed on every document."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from ..domain.letterhead import current_settings, logo_src, read_logo, save_settings
from ..domain.models import Role
from ..extensions import db
from ..web.access import role_required
from .forms import SettingsForm
from .views import bp


@bp.route("/admin/kop-surat", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings():
    """Kop surat (Pemda name, office, address, logo) and the Bagian Organisasi's signatory."""
    current = current_settings()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        logo, problem = read_logo(form.logo.data)
        if problem:
            form.logo.errors = [problem]
        else:
            save_settings(current, form, logo)
            db.session.commit()
            flash("Kop surat tersimpan. Dokumen berikutnya memakai data ini.", "success")
            return redirect(url_for("reports.settings"))
    return render_template("reports/settings.html", form=form, logo=logo_src(current), preview=current)
