"""Read models for the results: a period's ranking, predikat distribution and averages; a unit's years.

Every score comes from ``assessment.scoring``, as each assessment stores it
(assessment/domain/stored_scores.py); this module only loads, groups, averages and orders.
Loading takes a fixed number of queries whatever the number of units.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from .instrument import Aspect, Instrument
from .labels import STATUS_LABELS
from .models import Assessment, AssessmentStatus, Period, Unit, UnitKind
from .models.assessments import stored_score
from .scoring import PREDIKAT_BANDS, Predikat, Score

NOT_STARTED_LABEL = "Belum mulai"
# Best first: A, A-, B, B-, C, C-, D, E, F.
PREDIKAT_ORDER: tuple[Predikat, ...] = tuple(predikat for _, predikat in reversed(PREDIKAT_BANDS))
# What the results read of an assessment: plain columns, its scores as stored (see assessment/domain/stored_scores.py).
_ASSESSMENT_COLUMNS = (Assessment.id, Assessment.status, Assessment.submitted_at, Assessment.scores)


@dataclass(frozen=True)
class UnitSummary:
    """What the results show of a unit, read as plain columns: building 10,000 ORM objects cost ~170 ms a page."""

    id: int
    name: str
    short_name: str
    kind: UnitKind


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    status: AssessmentStatus
    submitted_at: datetime | None


@dataclass(frozen=True)
class UnitResult:
    unit: UnitSummary
    assessment: AssessmentSummary | None
    verified_score: Score | None  # only once verified
    stored_scores: dict[str, Any] | None = None  # the assessment's column, read further only for the rows shown
    rank: int | None = None

    @cached_property
    def self_score(self) -> Score | None:
        """None while nothing is answered."""
        self_score = stored_score(self.stored_scores, "self")
        return self_score if self_score and self_score.answered else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.assessment.status] if self.assessment else NOT_STARTED_LABEL

    @property
    def difference(self) -> Decimal | None:
        """Verified minus self-assessed IPP, from the two printed values so the table adds up."""
        if self.verified_score is None or self.self_score is None:
            return None
        return self.verified_score.ipp_shown - self.self_score.ipp_shown


@dataclass(frozen=True)
class PeriodResults:
    period: Period
    instrument: Instrument
    ranking: list[UnitResult]  # verified units, ranked
    pending: list[UnitResult]  # active units not verified yet, by short name
    average: Score | None  # the Pemda average over verified units; None when there are none

    @property
    def rows(self) -> list[UnitResult]:
        return self.ranking + self.pending

    @cached_property
    def distribution(self) -> list[tuple[Predikat, int]]:
        """How many verified units hold each predikat, best first, zeros included."""
        letters = [row.verified_score.predikat.letter for row in self.ranking if row.verified_score]
        return [(predikat, letters.count(predikat.letter)) for predikat in PREDIKAT_ORDER]

    @property
    def aspect_averages(self) -> list[tuple[Aspect, Decimal]]:
        """Per aspect, the mean of the verified units' unrounded aspect scores."""
        if self.average is None:
            return []
        return [(aspect, self.average.aspects[aspect.code]) for aspect in self.instrument.aspects]


def period_results(period: Period) -> PeriodResults:
    """Every unit of the period with the scores its assessment stores, in one query whatever the number of units."""
    instrument = period.instrument
    on_period = sa.and_(Assessment.unit_id == Unit.id, Assessment.period_id == period.id)
    query = (
        sa.select(Unit.id, Unit.name, Unit.short_name, Unit.kind, *_ASSESSMENT_COLUMNS)
        .outerjoin(Assessment, on_period)
        # A unit deactivated later keeps its place in the results of the years it was verified.
        .where(sa.or_(Unit.active, Assessment.status == AssessmentStatus.VERIFIED))
    )
    results = [_unit_result(UnitSummary(*row[:4]), *row[4:]) for row in db.session.execute(query)]
    verified = [r for r in results if r.verified_score]
    pending = sorted((r for r in results if not r.verified_score), key=lambda r: r.unit.short_name.lower())
    return PeriodResults(
        period=period,
        instrument=instrument,
        ranking=rank_units(verified),
        pending=pending,
        average=average_score(instrument, [r.verified_score for r in verified if r.verified_score]),
    )


