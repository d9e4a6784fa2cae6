"""The reviewers' queue: the active units of a period with status and scores, filtered, sorted and paged.

Filtering, sorting and paging happen in the database on the scores each assessment stores
(assessment/domain/stored_scores.py), so a page costs the same four queries and reads one page of
rows whether the Pemda has 40 units or 5,000.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import sqlalchemy as sa

from ..domain.labels import STATUS_LABELS
from ..domain.models import Assessment, AssessmentStatus, Period, Unit, UnitKind
from ..domain.scoring import Score
from ..extensions import db
from ..web.paging import PAGE_SIZE, Page, page_number

NOT_STARTED = "belum"
STATUS_FILTERS = {NOT_STARTED: "Belum mulai", **{s.value: label for s, label in STATUS_LABELS.items()}}
SORT_KEYS = ("unit", "status", "kelengkapan", "dikirim", "ipp_mandiri", "ipp_verifikasi")


@dataclass(frozen=True)
class QueueRow:
    unit: Unit
    assessment: Assessment | None

    @cached_property
    def self_score(self) -> Score | None:
        return self.assessment.stored_self_score() if self.assessment else None

    @cached_property
    def verified_score(self) -> Score | None:  # only once verified
        return self.assessment.stored_verified_score() if self.assessment else None

    @property
    def difference(self) -> Decimal | None:
        if self.self_score is None or self.verified_score is None:
            return None
        return self.verified_score.ipp_shown - self.self_score.ipp_shown  # the printed values, so they add up


def queue_page(period: Period, status: str | None = None, kind: str | None = None,
               sort: str = "unit", descending: bool = False, page: int | None = 1) -> Page[QueueRow]:
    query = _units_with_assessment(period)
    if kind in UnitKind._value2member_map_:
        query = query.where(Unit.kind == UnitKind(kind))
    if status == NOT_STARTED:
        query = query.where(Assessment.id.is_(None))
    elif status in STATUS_FILTERS:
        query = query.where(Assessment.status == AssessmentStatus(status))
    matching = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    number, pages = page_number(page, matching)
    ordered = query.order_by(*_order(sort if sort in SORT_KEYS else "unit", descending))
    rows = [QueueRow(unit, assessment)
            for unit, assessment in db.session.execute(ordered.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE))]
    return Page(rows, matching, number, pages)


def status_counts(period: Period) -> dict[str, int]:
    """Active units per status filter, "not started" included, in one grouped query."""
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    query = _units_with_assessment(period).with_only_columns(Assessment.status, sa.func.count()).group_by(Assessment.status)
    for status, count in db.session.execute(query):
        counts[status.value if status else NOT_STARTED] = count
    return counts


def _units_with_assessment(period: Period) -> sa.Select:
    on_period = sa.and_(Assessment.unit_id == Unit.id, Assessment.period_id == period.id)
    return sa.select(Unit, Assessment).outerjoin(Assessment, on_period).where(Unit.active)


# After "not started" (0): the order in which a unit moves towards verification.
_STATUS_ORDER = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED)


def _order(sort: str, descending: bool) -> list[sa.ColumnElement]:
    """The sort column, then the short name, then the id; all in the chosen direction.

    Missing values sort as the lowest, so "highest IPP first" puts units without a score last.
    """
    not_started = Assessment.id.is_(None)
    keys = {
        "unit": [],
        "status": [sa.case(*((Assessment.status == s, n) for n, s in enumerate(_STATUS_ORDER, start=1)), else_=0)],
        "kelengkapan": [sa.case((not_started, -1), else_=Assessment.answered_count)],
        "dikirim": [sa.case((Assessment.submitted_at.is_(None), 0), else_=1), Assessment.submitted_at],
        "ipp_mandiri": [sa.case((not_started, -1), else_=Assessment.self_ipp)],
        "ipp_verifikasi": [sa.case((Assessment.verified_ipp.is_(None), -1), else_=Assessment.verified_ipp)],
    }[sort]
    columns = [*keys, sa.func.lower(Unit.short_name), Unit.id]
    return [column.desc() if descending else column.asc() for column in columns]
