"""Forms of the self-assessment: one AnswerEntryForm per indicator of a page, and the submit form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from ..domain.models import Assessment
from ..web.form_fields import IndicatorEntryForm, MaxLength, indicator_form, normalise_text
from .sections import Section

LEVELS = {str(level): level for level in range(6)}


class LevelField(Field):
    """A level 0..5 that may stay empty while the form is a draft; rendered as radios by the template.

    A group missing from the post is a page that showed no level chosen: no level (a browser cannot un-tick
    a radio, so a page that showed one always sends it back).
    """

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        if valuelist[0] not in LEVELS:
            raise ValueError("Pilihan level tidak sah; pilih salah satu level 0 sampai 5.")
        self.data = LEVELS[valuelist[0]]


class AnswerEntryForm(IndicatorEntryForm):
    VALUE_FIELDS = ("level", "justification")  # as Answer (level, justification)
    level = LevelField()
    justification = TextAreaField("Penjelasan singkat", filters=[normalise_text],
                                  validators=[MaxLength("JUSTIFICATION_MAX_LENGTH", "Penjelasan")])


def section_form(section: Section, assessment: Assessment, **kwargs) -> FlaskForm:
    """The page's form, built on the stored answers (a post then brings what the user sent)."""
    saved = {}
    for item in section.items:
        answer = assessment.answers.get(item.code)
        saved[item.code] = ({"level": answer.level, "justification": answer.justification, "version": answer.version}
                            if answer else {"level": None, "justification": "", "version": 0})
    return indicator_form(AnswerEntryForm, section.items, saved, **kwargs)


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        "Saya menyatakan bahwa jawaban dan penjelasan ini benar dan dapat dipertanggungjawabkan.",
        validators=[DataRequired("Centang pernyataan terlebih dahulu.")],
    )
    submit = SubmitField("Kirim ke Bagian Organisasi")
