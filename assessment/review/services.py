"""Read models for the Bagian Organisasi's pages."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Assessment, Period, Unit
from ..scoring import Score, score


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    assessment: Assessment | None
    result: Score | None


def unit_rows(period: Period) -> list[UnitRow]:
    """One row per active unit, with its assessment and score; two queries whatever the unit count."""
    units = db.session.scalars(sa.select(Unit).where(Unit.active).order_by(Unit.short_name)).all()
    assessments = {
        a.unit_id: a
        for a in db.session.scalars(
            sa.select(Assessment).where(Assessment.period_id == period.id).options(selectinload(Assessment.answers))
        )
    }
    instrument = period.instrument
    rows = []
    for unit in units:
        assessment = assessments.get(unit.id)
        result = score(instrument, assessment.levels()) if assessment else None
        rows.append(UnitRow(unit, assessment, result))
    return rows
