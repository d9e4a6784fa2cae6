"""The reviewers' queue: every active unit of a period with its status and scores, filtered and sorted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..lifecycle import STATUS_LABELS
from ..models import Assessment, AssessmentStatus, Period, Unit, UnitKind
from ..periods.services import assessments_by_unit
from ..scoring import Score, score

NOT_STARTED = "belum"
STATUS_FILTERS = {NOT_STARTED: "Belum mulai", **{s.value: label for s, label in STATUS_LABELS.items()}}
SORT_KEYS = ("unit", "status", "kelengkapan", "dikirim", "ipp_mandiri", "ipp_verifikasi")


@dataclass(frozen=True)
class QueueRow:
    unit: Unit
    assessment: Assessment | None
    self_score: Score | None
    verified_score: Score | None  # only once verified

    @property
    def status_key(self) -> str:
        return self.assessment.status.value if self.assessment else NOT_STARTED

    @property
    def difference(self) -> Decimal | None:
        if self.self_score is None or self.verified_score is None:
            return None
        return self.verified_score.ipp_shown - self.self_score.ipp_shown  # the printed values, so they add up


def queue_rows(period: Period, status: str | None = None, kind: str | None = None,
               sort: str = "unit", descending: bool = False) -> list[QueueRow]:
    """Rows for the queue in a constant number of queries, however many units there are."""
    units_query = sa.select(Unit).where(Unit.active)
    if kind in UnitKind._value2member_map_:
        units_query = units_query.where(Unit.kind == UnitKind(kind))
    assessments = assessments_by_unit(period)
    instrument = period.instrument
    rows = []
    for unit in db.session.scalars(units_query):
        assessment = assessments.get(unit.id)
        self_score = score(instrument, assessment.levels()) if assessment else None
        verified = (
            score(instrument, assessment.verified_levels())
            if assessment and assessment.status == AssessmentStatus.VERIFIED else None
        )
        rows.append(QueueRow(unit, assessment, self_score, verified))
    if status in STATUS_FILTERS:
        rows = [row for row in rows if row.status_key == status]
    return sorted(rows, key=_sort_key(sort if sort in SORT_KEYS else "unit"), reverse=descending)


_STATUS_ORDER = [NOT_STARTED, "draft", "returned", "submitted", "verified"]


def _sort_key(sort: str):
    # Missing values sort as the lowest, so "highest IPP first" puts units without a score last.
    low = Decimal(-1)
    keys = {
        "unit": lambda r: r.unit.short_name.lower(),
        "status": lambda r: _STATUS_ORDER.index(r.status_key),
        "kelengkapan": lambda r: r.self_score.answered if r.self_score else -1,
        "dikirim": lambda r: (r.assessment.submitted_at if r.assessment and r.assessment.submitted_at else datetime.min),
        "ipp_mandiri": lambda r: r.self_score.ipp if r.self_score else low,
        "ipp_verifikasi": lambda r: r.verified_score.ipp if r.verified_score else low,
    }
    primary = keys[sort]
    return lambda row: (primary(row), row.unit.short_name.lower())


def status_counts(rows: list[QueueRow]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for row in rows:
        counts[row.status_key] += 1
    return counts
