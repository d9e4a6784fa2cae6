from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class SettingsForm(FlaskForm):
    pemda_name = StringField("Nama Pemda", validators=[DataRequired("Isi nama Pemda."), Length(max=200)])
    office_name = StringField("Nama kantor pada kop", validators=[DataRequired("Isi nama kantor."), Length(max=200)])
    address = StringField("Alamat", validators=[Optional(), Length(max=300)])
    city = StringField("Kota tempat penandatanganan", validators=[DataRequired("Isi nama kota."), Length(max=100)])
    signatory_title = StringField("Jabatan penanda tangan", validators=[DataRequired("Isi jabatan."), Length(max=200)])
    signatory_name = StringField("Nama penanda tangan", validators=[Optional(), Length(max=200)])
    signatory_nip = StringField("NIP penanda tangan", validators=[
        Optional(), Regexp(r"^\d{18}$", message="NIP terdiri dari 18 angka.")])
    logo = FileField("Logo (PNG atau JPEG, paling besar 512 KB)")
    remove_logo = BooleanField("Hapus logo, pakai lambang bawaan")
