"""Saving fact answers: each indicator's JSON is read by the instrument's facts, the level follows by the rule.

Refused input saves nothing (see saving.save_page); otherwise each indicator is decided on its own as a level
and justification are (assessment/domain/saves.py), on the canonical text of its answers.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from ..domain import audit
from ..domain.answers import _flush_changes
from ..domain.fact_answers import FactAnswerError
from ..domain.fact_entries import asked_for, canonical, first_problem, level_of, to_text
from ..domain.instrument import Indicator
from ..domain.lifecycle import ActionRefused, editing_refusal
from ..domain.models import Answer, Assessment, User, utcnow
from ..domain.saves import Entry, Outcome, Result, SaveReport, Stored, decide

NOTHING = ("", "")  # an indicator without an answer


def checked_entries(assessment: Assessment, items: Sequence[Indicator], entries: Iterable[Entry]
                    ) -> tuple[list[Entry], dict[str, Result], dict[str, dict[str, str]]]:
    """The entries with their answers in canonical form; those refused, with a message per fact."""
    by_code = {item.code: item for item in items}
    checked, invalid, problems = [], {}, {}
    for entry in entries:
        asked = asked_for(assessment.instrument, by_code[entry.code], assessment.unit.delivery)
        try:
            text, _ = canonical(asked, entry.values[0])
        except FactAnswerError as error:
            invalid[entry.code] = Result(Outcome.INVALID, message=first_problem(asked, error))
            problems[entry.code] = dict(error.problems)
            continue
        checked.append(replace(entry, values=(text, entry.values[1])))
    return checked, invalid, problems


def stored_fact_answer(assessment: Assessment, code: str) -> Stored:
    answer = assessment.answers.get(code)
    if answer is None:
        return Stored(NOTHING)
    return Stored((to_text(answer.facts), answer.justification), answer.version, answer.save_key,
                  answer.updated_by.full_name if answer.updated_by else "", answer.updated_at)


def save_fact_entries(assessment: Assessment, entries: Iterable[Entry], user: User, today: date) -> SaveReport:
    """Decide and store each indicator's facts on its own; flushes. ActionRefused when the form is closed."""
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    outcomes, changed = {}, False
    for entry in entries:
        outcome = outcomes[entry.code] = decide(entry, stored_fact_answer(assessment, entry.code))
        if outcome is Outcome.SAVED:
            changed = _store_facts(assessment, entry, user) or changed
    _flush_changes(assessment, changed)
    return SaveReport({code: Result(outcome, stored_fact_answer(assessment, code)) for code, outcome in outcomes.items()})


def store_fact_answers(assessment: Assessment, answers: dict[str, tuple[dict, str]], user: User) -> None:
    """Store fact answers (in stored form) as given, without version checks (the demo, the tests' factories)."""
    for code, (facts, justification) in answers.items():
        _store_facts(assessment, Entry(code, (to_text(facts), justification), 0), user)
    _flush_changes(assessment, True)


def _store_facts(assessment: Assessment, entry: Entry, user: User) -> bool:
    """Change one answer: its facts (canonical text), the level they give and the justification; all audited."""
    text, justification = entry.values
    asked = asked_for(assessment.instrument, assessment.instrument.item(entry.code), assessment.unit.delivery)
    facts = json.loads(text) if text else None
    answer = assessment.answers.get(entry.code)
    if answer is None:
        if facts is None and not justification:
            return False
        answer = assessment.answers[entry.code] = Answer(indicator_code=entry.code, justification="")
    if (facts, justification) == (answer.facts or None, answer.justification):
        return False
    level = level_of(asked, facts)
    changes = (("answer.facts", to_text(answer.facts), text), ("answer.level", answer.level, level),
               ("answer.justification", answer.justification, justification))
    for action, old, new in changes:
        if old != new:
            audit.record(action, user, assessment=assessment, indicator_code=entry.code, old=old, new=new)
    answer.facts, answer.level, answer.justification = facts, level, justification
    answer.updated_by, answer.updated_at, answer.save_key = user, utcnow(), entry.key or None
    return True
