from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..domain.models import PANGKAT_GOLONGAN

NIP_RULE = Regexp(r"^\d{18}$", message="NIP terdiri dari 18 angka.")
PANGKAT_CHOICES = [SelectChoice("", "— Belum diisi —"), *(SelectChoice(p, p) for p in PANGKAT_GOLONGAN)]


def no_spaces(value: str | None) -> str | None:
    """NIPs are often typed in their printed groups ("19720315 199603 1 002")."""
    return "".join(value.split()) if value else value


def strip(value: str | None) -> str | None:
    return value.strip() if value else value


def pangkat_field(label: str) -> SelectField:
    return SelectField(label, choices=PANGKAT_CHOICES, filters=[lambda value: value or ""],
                       invalid_choice_message="Pilih pangkat/golongan dari daftar.")


class SettingsForm(FlaskForm):
    pemda_name = StringField("Nama Pemda", filters=[strip], validators=[DataRequired("Isi nama Pemda."), Length(max=200)])
    office_name = StringField("Nama kantor pada kop", filters=[strip],
                              validators=[DataRequired("Isi nama kantor."), Length(max=200)])
    address = StringField("Alamat", filters=[strip], validators=[Optional(), Length(max=300)])
    postal_code = StringField("Kode pos", filters=[strip], validators=[
        Optional(), Regexp(r"^\d{5}$", message="Kode pos terdiri dari 5 angka.")])
    phone = StringField("Telepon", filters=[strip], validators=[
        Optional(), Length(max=60), Regexp(r"^[0-9 ()+\-./,]+$", message="Telepon hanya berisi angka, spasi dan ( ) + - .")])
    email = StringField("Pos-el (surel)", filters=[strip], validators=[
        Optional(), Length(max=120), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Tulis alamat surel yang sah.")])
    website = StringField("Laman", filters=[strip], validators=[
        Optional(), Length(max=120), Regexp(r"^\S+\.\S+$", message="Tulis alamat laman tanpa spasi, misalnya cilegon.go.id.")])
    city = StringField("Kota tempat penandatanganan", filters=[strip],
                       validators=[DataRequired("Isi nama kota."), Length(max=100)])
    signatory_title = StringField("Jabatan penanda tangan", filters=[strip],
                                  validators=[DataRequired("Isi jabatan."), Length(max=200)])
    signatory_name = StringField("Nama penanda tangan", filters=[strip], validators=[Optional(), Length(max=200)])
    signatory_nip = StringField("NIP penanda tangan", filters=[no_spaces], validators=[Optional(), NIP_RULE])
    signatory_pangkat = pangkat_field("Pangkat/golongan penanda tangan")
    sekda_name = StringField("Nama Sekretaris Daerah", filters=[strip], validators=[Optional(), Length(max=200)])
    sekda_nip = StringField("NIP Sekretaris Daerah", filters=[no_spaces], validators=[Optional(), NIP_RULE])
    sekda_pangkat = pangkat_field("Pangkat/golongan Sekretaris Daerah")
    addressee = StringField("Tujuan rekapitulasi dan paket rapat (Kepada Yth.)", filters=[strip],
                            validators=[DataRequired("Isi tujuan surat, misalnya Wali Kota Cilegon."), Length(max=200)])
    logo = FileField("Logo (PNG atau JPEG, paling besar 512 KB)")
    remove_logo = BooleanField("Hapus logo, pakai lambang bawaan")
