"""Admin pages for instrument versions: the list, upload (YAML or Excel), preview with the changes, and store."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain.instrument import InstrumentError
from ..domain.instrument.spreadsheet import write_workbook
from ..domain.instrument_store import (
    MAX_UPLOAD_BYTES,
    InstrumentFile,
    bundled_file,
    bundled_not_stored,
    carried,
    carry,
    periods_per_version,
    preview,
    read_instrument_file,
    store_instrument,
    version_with_code,
)
from ..domain.models import Role
from ..domain.periods import instrument_versions
from ..extensions import db
from ..web.access import role_required
from .blueprint import bp
from .forms import InstrumentConfirmForm, InstrumentUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/instrumen")
@role_required(Role.ADMIN)
def instruments():
    """Every stored version with the periods that use it, the bundled files not stored yet, and the upload."""
    return _list_page(InstrumentUploadForm())


@bp.post("/instrumen/unggah")
@role_required(Role.ADMIN)
def upload_instrument():
    """Check an uploaded file strictly and preview it; nothing is stored yet."""
    form = InstrumentUploadForm()
    if not form.validate_on_submit():
        return _list_page(form)
    try:
        file = read_instrument_file(form.file.data.read(MAX_UPLOAD_BYTES + 1))
    except InstrumentError as error:
        return _list_page(form, problems=error.problems, filename=form.file.data.filename)
    return _preview_page(file)


@bp.get("/instrumen/bawaan/<name>")
@role_required(Role.ADMIN)
def bundled_instrument(name: str):
    """Preview an instrument file shipped with the application, to store it without the command line."""
    path = bundled_file(name)
    if path is None:
        abort(404)
    return _preview_page(read_instrument_file(path.read_bytes()))


@bp.post("/instrumen/simpan")
@role_required(Role.ADMIN)
def store_instrument_version():
    """Check the previewed file again from scratch and store it as a new version."""
    form = InstrumentConfirmForm()
    try:
        if not form.validate_on_submit():
            raise InstrumentError("Data pratinjau tidak sah. Unggah ulang berkasnya.")
        version = store_instrument(read_instrument_file(carried(form.content.data)).text, current_user)
        db.session.commit()
    except InstrumentError as error:
        db.session.rollback()
        flash(f"Instrumen tidak disimpan: {error}", "danger")
        return redirect(url_for("admin.instruments"))
    flash(f"Instrumen {version.code} tersimpan dan dapat dipilih untuk periode baru.", "success")
    return redirect(url_for("admin.instruments"))


@bp.get("/instrumen/<version_code>")
@role_required(Role.ADMIN)
def instrument_version(version_code: str):
    """One stored version in full, with each level's condition on the facts."""
    version = version_with_code(version_code) or abort(404)
    return render_template("admin/instrument_version.html", version=version, instrument=version.instrument)


@bp.get("/instrumen/<version_code>/spreadsheet")
@role_required(Role.ADMIN)
def instrument_workbook(version_code: str):
    """A stored version as the Excel layout the upload reads, to edit into next year's version."""
    version = version_with_code(version_code) or abort(404)
    return Response(write_workbook(version.instrument), mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=instrumen-{version.code}.xlsx"})


def _list_page(form: InstrumentUploadForm, problems: list[str] | None = None, filename: str = "") -> str:
    return render_template("admin/instruments.html", form=form, versions=instrument_versions(),
                           years=periods_per_version(), bundled=bundled_not_stored(), problems=problems or [],
                           filename=filename, max_mb=MAX_UPLOAD_BYTES // 1_000_000)


def _preview_page(file: InstrumentFile) -> str:
    return render_template("admin/instrument_preview.html", preview=preview(file), instrument=file.instrument,
                           form=InstrumentConfirmForm(content=carry(file.text)))
