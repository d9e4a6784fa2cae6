"""Changes to a self-assessment. Functions flush; the view owns the commit."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from . import audit
from .evidence.services import evidence_by_indicator, missing_evidence
from .instrument import Indicator
from .lifecycle import ActionRefused, apply_transition, editing_refusal
from .models import Answer, Assessment, AssessmentStatus, Period, Submission, Unit, User, utcnow
from .reviews import clear_reviews_of_changed_answers
from .saves import Entry, Outcome, Result, SaveReport, Stored, decide


def find_assessment(unit: Unit, period: Period) -> Assessment | None:
    return db.session.scalar(
        sa.select(Assessment).where(Assessment.unit_id == unit.id, Assessment.period_id == period.id)
    )


def unsaved_assessment(unit: Unit, period: Period) -> Assessment:
    """The empty form of a unit that has not started: shown, never stored (a page view changes nothing)."""
    return Assessment(unit=unit, unit_id=unit.id, period=period, period_id=period.id, status=AssessmentStatus.DRAFT)


def assessment_for(unit: Unit, period: Period) -> Assessment:
    """The unit's assessment for the period, created as an empty draft if there is none yet (the first save)."""
    found = find_assessment(unit, period)
    if found is not None:
        return found
    created = unsaved_assessment(unit, period)
    try:
        with db.session.begin_nested():
            db.session.add(created)
    except sa.exc.IntegrityError:  # another first save made it a moment ago (PostgreSQL; SQLite has one writer)
        found = find_assessment(unit, period)
        assert found is not None, "the save that won made it"
        return found
    return created


def stored_answer(assessment: Assessment, code: str) -> Stored:
    answer = assessment.answers.get(code)
    if answer is None:
        return Stored((None, ""))
    return Stored((answer.level, answer.justification), answer.version, answer.save_key,
                  answer.updated_by.full_name if answer.updated_by else "", answer.updated_at)


def save_entries(assessment: Assessment, entries: Iterable[Entry], user: User, today: date) -> SaveReport:
    """Decide and store each indicator of a save on its own (see assessment/domain/saves.py); flushes.

    Raises ActionRefused, changing nothing, when the form may not change any more.
    """
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    outcomes, changed = {}, False
    for entry in entries:
        outcome = outcomes[entry.code] = decide(entry, stored_answer(assessment, entry.code))
        if outcome is Outcome.SAVED:
            changed = _store_answer(assessment, entry.code, entry.values, user, entry.key) or changed
    _flush_changes(assessment, changed)
    return SaveReport({code: Result(outcome, stored_answer(assessment, code)) for code, outcome in outcomes.items()})


def save_answers(assessment: Assessment, entries: Mapping[str, tuple[int | None, str]], user: User, today: date) -> int:
    """Store levels and justifications as given, without version checks (the demo, the tests' factories)."""
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    changed = sum(_store_answer(assessment, code, values, user) for code, values in entries.items())
    _flush_changes(assessment, changed > 0)
    return changed


def _store_answer(assessment: Assessment, code: str, values: tuple[int | None, str], user: User, key: str = "") -> bool:
    """Change one answer if the values differ; every change of a level or a justification is audited."""
    level, justification = values
    answer = assessment.answers.get(code)
    if answer is None:
        if level is None and not justification:
            return False
        answer = assessment.answers[code] = Answer(indicator_code=code, justification="")
    if (level, justification) == (answer.level, answer.justification):
        return False
    if level != answer.level:
        audit.record("answer.level", user, assessment=assessment, indicator_code=code, old=answer.level, new=level)
    if justification != answer.justification:
        audit.record("answer.justification", user, assessment=assessment, indicator_code=code,
                     old=answer.justification, new=justification)
    answer.level, answer.justification = level, justification
    answer.updated_by, answer.updated_at, answer.save_key = user, utcnow(), key or None
    return True


def _flush_changes(assessment: Assessment, changed: bool) -> None:
    if changed:
        assessment.updated_at = utcnow()
    db.session.flush()  # the new versions are known from here on


def missing_indicators(assessment: Assessment) -> list[Indicator]:
    """Scored indicators without a level; the additional items are optional."""
    levels = assessment.levels()
    return [ind for ind in assessment.instrument.indicators if levels.get(ind.code) is None]


def submit_assessment(assessment: Assessment, user: User, today: date) -> None:
    """Send a complete form for review and keep a frozen copy of what was sent."""
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    missing = missing_indicators(assessment)
    if missing:
        codes = ", ".join(ind.code for ind in missing)
        raise ActionRefused(f"Belum dapat dikirim: {len(missing)} indikator belum dijawab ({codes}).")
    without_evidence = missing_evidence(assessment)
    if without_evidence:
        codes = ", ".join(ind.code for ind in without_evidence)
        raise ActionRefused(f"Belum dapat dikirim: {len(without_evidence)} indikator di atas level 0 belum memiliki "
                            f"bukti dukung ({codes}).")
    apply_transition(assessment, "submit", user)
    assessment.submitted_at = utcnow()
    files = evidence_by_indicator(assessment)
    assessment.submissions.append(Submission(
        number=len(assessment.submissions) + 1,
        submitted_by=user,
        answers={
            code: {"level": a.level, "justification": a.justification, **({"facts": a.facts} if a.facts else {}),
                   "evidence": sorted(f"{e.original_name} ({e.sha256[:8]})" for e in files.get(code, []))}
            for code, a in assessment.answers.items()
        },
    ))
    clear_reviews_of_changed_answers(assessment)
