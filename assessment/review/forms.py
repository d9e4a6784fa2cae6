"""Forms of the review: one decision and note per indicator, and the transition forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..domain.models import Assessment
from ..domain.reviews import AGREE, review_choice
from ..web.form_fields import IndicatorEntryForm, indicator_form, normalise_text

NOTE_MAX = 2000
VALID_CHOICES = {"", AGREE, *(str(level) for level in range(6))}


class ChoiceField(Field):
    """The reviewer's choice for one indicator ("", "agree" or a level), rendered as a select by the template."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        if value not in VALID_CHOICES:
            raise ValueError("Pilihan verifikasi tidak sah.")
        self.data = value


class ReviewEntryForm(IndicatorEntryForm):
    VALUE_FIELDS = ("choice", "note")  # as review_choice() and Review.note
    choice = ChoiceField("Keputusan evaluator", default="")
    note = TextAreaField("Catatan evaluator", filters=[normalise_text],
                         validators=[Length(max=NOTE_MAX, message=f"Catatan paling banyak {NOTE_MAX} karakter.")])


def review_form(assessment: Assessment, **kwargs) -> FlaskForm:
    """The review page's form, built on the stored decisions (a post then brings what the reviewer sent)."""
    saved = {}
    for indicator in assessment.instrument.indicators:
        review = assessment.reviews.get(indicator.code)
        saved[indicator.code] = {"choice": review_choice(assessment, indicator.code),
                                 "note": review.note if review else "", "version": review.version if review else 0}
    return indicator_form(ReviewEntryForm, assessment.instrument.indicators, saved, **kwargs)


class ReasonForm(FlaskForm):
    reason = TextAreaField("Alasan", validators=[DataRequired("Alasan wajib diisi."), Length(max=NOTE_MAX)])


class VerifyForm(FlaskForm):
    confirm = BooleanField("Saya telah memeriksa seluruh indikator; hasil verifikasi ini final.",
                           validators=[DataRequired("Centang pernyataan terlebih dahulu.")])


class RecommendationForm(FlaskForm):
    """Add or edit a recommendation; the indicator (optional) is checked against the instrument by the view."""

    indicator_code = StringField("Indikator", validators=[Length(max=30)])
    text = TextAreaField("Rekomendasi", validators=[DataRequired("Isi rekomendasi."), Length(max=NOTE_MAX)])
