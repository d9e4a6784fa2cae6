"""The account page (one's e-mail address and the opt-out) and the admin's list of what was sent."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.models import OutboxMessage, OutboxStatus, Role
from ..extensions import db
from ..web.access import role_required
from ..web.paging import PAGE_SIZE, Page, page_number
from .forms import STATUS_LABELS, NoticeSettingsForm, OutboxFilterForm
from .mail import mail_enabled, settings_error
from .services import update_notice_settings

bp = Blueprint("notices", __name__)


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    """One's own account: the e-mail address for reminders and notices, and whether to receive them."""
    form = NoticeSettingsForm(obj=current_user)
    if form.validate_on_submit():
        changed = update_notice_settings(current_user, form.email.data, form.email_notices.data)
        db.session.commit()
        flash("Pengaturan surel disimpan." if changed else "Tidak ada perubahan.", "success" if changed else "info")
        return redirect(url_for("notices.account"))
    return render_template("notices/account.html", form=form, mail_on=mail_enabled(current_app.config))


@bp.get("/admin/surel")
@role_required(Role.ADMIN)
def outbox():
    """Every reminder and notice, newest first: queued, sent or failed, with the attempts and the last error."""
    filters = OutboxFilterForm(request.args)
    if not filters.validate():
        filters.status.data = ""
    query = sa.select(OutboxMessage)
    if filters.status.data:
        query = query.where(OutboxMessage.status == OutboxStatus(filters.status.data))
    matching = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    number, pages = page_number(request.args.get("halaman", type=int), matching)
    rows = db.session.scalars(query.order_by(OutboxMessage.id.desc()).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    config = current_app.config
    return render_template("notices/outbox.html", filters=filters, page=Page(list(rows), matching, number, pages),
                           status_labels=STATUS_LABELS, mail_on=mail_enabled(config),
                           problem=mail_enabled(config) and settings_error(config), server=config.get("MAIL_SERVER"))
