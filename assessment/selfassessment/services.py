"""Changes to a self-assessment. Functions flush; the view owns the commit."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..instrument import Indicator
from ..lifecycle import ActionRefused, apply_transition, editing_refusal
from ..models import Answer, Assessment, AssessmentStatus, Period, Submission, Unit, User, utcnow
from ..review.services import clear_reviews_of_changed_answers


def assessment_for(unit: Unit, period: Period) -> Assessment:
    """The unit's assessment for the period, created as an empty draft on first use."""
    found = db.session.scalar(
        sa.select(Assessment).where(Assessment.unit_id == unit.id, Assessment.period_id == period.id)
    )
    if found is None:
        found = Assessment(unit=unit, period=period, status=AssessmentStatus.DRAFT)
        db.session.add(found)
        db.session.flush()
    return found


def save_answers(
    assessment: Assessment,
    entries: Mapping[str, tuple[int | None, str]],
    user: User,
    today: date,
) -> int:
    """Store levels and justifications; real changes are stamped with who and when, level changes audited."""
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    changed = 0
    for code, (level, justification) in entries.items():
        answer = assessment.answers.get(code)
        if answer is None:
            if level is None and not justification:
                continue
            answer = Answer(indicator_code=code, justification="")
            assessment.answers[code] = answer
        if (level, justification) != (answer.level, answer.justification):
            if level != answer.level:
                audit.record("answer.level", user, assessment=assessment, indicator_code=code, old=answer.level, new=level)
            answer.level, answer.justification = level, justification
            answer.updated_by = user
            answer.updated_at = utcnow()
            changed += 1
    if changed:
        assessment.updated_at = utcnow()
    db.session.flush()
    return changed


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
    apply_transition(assessment, "submit", user)
    assessment.submitted_at = utcnow()
    assessment.submissions.append(Submission(
        number=len(assessment.submissions) + 1,
        submitted_by=user,
        answers={code: {"level": a.level, "justification": a.justification} for code, a in assessment.answers.items()},
    ))
    clear_reviews_of_changed_answers(assessment)
