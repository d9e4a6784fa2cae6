from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..domain.formatting import nomor_pattern_error
from ..domain.models import InstrumentVersion, Unit

DATE_MESSAGE = "Isi tanggal yang sah."


class PeriodForm(FlaskForm):
    year = IntegerField("Tahun evaluasi", validators=[
        DataRequired("Isi tahun."), NumberRange(2020, 2100, "Tahun harus antara 2020 dan 2100.")])
    title = StringField("Judul", validators=[DataRequired("Isi judul periode."), Length(max=200)])
    instrument_id = SelectField("Instrumen", invalid_choice_message="Pilih instrumen yang tersedia.")
    opens_on = DateField("Tanggal dibuka", validators=[DataRequired(DATE_MESSAGE)])
    deadline = DateField("Batas pengisian", validators=[DataRequired(DATE_MESSAGE)])
    ba_number_pattern = StringField("Pola nomor berita acara", filters=[lambda value: (value or "").strip()],
                                    validators=[DataRequired("Isi pola nomor berita acara."), Length(max=120)])
    recap_number = StringField("Nomor surat rekapitulasi", filters=[lambda value: (value or "").strip()],
                               validators=[Length(max=120)])
    objection_days = IntegerField("Masa sanggah (hari)", validators=[
        Optional(), NumberRange(0, 30, "Masa sanggah antara 0 dan 30 hari.")])
    followup_days_b_and_below = IntegerField("Batas tindak lanjut, predikat B ke bawah (hari)", validators=[
        Optional(), NumberRange(1, 366, "Batas tindak lanjut antara 1 dan 366 hari.")])
    followup_days_above_b = IntegerField("Batas tindak lanjut, predikat A- dan A (hari)", validators=[
        Optional(), NumberRange(1, 366, "Batas tindak lanjut antara 1 dan 366 hari.")])
    pack_number = StringField("Nomor surat pengantar paket rapat", filters=[lambda value: (value or "").strip()],
                              validators=[Length(max=120)])

    def validate_ba_number_pattern(self, field):
        if field.data and (error := nomor_pattern_error(field.data)):
            raise ValidationError(error)

    def __init__(self, versions: list[InstrumentVersion], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument_id.choices = [SelectChoice(str(v.id), f"{v.name} ({v.code})") for v in versions]


class OpenCloseForm(FlaskForm):
    is_open = BooleanField("Dibuka")


class ExtensionForm(FlaskForm):
    unit_id = SelectField("Unit", invalid_choice_message="Pilih unit yang ada.")
    new_deadline = DateField("Batas baru", validators=[DataRequired(DATE_MESSAGE)])
    reason = TextAreaField("Alasan", validators=[DataRequired("Alasan wajib diisi."), Length(max=1000)])

    def __init__(self, units: list[Unit], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id.choices = [SelectChoice(str(u.id), u.short_name) for u in units]
