"""Forms of the field visit: the visit itself, a finding per indicator, the photos."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from ..domain.field_visits import NOTE_MAX, TEXT_MAX
from ..domain.instrument import Instrument
from ..domain.labels import FINDING_LABELS
from ..domain.models import FindingKind, User, VisitFinding
from ..web.form_fields import field_key, normalise_text

NOT_OBSERVED = ""
FINDING_CHOICES = [SelectChoice(NOT_OBSERVED, "Tidak diobservasi"),
                   *(SelectChoice(kind.value, FINDING_LABELS[kind]) for kind in FindingKind)]


def _account_id(value) -> int:
    """An account id as sent; 0 (no account) for anything else, refused by ``validate_members`` in Indonesian."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 10 else 0


class VisitForm(FlaskForm):
    visited_on = DateField("Tanggal kunjungan", format="%Y-%m-%d",
                           validators=[DataRequired("Isi tanggal kunjungan yang sah.")])
    members = SelectMultipleField("Anggota tim yang hadir", coerce=_account_id, validate_choice=False,
                                  validators=[DataRequired("Pilih sekurang-kurangnya satu anggota tim yang hadir.")])
    officials = TextAreaField("Pejabat unit yang ditemui", filters=[normalise_text], validators=[
        Length(max=TEXT_MAX, message=f"Paling banyak {TEXT_MAX} karakter.")])
    exit_notes = TextAreaField("Catatan pertemuan penutup (exit meeting)", filters=[normalise_text], validators=[
        Length(max=TEXT_MAX, message=f"Paling banyak {TEXT_MAX} karakter.")])

    def __init__(self, candidates: list[User], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.members.choices = [SelectChoice(user.id, user.full_name) for user in candidates]

    def validate_members(self, field):
        choices = {choice.value for choice in field.choices}
        if any(value not in choices for value in field.data or []):
            raise ValidationError("Pilih anggota dari tim evaluator.")


def findings_form(instrument: Instrument, stored: dict[str, VisitFinding], **kwargs) -> FlaskForm:
    """A choice and a note per indicator of the instrument, set to the stored findings; ``form.entries`` maps each
    indicator code to its (choice, note) fields."""
    fields = {}
    for indicator in instrument.indicators:
        key, finding = field_key(indicator.code), stored.get(indicator.code)
        fields[f"finding_{key}"] = RadioField(
            f"Temuan {indicator.code}", choices=FINDING_CHOICES, default=finding.finding.value if finding else "",
            invalid_choice_message="Pilih tidak diobservasi, sesuai atau tidak sesuai klaim.")
        fields[f"note_{key}"] = TextAreaField(
            f"Catatan {indicator.code}", default=finding.note if finding else "", filters=[normalise_text],
            validators=[Length(max=NOTE_MAX, message=f"Paling banyak {NOTE_MAX} karakter.")])
    form = type("FindingsForm", (FlaskForm,), fields)(**kwargs)
    form.entries = {indicator.code: (form[f"finding_{field_key(indicator.code)}"],
                                     form[f"note_{field_key(indicator.code)}"]) for indicator in instrument.indicators}
    return form


class PhotoForm(FlaskForm):
    photos = MultipleFileField("Foto (JPG atau PNG)")
    indicator_code = SelectField("Foto tentang", invalid_choice_message="Pilih indikator yang ada, atau foto umum.")

    def __init__(self, instrument: Instrument, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_code.choices = [SelectChoice("", "Umum (tidak khusus satu indikator)"),
                                       *(SelectChoice(i.code, f"{i.code} {i.title}") for i in instrument.indicators)]


class RemovePhotoForm(FlaskForm):
    photo_id = IntegerField("Foto", validators=[DataRequired("Pilih foto yang dihapus.")])
