"""Forms of the self-assessment. The aspect form is built per section from the instrument."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..form_fields import VersionField, field_key
from ..instrument import Indicator
from .sections import Section


class LevelField(Field):
    """A level 0..5 that may stay empty while the form is a draft; rendered as radios by the template.

    A browser cannot un-tick a radio button, so a group missing from the post
    means "unchanged": the field keeps the saved level it was built with.
    """

    def __init__(self, label: str, item: Indicator, **kwargs):
        super().__init__(label, **kwargs)
        self.criteria = item.levels

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            return
        if valuelist[0] not in {str(level) for level in range(6)}:
            raise ValueError("Pilihan level tidak sah; pilih salah satu level 0 sampai 5.")
        self.data = int(valuelist[0])


def section_form(section: Section, justification_max: int, **kwargs) -> FlaskForm:
    """A form with a level and a justification field per item of the section."""

    class SectionForm(FlaskForm):
        pass

    for item in section.items:
        key = field_key(item.code)
        setattr(SectionForm, f"level_{key}", LevelField(item.title, item))
        setattr(SectionForm, f"version_{key}", VersionField(default=0))
        setattr(
            SectionForm,
            f"justification_{key}",
            TextAreaField(
                "Penjelasan",
                validators=[Length(max=justification_max,
                                   message=f"Penjelasan paling banyak {justification_max} karakter.")],
            ),
        )
    return SectionForm(**kwargs)


def entries_from(form: FlaskForm, section: Section) -> dict[str, tuple[int | None, str]]:
    """Read a validated section form as {code: (level, justification)}."""
    return {
        item.code: (
            form[f"level_{field_key(item.code)}"].data,
            (form[f"justification_{field_key(item.code)}"].data or "").strip(),
        )
        for item in section.items
    }


def versions_from(form: FlaskForm, section: Section) -> dict[str, int]:
    versions = {item.code: form[f"version_{field_key(item.code)}"].data for item in section.items}
    return {code: version for code, version in versions.items() if version is not None}


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        "Saya menyatakan bahwa jawaban dan penjelasan ini benar dan dapat dipertanggungjawabkan.",
        validators=[DataRequired("Centang pernyataan terlebih dahulu.")],
    )
    submit = SubmitField("Kirim ke Bagian Organisasi")
