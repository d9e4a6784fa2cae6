"""The review page on an instrument with F-01 facts: per indicator the check of each fact (JSON text), the level
set directly ("" to follow the facts) and the note; and what the page shows of each indicator's facts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, TextAreaField
from wtforms.validators import Length

from ..domain.fact_answers import Asked, FactAnswers
from ..domain.fact_entries import (
    CONFIRMED,
    NO,
    NONE_TICKED,
    NOT_CONFIRMED,
    YES,
    asked_for,
    assemble_checks,
    raw_values,
    sent_checks_text,
    stored_answers,
    stored_checks,
    to_text,
    verified_level_of,
)
from ..domain.models import Assessment
from ..domain.saves import SaveReport
from ..web.form_fields import IndicatorEntryForm, field_key, indicator_form, normalise_text
from .forms import NOTE_MAX, ReviewEntryForm, review_form

CHECKS_SENT = "cek-isian"  # sent by the page's own form: the per-fact controls hold the checks
LEVELS = {"", *(str(level) for level in range(6))}


class ChecksField(Field):
    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""


class SetLevelField(Field):
    """"" to follow the facts, or the level the reviewer sets directly (with a note)."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        if value not in LEVELS:
            raise ValueError("Pilihan level tidak sah; pilih level 0 sampai 5 atau ikuti fakta.")
        self.data = value


class FactReviewEntryForm(IndicatorEntryForm):
    VALUE_FIELDS = ("checks", "choice", "note")  # as fact_services.stored_fact_review
    checks = ChecksField(default="")
    choice = SetLevelField("Level", default="")
    note = TextAreaField("Catatan evaluator", filters=[normalise_text],
                         validators=[Length(max=NOTE_MAX, message=f"Catatan paling banyak {NOTE_MAX} karakter.")])


@dataclass(frozen=True)
class FactReview:
    """What the page shows of one indicator: the unit's answers, the checks as the controls hold them, the level."""

    asked: Asked
    answers: FactAnswers
    checks: dict[str, Any]
    verified_level: int | None  # by the rule, from the stored checks
    problems: dict[str, str] = field(default_factory=dict)


def set_choice(assessment: Assessment, code: str) -> str:
    review = assessment.reviews.get(code)
    if review is None or not review.level_set or review.decision is None:
        return ""
    answer = assessment.answers.get(code)
    if review.verified_level is not None:
        return str(review.verified_level)
    assert answer is not None, "agreeing with the unit's level needs its answer"
    return str(answer.level)


def fact_review_form(assessment: Assessment, **kwargs) -> FlaskForm:
    saved = {}
    for indicator in assessment.instrument.indicators:
        review = assessment.reviews.get(indicator.code)
        saved[indicator.code] = {"checks": to_text(review.fact_checks) if review else "",
                                 "choice": set_choice(assessment, indicator.code),
                                 "note": review.note if review else "", "version": review.version if review else 0}
    return indicator_form(FactReviewEntryForm, assessment.instrument.indicators, saved, **kwargs)


def fact_review_formdata(sent: MultiDict, assessment: Assessment) -> MultiDict:
    """The post with each indicator's checks taken from its controls where the page's own form sent them."""
    data = MultiDict(sent)
    for item in assessment.instrument.indicators:
        key = field_key(item.code)
        if data.get(f"{key}-{CHECKS_SENT}"):
            asked = asked_for(assessment.instrument, item, assessment.unit.delivery)
            data.setlist(f"{key}-checks", [sent_checks_text(asked, assemble_checks(asked.facts, key, data.getlist))])
    return data


def fact_reviews(assessment: Assessment, form, problems: dict[str, dict[str, str]] | None = None) -> dict[str, FactReview]:
    reviews = {}
    for item in assessment.instrument.indicators:
        asked = asked_for(assessment.instrument, item, assessment.unit.delivery)
        answer, review = assessment.answers.get(item.code), assessment.reviews.get(item.code)
        answers = stored_answers(asked, answer.facts if answer else None)
        level = verified_level_of(asked, answers, stored_checks(asked, review.fact_checks if review else None))
        reviews[item.code] = FactReview(asked, answers, raw_values(form[field_key(item.code)].form.checks.data), level,
                                        (problems or {}).get(item.code, {}))
    return reviews


def check_names() -> dict[str, str]:
    """The control names and values the review's fact partials and static/js/facts.js share."""
    return {"confirmed": CONFIRMED, "not_confirmed": NOT_CONFIRMED, "checks_sent": CHECKS_SENT,
            "none_ticked": NONE_TICKED, "yes": YES, "no": NO}


def page_review_form(assessment: Assessment, sent: MultiDict | None = None, **kwargs) -> FlaskForm:
    """The review form: by facts on an instrument with facts, else by decision (forms.review_form, as before)."""
    if not assessment.instrument.has_facts:
        return review_form(assessment, **kwargs)
    if sent is not None:
        kwargs["formdata"] = fact_review_formdata(sent, assessment)
    return fact_review_form(assessment, **kwargs)


def review_entry_form_of(assessment: Assessment) -> type[IndicatorEntryForm]:
    return FactReviewEntryForm if assessment.instrument.has_facts else ReviewEntryForm


def level_panels(assessment: Assessment, report: SaveReport) -> dict[str, str]:
    """The verified level each saved indicator now has, for the page's script to put in place (facts only)."""
    if not assessment.instrument.has_facts:
        return {}
    levels = assessment.verified_levels()
    return {field_key(code): render_template("review/_fact_level.html", level=levels.get(code),
                                             review=assessment.reviews.get(code))
            for code, result in report.results.items() if result.stored is not None}
