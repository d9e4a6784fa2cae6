"""Forms of the admin pages. Checks that need the database live in ``validate_<field>``."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..domain.labels import DELIVERY_LABELS, KIND_LABELS, ROLE_LABELS
from ..domain.models import PANGKAT_GOLONGAN, DeliveryMode, Role, Unit, UnitKind, User
from ..domain.units import active_units
from ..extensions import db
from .rules import (
    FULL_NAME_MAX,
    UNIT_NAME_MAX,
    UNIT_SHORT_NAME_MAX,
    nip_error,
    normalise_nip,
    normalise_username,
    unit_requirement_error,
    username_error,
)
from .unit_services import UnitDetails, unit_with
from .user_services import UserDetails, user_named

ROLE_VALUES = {role.value for role in Role}


def strip(value):
    return value.strip() if isinstance(value, str) else value


class UnitForm(FlaskForm):
    name = StringField("Nama unit", filters=[strip], validators=[
        DataRequired("Isi nama unit."),
        Length(max=UNIT_NAME_MAX, message=f"Nama unit paling banyak {UNIT_NAME_MAX} karakter.")])
    short_name = StringField("Singkatan", filters=[strip], validators=[
        DataRequired("Isi singkatan unit."),
        Length(max=UNIT_SHORT_NAME_MAX, message=f"Singkatan paling banyak {UNIT_SHORT_NAME_MAX} karakter.")])
    kind = SelectField("Jenis unit", choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                       invalid_choice_message="Pilih salah satu jenis unit.")
    delivery = SelectField("Cara pelayanan", default=DeliveryMode.LURING.value,
                           choices=[SelectChoice(m.value, label) for m, label in DELIVERY_LABELS.items()],
                           invalid_choice_message="Pilih luring, daring, atau keduanya.")
    submit = SubmitField("Simpan")

    def __init__(self, unit: Unit | None = None, **kwargs):
        super().__init__(obj=unit, **kwargs)
        self.unit = unit

    def validate_name(self, field):
        if unit_with(Unit.name, field.data, exclude=self.unit):
            raise ValidationError("Sudah ada unit dengan nama ini (termasuk unit nonaktif).")

    def validate_short_name(self, field):
        if unit_with(Unit.short_name, field.data, exclude=self.unit):
            raise ValidationError("Singkatan ini sudah dipakai unit lain (termasuk unit nonaktif).")

    def details(self) -> UnitDetails:
        return UnitDetails(self.name.data, self.short_name.data, UnitKind(self.kind.data), DeliveryMode(self.delivery.data))


class UserForm(FlaskForm):
    """The editable part of an account; the username is fixed once created (see ``NewUserForm``)."""

    full_name = StringField("Nama lengkap", filters=[strip], validators=[
        DataRequired("Isi nama lengkap."),
        Length(max=FULL_NAME_MAX, message=f"Nama lengkap paling banyak {FULL_NAME_MAX} karakter.")])
    nip = StringField("NIP", filters=[normalise_nip])
    pangkat = SelectField("Pangkat/golongan", choices=[SelectChoice("", "— Tidak diisi —"),
                                                       *(SelectChoice(p, p) for p in PANGKAT_GOLONGAN)],
                          filters=[lambda value: value or ""],  # an account without one, or a form that leaves it out
                          invalid_choice_message="Pilih pangkat/golongan dari daftar.")
    role = SelectField("Peran", choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
                       invalid_choice_message="Pilih salah satu peran.")
    unit_id = SelectField("Unit", invalid_choice_message="Pilih unit dari daftar.")
    submit = SubmitField("Simpan")

    def __init__(self, user: User | None, actor: User, **kwargs):
        super().__init__(obj=user, **kwargs)
        self.user, self.actor = user, actor
        units = active_units()
        if user is not None and user.unit is not None and user.unit not in units:
            units.append(user.unit)  # an inactive unit stays selectable for the accounts that already have it
        self.unit_id.choices = [SelectChoice("", "— Tanpa unit —")] + [
            SelectChoice(str(u.id), u.short_name + ("" if u.active else " (nonaktif)")) for u in units
        ]

    def validate_nip(self, field):
        if field.data and (error := nip_error(field.data)):
            raise ValidationError(error)

    def validate_role(self, field):
        if self.user is not None and self.user.id == self.actor.id and field.data != self.user.role:
            raise ValidationError("Anda tidak dapat mengubah peran akun Anda sendiri.")

    def validate_unit_id(self, field):
        if self.role.data in ROLE_VALUES and (error := unit_requirement_error(Role(self.role.data), bool(field.data))):
            raise ValidationError(error)

    def details(self) -> UserDetails:
        unit = db.session.get(Unit, int(self.unit_id.data)) if self.unit_id.data else None
        return UserDetails(self.full_name.data, self.nip.data or None, Role(self.role.data), unit, self.pangkat.data or None)


class NewUserForm(UserForm):
    username = StringField("Nama pengguna", filters=[normalise_username])

    def validate_username(self, field):
        if error := username_error(field.data):
            raise ValidationError(error)
        if user_named(field.data):
            raise ValidationError("Nama pengguna ini sudah dipakai.")


class CsvUploadForm(FlaskForm):
    file = FileField("Berkas CSV", validators=[FileRequired("Pilih berkas CSV terlebih dahulu.")])
    submit = SubmitField("Periksa isi berkas")


class CsvConfirmForm(FlaskForm):
    """Carries the previewed file to the confirm step, where it is checked again from scratch."""

    content = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Impor semua baris")


class InstrumentUploadForm(FlaskForm):
    file = FileField("Berkas instrumen (YAML, JSON, atau Excel .xlsx)",
                     validators=[FileRequired("Pilih berkas instrumen terlebih dahulu.")])
    submit = SubmitField("Periksa dan pratinjau")


class InstrumentConfirmForm(FlaskForm):
    """Carries the previewed instrument to the store step, where it is checked again from scratch."""

    content = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Simpan versi ini")
