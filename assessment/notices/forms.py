from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import Length, ValidationError

from ..domain.models import OutboxStatus

# Enough to catch a typo (a missing @ or domain); whether the address exists only a mail can tell.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EMAIL_MAX = 254
STATUS_LABELS = {OutboxStatus.QUEUED: "Menunggu", OutboxStatus.SENT: "Terkirim", OutboxStatus.FAILED: "Gagal"}


def strip(value):
    return value.strip() if isinstance(value, str) else value


class NoticeSettingsForm(FlaskForm):
    email = StringField("Alamat surel", filters=[strip], validators=[
        Length(max=EMAIL_MAX, message=f"Alamat surel paling banyak {EMAIL_MAX} karakter.")])
    email_notices = BooleanField("Kirimi saya pengingat batas waktu dan pemberitahuan hasil pemeriksaan lewat surel")
    submit = SubmitField("Simpan")

    def validate_email(self, field):
        if field.data and not EMAIL_SHAPE.fullmatch(field.data):
            raise ValidationError("Tulis alamat surel lengkap, misalnya nama@cilegon.go.id.")


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField("Status", choices=[SelectChoice("", "Semua")] + [
        SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()], default="")
