"""Forms of the evaluator team: its decree, its members and who examines which unit or aspect."""
from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    DateField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation
from wtforms.widgets import Select

from ..domain.instrument import Instrument
from ..domain.models import TEAM_ROLE_LABELS, WHOLE_UNIT, TeamMember, TeamRole, User
from ..domain.objections import REASON_MAX


def _strip(value: str | None) -> str:
    return (value or "").strip()


class DecreeForm(FlaskForm):
    sk_number = StringField("Nomor SK tim", filters=[_strip], validators=[Length(max=120)])
    sk_date = DateField("Tanggal SK", validators=[Optional()], format="%Y-%m-%d")

    def validate_sk_date(self, field):
        if field.raw_data and field.raw_data[0] and field.data is None:
            field.errors[:] = []  # not WTForms' own English "Not a valid date value."
            raise StopValidation("Isi tanggal yang sah.")


class MemberForm(FlaskForm):
    user_id = SelectField("Akun", coerce=int, invalid_choice_message="Pilih akun evaluator atau administrator.")
    role = SelectField("Peran dalam tim", choices=[SelectChoice(r.value, TEAM_ROLE_LABELS[r]) for r in TeamRole],
                       default=TeamRole.ANGGOTA.value, invalid_choice_message="Pilih ketua atau anggota.")
    jabatan = StringField("Jabatan", filters=[_strip], validators=[
        DataRequired("Isi jabatan anggota (misalnya Analis Kebijakan Ahli Muda, Inspektorat)."), Length(max=200)])
    nip = StringField("NIP", filters=[lambda value: "".join((value or "").split())], validators=[
        Optional(), Regexp(r"^\d{18}$", message="NIP terdiri atas 18 angka.")])

    def __init__(self, accounts: list[User], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = [SelectChoice(user.id, f"{user.full_name} ({user.username})") for user in accounts]


class RemoveMemberForm(FlaskForm):
    user_id = IntegerField("Akun", validators=[DataRequired("Pilih anggota yang dikeluarkan.")])


class MemberSelect(Select):
    """WTForms' select, each option written out directly: the assignments page shows 100 units × 7 selects of every
    member, and building each option's attributes with ``html_params`` took most of the page (~0.25 s, 21 members)."""

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs) -> Markup:
        selected = " selected" if choice.selected else ""
        return Markup(f'<option value="{escape(choice.value)}"{selected}>{escape(choice.label)}</option>')


def assignment_form(instrument: Instrument, members: list[TeamMember], held: dict[str, int | None],
                    **kwargs) -> FlaskForm:
    """One unit's row: a member (or nobody) for the whole unit and for each aspect; ``held`` the current ids."""
    choices = [SelectChoice("", "Tidak ada"), *(SelectChoice(str(m.id), m.user.full_name) for m in members)]
    parts = {WHOLE_UNIT: "Seluruh unit", **{a.code: f"Aspek {a.code.upper()}" for a in instrument.aspects}}
    fields = {f"part_{code or 'unit'}": SelectField(label, choices=choices, default=str(held.get(code) or ""),
                                                    invalid_choice_message="Pilih anggota dari tim ini.",
                                                    widget=MemberSelect())
              for code, label in parts.items()}
    form = type("AssignmentForm", (FlaskForm,), fields)(**kwargs)
    form.parts = {code: form[f"part_{code or 'unit'}"] for code in parts}
    return form


class ObjectionForm(FlaskForm):
    """The unit's objection to one indicator's provisional level; the indicator is checked by the service."""

    indicator_code = StringField("Indikator", filters=[_strip], validators=[
        DataRequired("Pilih indikator yang disanggah."), Length(max=30)])
    reason = TextAreaField("Alasan sanggahan", filters=[_strip], validators=[
        DataRequired("Alasan sanggahan wajib diisi."), Length(max=REASON_MAX, message=f"Paling banyak {REASON_MAX} karakter.")])
    files = MultipleFileField("Bukti baru")  # checked (type by content, size) by the evidence service


class AnswerForm(FlaskForm):
    """The evaluator's answer to one objection."""

    answer = RadioField("Jawaban", choices=[SelectChoice("terima", "Terima: ubah level"),
                                            SelectChoice("tolak", "Tolak: level tetap")],
                        invalid_choice_message="Pilih terima atau tolak.",
                        validators=[DataRequired("Pilih terima atau tolak.")])
    # Checked by the service (0–5, and only when accepting), so a refusal needs no level at all.
    level = SelectField("Level baru", choices=[SelectChoice("", "—"), *(SelectChoice(str(n), str(n)) for n in range(6))],
                        validate_choice=False)
    reason = TextAreaField("Alasan", filters=[_strip], validators=[
        Length(max=REASON_MAX, message=f"Paling banyak {REASON_MAX} karakter.")])


class ConfirmForm(FlaskForm):
    """A POST with nothing but its CSRF token (accepting the provisional result)."""


class MessageForm(FlaskForm):
    """One message on a noted indicator; the indicator, the author's right and the length are checked by the service
    (domain/conversation.py), so a refusal says exactly why."""

    indicator_code = StringField("Indikator", filters=[_strip], validators=[
        DataRequired("Pilih indikator."), Length(max=30)])
    text = TextAreaField("Tanggapan")
