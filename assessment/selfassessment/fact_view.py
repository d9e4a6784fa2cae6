"""What an aspect page shows of an indicator answered by facts: its controls' values, the level the stored
answers give, the next fact that would raise it and what that adds to the IPP (rendered on the server, also
after an autosave: ``outcome_panels``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask import render_template

from ..domain.conversation import facts_not_borne_out
from ..domain.fact_answers import Asked, Step, level_for, missing_facts, next_step
from ..domain.fact_entries import NO, NONE_TICKED, YES, asked_for, mode_of, raw_values, stored_answers
from ..domain.formatting import LOCALE
from ..domain.instrument import Fact
from ..domain.models import Assessment, AssessmentStatus
from ..domain.saves import SaveReport
from ..web.form_fields import field_key
from .fact_forms import CONTROLS, CONTROLS_SENT
from .sections import Section


@dataclass(frozen=True)
class FactOutcome:
    """The level the stored answers give (None while facts are missing) and the next step up."""

    level: int | None
    missing: tuple[Fact, ...]
    step: Step | None

    @property
    def gain_text(self) -> str:
        return gain_text(self.step.ipp_gain) if self.step else ""


@dataclass(frozen=True)
class FactItem:
    asked: Asked
    values: dict[str, Any]  # what the controls show: the stored answer, or what the user sent
    outcome: FactOutcome
    problems: dict[str, str] = field(default_factory=dict)
    not_borne_out: dict[str, str] = field(default_factory=dict)  # fact key -> the reviewer's note, once reviewed


def gain_text(value: Decimal) -> str:
    """An IPP gain, small by nature (a few hundredths): up to four decimals, "+0,0133"."""
    return "+" + format_decimal(value, "#,##0.00##", locale=LOCALE)


def outcome_of(assessment: Assessment, code: str) -> FactOutcome:
    instrument = assessment.instrument
    indicator = instrument.item(code)
    asked = asked_for(instrument, indicator, assessment.unit.delivery)
    answer = assessment.answers.get(code)
    answers = stored_answers(asked, answer.facts if answer else None)
    step = next_step(instrument, indicator, answers, mode_of(instrument, assessment.unit.delivery))
    return FactOutcome(level_for(asked, answers), tuple(missing_facts(asked, answers)), step)


def fact_items(assessment: Assessment, page: Section, form, problems: dict[str, dict[str, str]]) -> dict[str, FactItem]:
    """Per indicator of the page, everything its facts partial (templates/selfassessment/_facts.html) shows."""
    items = {}
    for item in page.items:
        asked = asked_for(assessment.instrument, item, assessment.unit.delivery)
        sent = form[field_key(item.code)].form.facts.data
        items[item.code] = FactItem(asked, raw_values(sent), outcome_of(assessment, item.code),
                                    problems.get(item.code, {}), _not_borne_out(assessment, item.code))
    return items


def _not_borne_out(assessment: Assessment, code: str) -> dict[str, str]:
    """The facts the reviewer found not borne out by the evidence, shown to the unit once the form came back."""
    review = assessment.reviews.get(code)
    if review is None or assessment.status not in (AssessmentStatus.RETURNED, AssessmentStatus.VERIFIED):
        return {}
    return facts_not_borne_out(review)


def with_findings(assessment: Assessment) -> list[str]:
    """The indicators the reviewer left something to act on, once reviewed: a note, or a fact not borne out (whose
    note is the fact's own, the indicator's may be empty), in the instrument's order."""
    if assessment.status not in (AssessmentStatus.RETURNED, AssessmentStatus.VERIFIED):
        return []
    return [item.code for item in assessment.instrument.indicators if (review := assessment.reviews.get(item.code))
            and (review.note or _not_borne_out(assessment, item.code))]


def outcome_panels(assessment: Assessment, report: SaveReport) -> dict[str, str]:
    """The level panel of each indicator the save took up, for the page's script to put in place."""
    return {field_key(code): render_template("selfassessment/_fact_outcome.html", outcome=outcome_of(assessment, code))
            for code, result in report.results.items() if result.stored is not None}


def template_names() -> dict[str, str]:
    """The control names and values the facts partial and static/js/facts.js share."""
    return {"controls": CONTROLS, "controls_sent": CONTROLS_SENT, "none_ticked": NONE_TICKED, "yes": YES, "no": NO}

