"""The questionnaire (public and paper), the unit's survey settings, its follow-up plan and the period's settings."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain import f03, skm
from ..domain.models import SurveySettings
from .profile import EDUCATION, GENDERS, MAX_AGE, MIN_AGE, OCCUPATIONS

INVALID_ANSWER = "Pilih salah satu jawaban yang tersedia."
SUGGESTION_MAX = 1000
WTFORMS_MESSAGES = {"Not a valid integer value.": "Isi dengan angka bulat.", "Not a valid date value.": "Isi tanggal yang sah.",
                    "Not a valid choice.": INVALID_ANSWER, "Invalid Choice: could not coerce.": INVALID_ANSWER}


def _answer(value) -> int:
    """A radio value as a number; anything else becomes -1, which no choice has (so WTForms says INVALID_ANSWER)."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 3 else -1


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _with_blank(pairs) -> list[SelectChoice]:
    return _choices([("", "— pilih —"), *pairs])


class IndonesianMessages:
    """WTForms' own messages for input it cannot read (a word where a number goes), said in Bahasa Indonesia."""

    def gettext(self, text: str) -> str:
        return WTFORMS_MESSAGES.get(text, text)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.gettext(singular if count == 1 else plural)


class QuestionnaireForm(FlaskForm):
    """SKM unsur u1..u9 (1–4), F-03 statements f1..f14 (0–5), the profile and a suggestion; every question may be
    skipped, but not all of them."""

    class Meta:
        def get_translations(self, form):
            return IndonesianMessages()

    age = IntegerField("Usia (tahun)", validators=[Optional(), NumberRange(MIN_AGE, MAX_AGE,
                                                   f"Isi usia antara {MIN_AGE} dan {MAX_AGE} tahun.")])
    gender = RadioField("Jenis kelamin", choices=_choices(GENDERS), validators=[Optional()],
                        invalid_choice_message=INVALID_ANSWER)
    education = SelectField("Pendidikan terakhir", choices=_with_blank(EDUCATION), validators=[Optional()],
                            invalid_choice_message=INVALID_ANSWER)
    occupation = SelectField("Pekerjaan", choices=_with_blank(OCCUPATIONS), validators=[Optional()],
                             invalid_choice_message=INVALID_ANSWER)
    service_type = StringField("Jenis layanan yang Anda terima", validators=[Optional(), Length(max=120)])
    suggestion = TextAreaField("Saran dan masukan (boleh dikosongkan)", validators=[
        Optional(), Length(max=SUGGESTION_MAX, message=f"Saran paling banyak {SUGGESTION_MAX} karakter.")])

    def __init__(self, settings: SurveySettings, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.f03_items = f03.items_of(settings.f03_form)
        self.service_types = settings.service_types
        for number in range(len(self.f03_items) + 1, f03.MAX_ITEMS + 1):
            delattr(self, f"f{number}")  # the daring form has 11 statements

    def skm_fields(self):
        return [(unsur, self[unsur.code.lower()]) for unsur in skm.UNSUR]

    def f03_fields(self):
        return [(item, self[f"f{number}"]) for number, item in enumerate(self.f03_items, start=1)]

    def skm_answers(self) -> list[int | None]:
        return [field.data for _, field in self.skm_fields()]

    def f03_answers(self) -> list[int | None]:
        return [field.data for _, field in self.f03_fields()]

    def validate_service_type(self, field) -> None:
        if self.service_types and field.data and field.data not in self.service_types:
            raise ValidationError("Pilih jenis layanan dari daftar.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any(a is not None for a in self.skm_answers() + self.f03_answers()):
            self.form_errors.append("Belum ada pertanyaan yang dijawab. Jawab setidaknya satu pertanyaan penilaian.")
            return False
        return valid


for _unsur in skm.UNSUR:
    setattr(QuestionnaireForm, _unsur.code.lower(), RadioField(
        _unsur.question, choices=_choices(enumerate(_unsur.answers, start=1)), coerce=_answer,
        validators=[Optional()], invalid_choice_message=INVALID_ANSWER))
for _number in range(1, f03.MAX_ITEMS + 1):
    setattr(QuestionnaireForm, f"f{_number}", RadioField(
        f"Pernyataan {_number}", choices=_choices((value, str(value)) for value in range(f03.MIN_ANSWER, f03.MAX_ANSWER + 1)),
        coerce=_answer, validators=[Optional()], invalid_choice_message=INVALID_ANSWER))


class PublicForm(QuestionnaireForm):
    class Meta(QuestionnaireForm.Meta):
        csrf = False  # no session to protect: the form carries its own signed token (guard.py)

    token = HiddenField()
    website = StringField("Situs web (jangan diisi)")  # the honeypot: hidden from people by CSS


class PaperForm(QuestionnaireForm):
    answered_on = DateField("Tanggal pengisian kuesioner", validators=[InputRequired("Isi tanggal pada kuesioner.")])

    def __init__(self, settings: SurveySettings, opens_on: date, today: date, *args, **kwargs):
        super().__init__(settings, *args, **kwargs)
        self.opens_on, self.today = opens_on, today

    def validate_answered_on(self, field) -> None:
        if field.data is not None and not self.opens_on <= field.data <= self.today:  # None: not a date (said already)
            raise ValidationError("Tanggal harus antara pembukaan periode dan hari ini.")


class SettingsForm(FlaskForm):
    f03_form = RadioField("Formulir F-03", choices=_choices(f03.FORM_LABELS.items()),
                          invalid_choice_message="Pilih luring atau daring.")
    population = IntegerField("Jumlah pengguna layanan dalam periode survei", validators=[
        Optional(), NumberRange(1, 10_000_000, "Isi bilangan bulat positif.")])
    service_types = TextAreaField("Jenis layanan (satu per baris)", validators=[Length(max=4000)])

    def service_type_list(self) -> list[str]:
        names = [line.strip()[:120] for line in (self.service_types.data or "").splitlines()]
        return list(dict.fromkeys(name for name in names if name))


class FollowUpForm(FlaskForm):
    follow_up_plan = TextAreaField("Rencana tindak lanjut", validators=[
        DataRequired("Tulis rencana tindak lanjut."), Length(max=8000)])


class PeriodSurveyForm(FlaskForm):
    survey_min_respondents = IntegerField("Minimum responden F-03 per unit", validators=[
        InputRequired("Isi minimum responden."), NumberRange(1, 1000, "Isi 1–1000.")])
    f03_share = IntegerField("Porsi F-03 dalam indeks gabungan (%)", validators=[
        InputRequired("Isi porsi F-03."), NumberRange(0, 100, "Isi 0 sampai 100 (persen).")])


def profile_of(questionnaire: QuestionnaireForm) -> dict:
    """The profile answers and the suggestion as stored: None for what was left empty."""
    values = {name: questionnaire[name].data for name in ("age", "gender", "education", "occupation")}
    for name in ("service_type", "suggestion"):
        values[name] = (questionnaire[name].data or "").strip() or None
    return {name: (value if value != "" else None) for name, value in values.items()}
