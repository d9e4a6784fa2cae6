"""Reviewing by facts: the reviewer checks each fact against the evidence and the verified level follows by the
rule; or sets the level directly, with a note. Each indicator is decided on its own (assessment/domain/saves.py)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from ..domain import audit, team
from ..domain.fact_answers import FactAnswerError
from ..domain.fact_entries import (
    asked_for,
    canonical_checks,
    first_problem,
    stored_answers,
    stored_checks,
    to_text,
    verified_level_of,
)
from ..domain.models import Assessment, Review, ReviewDecision, User, utcnow
from ..domain.reviews import _audit_level_changes, _refuse_unless_under_review, unreviewed
from ..domain.saves import Entry, Outcome, Result, SaveReport, Stored, decide
from ..extensions import db
from .fact_forms import set_choice

SET_NOTE_REQUIRED = "Catatan wajib diisi bila level ditetapkan langsung, tidak mengikuti fakta."


def stored_fact_review(assessment: Assessment, code: str) -> Stored:
    review = assessment.reviews.get(code)
    if review is None:
        return Stored(("", "", ""))
    return Stored((to_text(review.fact_checks), set_choice(assessment, code), review.note), review.version,
                  review.save_key, review.reviewer.full_name if review.reviewer else "", review.updated_at)


def checked_review_entries(assessment: Assessment, entries: Iterable[Entry]
                           ) -> tuple[list[Entry], dict[str, Result], dict[str, dict[str, str]]]:
    """The entries with their checks in canonical form; those refused (a bad check, a set level without a note)."""
    checked, invalid, problems = [], {}, {}
    for entry in entries:
        asked = asked_for(assessment.instrument, assessment.instrument.item(entry.code), assessment.unit.delivery)
        text, choice, note = entry.values
        try:
            canonical_text, _ = canonical_checks(asked, text)
        except FactAnswerError as error:
            invalid[entry.code] = Result(Outcome.INVALID, message=first_problem(asked, error))
            problems[entry.code] = dict(error.problems)
            continue
        if choice and not note:
            invalid[entry.code] = Result(Outcome.INVALID, message=SET_NOTE_REQUIRED)
            continue
        checked.append(replace(entry, values=(canonical_text, choice, note)))
    return checked, invalid, problems


def save_fact_review_entries(assessment: Assessment, entries: list[Entry], user: User) -> SaveReport:
    """Decide and store each indicator's checks on its own; flushes. Entries come from checked_review_entries."""
    _refuse_unless_under_review(assessment)
    outcomes = {entry.code: decide(entry, stored_fact_review(assessment, entry.code)) for entry in entries}
    before = assessment.verified_levels()
    for entry in entries:
        if outcomes[entry.code] is Outcome.SAVED:
            _store_checks(assessment, entry, user)
    _audit_level_changes(assessment, before, user)
    db.session.flush()
    return SaveReport({code: Result(outcome, stored_fact_review(assessment, code))
                       for code, outcome in outcomes.items()})


def store_fact_reviews(assessment: Assessment, checks: dict[str, tuple[dict, str, str]], user: User) -> None:
    """Store checks (stored form), set level and note as given, without version checks (the demo, the tests)."""
    _refuse_unless_under_review(assessment)
    before = assessment.verified_levels()
    for code, (data, choice, note) in checks.items():
        _store_checks(assessment, Entry(code, (to_text(data), choice, note), 0), user)
    _audit_level_changes(assessment, before, user)
    db.session.flush()


def _store_checks(assessment: Assessment, entry: Entry, user: User) -> None:
    """The checks, and the verified level they give by the rule (or the one set directly); changes audited."""
    text, choice, note = entry.values
    checks = json.loads(text) if text else None
    review = assessment.reviews.get(entry.code)
    if review is None:
        review = assessment.reviews[entry.code] = Review(indicator_code=entry.code, note="")
    if to_text(review.fact_checks) != text:
        audit.record("review.facts", user, assessment=assessment, indicator_code=entry.code,
                     old=to_text(review.fact_checks), new=text)
    if note != review.note:
        audit.record("review.note", user, assessment=assessment, indicator_code=entry.code, old=review.note, new=note)
    level = int(choice) if choice else _level_by_facts(assessment, entry.code, checks)
    answer = assessment.answers.get(entry.code)
    if level is None:
        review.decision, review.verified_level = None, None
    elif answer is not None and level == answer.level:
        review.decision, review.verified_level = ReviewDecision.AGREE, None
    else:
        review.decision, review.verified_level = ReviewDecision.CHANGE, level
    review.fact_checks, review.level_set, review.note = checks, bool(choice), note
    review.reviewer, review.updated_at, review.save_key = user, utcnow(), entry.key or None


def _level_by_facts(assessment: Assessment, code: str, checks: dict | None) -> int | None:
    asked = asked_for(assessment.instrument, assessment.instrument.item(code), assessment.unit.delivery)
    answer = assessment.answers.get(code)
    answers = stored_answers(asked, answer.facts if answer else None)
    return verified_level_of(asked, answers, stored_checks(asked, checks))


def confirm_the_rest(assessment: Assessment, user: User) -> int:
    """Mark every fact of the user's indicators not yet reviewed as borne out (notes kept): the quick path, by
    facts. As ``agree_with_the_rest``, only what the evaluator team gives the user (domain/team.py)."""
    mine = team.duties(assessment, user).codes
    rest = {}
    for indicator in unreviewed(assessment):
        if indicator.code not in mine:
            continue
        asked = asked_for(assessment.instrument, indicator, assessment.unit.delivery)
        review = assessment.reviews.get(indicator.code)
        rest[indicator.code] = ({fact.key: {"confirmed": True} for fact in asked.facts if fact.scored}, "",
                                review.note if review else "")
    store_fact_reviews(assessment, rest, user)
    return len(rest)
