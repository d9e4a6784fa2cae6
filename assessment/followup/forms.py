"""Forms of the follow-up: the unit's report and the reviewer's answer."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

TEXT_MAX = 4000


def _strip(value: str | None) -> str:
    return (value or "").strip()


class ReportForm(FlaskForm):
    text = TextAreaField("Apa yang sudah dilakukan", filters=[_strip], validators=[
        DataRequired("Tuliskan apa yang sudah dilakukan untuk menindaklanjuti rekomendasi ini."),
        Length(max=TEXT_MAX, message=f"Laporan paling banyak {TEXT_MAX} karakter.")])
    files = MultipleFileField("Bukti tindak lanjut (boleh lebih dari satu)")


class AnswerForm(FlaskForm):
    decision = RadioField("Tanggapan", choices=[SelectChoice("terima", "Terima: tindak lanjut selesai"),
                                                SelectChoice("minta", "Minta dilengkapi")],
                          validators=[DataRequired("Pilih terima atau minta dilengkapi.")],
                          invalid_choice_message="Pilih terima atau minta dilengkapi.")
    text = TextAreaField("Catatan untuk unit", filters=[_strip], validators=[
        Length(max=TEXT_MAX, message=f"Catatan paling banyak {TEXT_MAX} karakter.")])