def rank_units(results: list[UnitResult]) -> list[UnitResult]:
    """Rank verified units.

    Tie rule: order by the unrounded verified IPP, highest first. Units whose unrounded
    IPP is exactly equal share a rank (1, 2, 2, 4) and are listed by short name.
    """
    ordered = sorted(results, key=lambda r: (-_verified_ipp(r), r.unit.short_name.lower()))
    ranked: list[UnitResult] = []
    for position, row in enumerate(ordered, start=1):
        tied = ranked and _verified_ipp(ranked[-1]) == _verified_ipp(row)
        ranked.append(replace(row, rank=ranked[-1].rank if tied else position))
    return ranked


def average_score(instrument: Instrument, scores: list[Score]) -> Score | None:
    """The Pemda average as a Score: mean unrounded aspect scores and mean unrounded IPP.

    Read through Score, its IPP is shown, converted and given a predikat by the
    scoring module's own rules. None for an empty list (no division by zero).
    """
    if not scores:
        return None
    count = Decimal(len(scores))
    return Score(
        aspects={a.code: sum((s.aspects[a.code] for s in scores), Decimal(0)) / count for a in instrument.aspects},
        answered_by_aspect={a.code: min(s.answered_by_aspect[a.code] for s in scores) for a in instrument.aspects},
        ipp=sum((s.ipp for s in scores), Decimal(0)) / count,
        answered=min(s.answered for s in scores),
        total=len(instrument.indicators),
    )


@dataclass(frozen=True)
class HistoryRow:
    """One period of a unit's history; ``previous`` is the score of the period just before it."""

    period: Period
    result: Score | None
    verified: bool
    previous: Score | None

    def ipp_change(self) -> Decimal | None:
        if self.result is None or self.previous is None:
            return None
        return self.result.ipp_shown - self.previous.ipp_shown

    def aspect_change(self, code: str) -> Decimal | None:
        if self.result is None or self.previous is None or code not in self.result.aspects or code not in self.previous.aspects:
            return None
        return self.result.aspect_shown(code) - self.previous.aspect_shown(code)


def history_rows(unit: Unit) -> list[HistoryRow]:
    """The unit's result in every period, newest first: verified levels once verified, else its own.

    Changes are taken between the printed (2-decimal) values, so a reader can check them.
    A period without any answer has no result, and the next period shows no change.
    """
    periods = db.session.scalars(
        sa.select(Period).order_by(Period.year.desc()).options(selectinload(Period.instrument_version))
    ).all()
    own = sa.select(Assessment.period_id, *_ASSESSMENT_COLUMNS).where(Assessment.unit_id == unit.id)
    columns_by_period = {row[0]: row[1:] for row in db.session.execute(own)}
    summary = UnitSummary(unit.id, unit.name, unit.short_name, unit.kind)
    nothing = (None,) * len(_ASSESSMENT_COLUMNS)
    results = [_unit_result(summary, *columns_by_period.get(period.id, nothing)) for period in periods]
    rows = []
    for position, (period, result) in enumerate(zip(periods, results, strict=True)):
        older = results[position + 1] if position + 1 < len(results) else None
        rows.append(HistoryRow(period, _shown_score(result), result.verified_score is not None,
                               previous=_shown_score(older) if older else None))
    return rows


def _shown_score(result: UnitResult) -> Score | None:
    """The score a unit's history shows for a period: the verified one, else the self-assessed one."""
    return result.verified_score or result.self_score


def _unit_result(unit: UnitSummary, assessment_id: int | None, status: AssessmentStatus | None,
                 submitted_at: datetime | None, scores: dict[str, Any] | None) -> UnitResult:
    """A unit's row from the columns in _ASSESSMENT_COLUMNS (all None: no assessment this period)."""
    if assessment_id is None or status is None:
        return UnitResult(unit, None, None)
    return UnitResult(unit, AssessmentSummary(assessment_id, status, submitted_at), stored_score(scores, "verified"), scores)


def _verified_ipp(row: UnitResult) -> Decimal:
    assert row.verified_score is not None, "only verified units are ranked"
    return row.verified_score.ipp
