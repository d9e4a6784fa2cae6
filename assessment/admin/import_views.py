"""CSV import pages, the same three steps for units and for accounts: upload, preview, confirm."""
from __future__ import annotations

import csv
import io

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain.models import Role
from ..extensions import db
from ..web.access import role_required
from .blueprint import bp, shown_once
from .csv_import import ImportPreview, ImportSpec, apply_import, preview_content, preview_upload
from .csv_reading import MAX_BYTES
from .forms import CsvConfirmForm, CsvUploadForm
from .unit_import import UNIT_IMPORT
from .user_import import USER_IMPORT

IMPORTS = {spec.subject: spec for spec in (UNIT_IMPORT, USER_IMPORT)}
SUBJECT = "<any(unit, pengguna):subject>"


@bp.route(f"/{SUBJECT}/impor", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_upload(subject: str):
    """The columns, an example and the upload; a posted file is checked and previewed, nothing saved yet."""
    spec, form = IMPORTS[subject], CsvUploadForm()
    if form.validate_on_submit():
        return _preview_page(spec, preview_upload(spec, form.file.data.read(MAX_BYTES + 1)))
    return render_template("admin/import_upload.html", spec=spec, form=form, max_mb=MAX_BYTES // 1_000_000)


@bp.post(f"/{SUBJECT}/impor/simpan")
@role_required(Role.ADMIN)
def import_confirm(subject: str):
    """Check the previewed text again and import every row, or none if anything is wrong now."""
    spec, form = IMPORTS[subject], CsvConfirmForm()
    preview = preview_content(spec, form.content.data)
    if not preview.ok:
        flash("Tidak ada data yang diimpor: pemeriksaan ulang menemukan kesalahan. Perbaiki berkas, lalu unggah lagi.",
              "danger")
        return _preview_page(spec, preview)
    created = apply_import(spec, preview, current_user)
    db.session.commit()
    if spec is USER_IMPORT:
        return shown_once(render_template("admin/import_passwords.html", accounts=created))
    flash(f"{len(created)} unit berhasil diimpor.", "success")
    return redirect(url_for("admin.units"))


@bp.get(f"/{SUBJECT}/impor/contoh.csv")
@role_required(Role.ADMIN)
def import_example(subject: str):
    """The example as a file Excel opens directly (BOM, semicolons)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(IMPORTS[subject].example)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=contoh-impor-{subject}.csv"})


def _preview_page(spec: ImportSpec, preview: ImportPreview) -> str:
    return render_template("admin/import_preview.html", spec=spec, preview=preview, form=CsvConfirmForm(content=preview.content))
