"""Recommendations: the indicators whose improvement would add most to the IPP, as actions to take."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from . import audit, followup
from .instrument import Indicator, Instrument
from .lifecycle import ActionRefused
from .models import Assessment, AssessmentStatus, Period, Recommendation, User
from .scoring import MAX_LEVEL, gain_per_level

DEFAULT_COUNT = 5


@dataclass(frozen=True)
class Suggestion:
    indicator: Indicator
    level: int
    potential: Decimal  # IPP gained if the indicator reached level 5

    @property
    def text(self) -> str:
        """As an evaluator would write it: where the unit stands, what the next level asks, which proof to ready."""
        target = self.level + 1
        opening = f"{self.indicator.title} belum terpenuhi. Untuk" if self.level == 0 else f"{self.indicator.title}: untuk"
        text = (f"{opening} naik dari level {self.level} ke level {target}, yang perlu dicapai adalah "
                f"{_as_clause(self.indicator.criterion(target))}.")
        if self.indicator.evidence:
            text += f" Siapkan buktinya, antara lain {_as_clause(self.indicator.evidence[0])}."
        return text


def _as_clause(sentence: str) -> str:
    """A sentence continued inside another: lower-case start (but keep acronyms and names), no full stop."""
    sentence = sentence.rstrip(".")
    if len(sentence) > 1 and sentence[1].islower() and sentence.split()[0] not in _NAMES:
        sentence = sentence[0].lower() + sentence[1:]
    return sentence


# Words that keep their capital inside a sentence: the named documents (Standar Pelayanan, Maklumat Pelayanan,
# Survei Kepuasan Masyarakat) some criteria start with.
_NAMES = frozenset({"Standar", "Maklumat", "Survei"})


def suggest(instrument: Instrument, levels: Mapping[str, int | None], count: int = DEFAULT_COUNT) -> list[Suggestion]:
    """Rank indicators below 5 by weight x gap (the IPP they could still add), largest first.

    Ties keep the official order, so the list is stable from one run to the next.
    """
    candidates = []
    for indicator in instrument.indicators:
        level = levels.get(indicator.code) or 0
        if level < MAX_LEVEL:
            potential = gain_per_level(instrument, indicator.code) * (MAX_LEVEL - level)
            candidates.append(Suggestion(indicator, level, potential))
    candidates.sort(key=lambda s: (-s.potential, s.indicator.number))
    return candidates[:count]


def generate_recommendations(assessment: Assessment, user: User) -> None:
    """Draft recommendations from the verified levels, once: a reviewer's edits are never overwritten. Each one
    gets its follow-up due date (domain/followup.py); one kept from before a reopening keeps its own."""
    existing = recommendations_of(assessment)
    if not existing:
        for position, suggestion in enumerate(suggest(assessment.instrument, assessment.verified_levels())):
            existing.append(Recommendation(assessment=assessment, indicator_code=suggestion.indicator.code,
                                           text=suggestion.text, position=position, created_by=user))
        db.session.add_all(existing)
    followup.set_due_dates(assessment, existing)
    db.session.flush()


def recommendations_of(assessment: Assessment) -> list[Recommendation]:
    query = sa.select(Recommendation).where(Recommendation.assessment_id == assessment.id)
    return list(db.session.scalars(query.order_by(Recommendation.position, Recommendation.id)))


def _require_verified(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.VERIFIED:
        raise ActionRefused("Rekomendasi hanya dapat diubah untuk penilaian yang sudah diverifikasi.")


def add_recommendation(assessment: Assessment, indicator_code: str | None, text: str, user: User) -> Recommendation:
    _require_verified(assessment)
    position = max((r.position for r in recommendations_of(assessment)), default=-1) + 1
    recommendation = Recommendation(assessment=assessment, indicator_code=indicator_code or None, text=text,
                                    position=position, created_by=user, due_on=followup.due_date(assessment))
    db.session.add(recommendation)
    audit.record("recommendation.change", user, assessment=assessment, indicator_code=indicator_code, new=text)
    db.session.flush()
    return recommendation


def update_recommendation(recommendation: Recommendation, text: str, user: User) -> None:
    _require_verified(recommendation.assessment)
    if text != recommendation.text:
        audit.record("recommendation.change", user, assessment=recommendation.assessment,
                     indicator_code=recommendation.indicator_code, old=recommendation.text, new=text)
        recommendation.text = text
    db.session.flush()


def delete_recommendation(recommendation: Recommendation, user: User) -> None:
    _require_verified(recommendation.assessment)
    audit.record("recommendation.change", user, assessment=recommendation.assessment,
                 indicator_code=recommendation.indicator_code, old=recommendation.text, new=None)
    db.session.delete(recommendation)
    db.session.flush()


def latest_recommendations(unit_id: int) -> tuple[Assessment | None, list[Recommendation]]:
    """The unit's most recent verified assessment and its recommendations (to follow up this year)."""
    latest = db.session.scalar(
        sa.select(Assessment)
        .join(Assessment.period)
        .where(Assessment.unit_id == unit_id, Assessment.status == AssessmentStatus.VERIFIED)
        .order_by(Period.year.desc())
        .limit(1)
    )
    return (latest, recommendations_of(latest)) if latest else (None, [])
