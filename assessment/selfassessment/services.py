"""Changes to a self-assessment. Functions flush; the view owns the commit."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from .. import audit
from ..evidence.services import evidence_by_indicator, missing_evidence
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


@dataclass(frozen=True)
class StaleAnswer:
    """An answer someone else changed after the form being saved was loaded."""

    indicator_code: str
    level: int | None
    justification: str
    updated_by: str
    updated_at: datetime


class SaveConflict(ActionRefused):
    def __init__(self, stale: list[StaleAnswer]):
        self.stale = stale
        codes = ", ".join(s.indicator_code for s in stale)
        super().__init__(
            f"Belum tersimpan: jawaban {codes} telah diubah orang lain (atau di tab lain) sejak halaman ini dibuka. "
            "Perubahan itu ditampilkan di bawah; isian Anda tetap di layar. Simpan lagi untuk menimpanya."
        )


def stale_answers(assessment: Assessment, entries: Mapping[str, tuple[int | None, str]],
                  base_versions: Mapping[str, int]) -> list[StaleAnswer]:
    """Answers this save would change although they moved on since the form was loaded."""
    stale = []
    for code, (level, justification) in entries.items():
        answer = assessment.answers.get(code)
        current = answer.version if answer else 0
        if base_versions.get(code, current) == current:
            continue
        if answer is not None and (level, justification) != (answer.level, answer.justification):
            who = answer.updated_by.full_name if answer.updated_by else "–"
            stale.append(StaleAnswer(code, answer.level, answer.justification, who, answer.updated_at))
    return stale


def save_answers(
    assessment: Assessment,
    entries: Mapping[str, tuple[int | None, str]],
    user: User,
    today: date,
    base_versions: Mapping[str, int] | None = None,
) -> int:
    """Store levels and justifications; real changes are stamped with who and when, level changes audited.

    With ``base_versions`` (the versions the form was loaded with), a save that
    would overwrite a newer change is refused with SaveConflict, changing nothing.
    """
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    stale = stale_answers(assessment, entries, base_versions) if base_versions is not None else []
    if stale:
        raise SaveConflict(stale)
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
            code: {"level": a.level, "justification": a.justification,
                   "evidence": sorted(f"{e.original_name} ({e.sha256[:8]})" for e in files.get(code, []))}
            for code, a in assessment.answers.items()
        },
    ))
    clear_reviews_of_changed_answers(assessment)
