"""Forms of the review: one decision and note per indicator, and the transition forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..form_fields import VersionField, field_key
from ..instrument import Instrument
from .services import AGREE, ReviewEntry

NOTE_MAX = 2000
VALID_CHOICES = {"", AGREE, *(str(level) for level in range(6))}


class ChoiceField(Field):
    """The reviewer's choice for one indicator ("", "agree" or a level), rendered as a select by the template."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        if value not in VALID_CHOICES:
            raise ValueError("Pilihan verifikasi tidak sah.")
        self.data = value


def review_form(instrument: Instrument, **kwargs) -> FlaskForm:
    class ReviewForm(FlaskForm):
        pass

    for indicator in instrument.indicators:
        key = field_key(indicator.code)
        setattr(ReviewForm, f"choice_{key}", ChoiceField(indicator.code, default=""))
        setattr(ReviewForm, f"version_{key}", VersionField(default=0))
        setattr(ReviewForm, f"note_{key}", TextAreaField(
            "Catatan evaluator", validators=[Length(max=NOTE_MAX, message=f"Catatan paling banyak {NOTE_MAX} karakter.")]))
    return ReviewForm(**kwargs)


def entries_from(form: FlaskForm, instrument: Instrument) -> dict[str, ReviewEntry]:
    return {
        ind.code: ReviewEntry(form[f"choice_{field_key(ind.code)}"].data or "",
                              (form[f"note_{field_key(ind.code)}"].data or "").strip(),
                              form[f"version_{field_key(ind.code)}"].data)
        for ind in instrument.indicators
    }


class ReasonForm(FlaskForm):
    reason = TextAreaField("Alasan", validators=[DataRequired("Alasan wajib diisi."), Length(max=NOTE_MAX)])


class VerifyForm(FlaskForm):
    confirm = BooleanField("Saya telah memeriksa seluruh indikator; hasil verifikasi ini final.",
                           validators=[DataRequired("Centang pernyataan terlebih dahulu.")])


class RecommendationForm(FlaskForm):
    """Add or edit a recommendation; the indicator (optional) is checked against the instrument by the view."""

    indicator_code = StringField("Indikator", validators=[Length(max=30)])
    text = TextAreaField("Rekomendasi", validators=[DataRequired("Isi rekomendasi."), Length(max=NOTE_MAX)])
