"""The per-indicator building block the self-assessment and the review forms share.

Each indicator is a small subform (its level or decision, its text, the version of the stored row the page
was based on, the save's idempotency key, and a digest of what the page showed), prefixed by the indicator's
field key: ``1_a_Ak-level``, ``1_a_Ak-version``. A page form holds one subform per indicator; a save reads
only the subforms that were sent, so the autosave can send just the indicators that changed.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import Field, Form, FormField, HiddenField
from wtforms.validators import ValidationError

from ..domain.instrument import Indicator

SEPARATOR = "-"


def field_key(code: str) -> str:
    """An indicator code as a form-field prefix and page anchor: "1.a.Ak" -> "1_a_Ak"."""
    return code.replace(".", "_")


def normalise_text(value: str | None) -> str:
    """Browsers send a line break as CRLF and count it as one character; it is stored as LF, counted once."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(values: tuple) -> str:
    """A short fingerprint of an indicator's values, for "the page showed this" (not a secret)."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def new_save_key() -> str:
    return secrets.token_hex(16)


class MaxLength:
    """Length limit read from the configuration at validation time (e.g. JUSTIFICATION_MAX_LENGTH)."""

    def __init__(self, setting: str, label: str):
        self.setting, self.label = setting, label

    def __call__(self, form, field) -> None:
        limit = current_app.config[self.setting]
        if len(field.data or "") > limit:
            raise ValidationError(f"{self.label} paling banyak {limit} karakter (sekarang {len(field.data)}).")


class VersionField(Field):
    """The version of the stored row (an answer, a review) the page was based on (0: none yet)."""

    def process_formdata(self, valuelist):
        self.data = int(valuelist[0]) if valuelist and valuelist[0].isdigit() and len(valuelist[0]) < 10 else None


class IndicatorEntryForm(Form):
    """What every indicator's subform carries besides its own values; subclasses add those fields and name them
    in VALUE_FIELDS, in the order the stored row's values compare with."""

    VALUE_FIELDS: tuple[str, ...] = ()
    version = VersionField(default=0)
    key = HiddenField()  # the idempotency key of this save: the same for a retry of it
    shown = HiddenField()  # digest of the values the page showed, so an untouched indicator is not saved

    @classmethod
    def values_of(cls, data: dict) -> tuple:
        return tuple(data.get(name) for name in cls.VALUE_FIELDS)

    def values(self) -> tuple:
        return self.values_of(self.data)

    @property
    def was_sent(self) -> bool:
        """Only indicators whose version came with the post take part in the save."""
        return bool(self.version.raw_data)

    @property
    def untouched(self) -> bool:
        """The user sent back exactly what the page showed (a full-page save of every indicator)."""
        return bool(self.shown.data) and self.shown.data == digest(self.values())


def indicator_form(entry_form: type[IndicatorEntryForm], indicators: Sequence[Indicator],
                   saved: dict[str, dict], **kwargs) -> FlaskForm:
    """A page form with one ``entry_form`` per indicator; ``saved`` holds each one's stored values by code.

    Every rendering gets new save keys and the digest of the stored values; a post brings its own.
    ``form.saved`` keeps the stored values (by code, then field name), which the page's script compares with.
    """
    fields = {field_key(ind.code): FormField(entry_form, label=ind.code, separator=SEPARATOR) for ind in indicators}
    page_form = type("IndicatorsForm", (FlaskForm,), fields)
    data = {field_key(code): {**values, "key": new_save_key(), "shown": digest(entry_form.values_of(values))}
            for code, values in saved.items()}
    form = page_form(data=data, **kwargs)
    form.saved = {code: {name: values[name] for name in entry_form.VALUE_FIELDS} for code, values in saved.items()}
    return form


def entries(form: FlaskForm, indicators: Sequence[Indicator]) -> Iterator[tuple[Indicator, IndicatorEntryForm]]:
    for indicator in indicators:
        yield indicator, form[field_key(indicator.code)].form
