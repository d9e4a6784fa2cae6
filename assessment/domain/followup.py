"""Follow-up (tindak lanjut) of recommendations: each has a due date and a state; the unit reports what it did
(a note and files), the reviewer accepts the report or asks again; a recommendation not done by its due date is
late. Functions flush; the view owns the commit.

The due date is the day the result became final (WIB) plus the period's days for the predikat: the shorter period
(a month by default) for B and below, where the gap is widest. "Late" is never stored: a recommendation is late
while it waits for the unit (open, or asked again) after its due date, the due date itself still counting as in
time. A report handed in after the due date is kept and marked as late on the pages; once the reviewer accepts it,
the recommendation is done.
"""
from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import audit
from .evidence.services import Upload, store_uploads, upload_errors
from .formatting import today_wib, wib_date
from .lifecycle import ActionRefused
from .models import (
    Assessment,
    AssessmentStatus,
    AttachedTo,
    EvidenceFile,
    FollowUpEntry,
    FollowUpState,
    FollowUpStep,
    Period,
    Recommendation,
    Unit,
    User,
)
from .scoring import score
from .unit_search import unit_name_matches

# Predikat letters above B: these units get the longer period.
ABOVE_B = frozenset({"A", "A-"})


class Standing(enum.StrEnum):
    """Where a recommendation's follow-up stands on a given day: its state, or late."""

    OPEN = FollowUpState.OPEN.value
    REPORTED = FollowUpState.REPORTED.value
    ACCEPTED = FollowUpState.ACCEPTED.value
    ASKED_AGAIN = FollowUpState.ASKED_AGAIN.value
    LATE = "late"


WAITING_FOR_UNIT = frozenset({FollowUpState.OPEN, FollowUpState.ASKED_AGAIN})


def days_for(period: Period, predikat_letter: str) -> int:
    return period.followup_days_above_b if predikat_letter in ABOVE_B else period.followup_days_b_and_below


def due_date(assessment: Assessment) -> date:
    """When the recommendations of a final result are due: the day it became final plus the period's days."""
    became_final = wib_date(assessment.verified_at) if assessment.verified_at else today_wib()
    predikat = score(assessment.instrument, assessment.verified_levels()).predikat
    return became_final + timedelta(days=days_for(assessment.period, predikat.letter))


def set_due_dates(assessment: Assessment, recommendations: Iterable[Recommendation]) -> None:
    """Give every recommendation of a result just made final that has none its due date."""
    due = due_date(assessment)
    for recommendation in recommendations:
        if recommendation.due_on is None:
            recommendation.due_on = due


def is_late(recommendation: Recommendation, today: date) -> bool:
    due = recommendation.due_on
    return due is not None and today > due and recommendation.followup_state in WAITING_FOR_UNIT


def standing(recommendation: Recommendation, today: date) -> Standing:
    return Standing.LATE if is_late(recommendation, today) else Standing(recommendation.followup_state.value)


def awaits_report(recommendation: Recommendation) -> bool:
    """The unit may (still) report: anything but done; a report waiting for review may be completed."""
    return recommendation.followup_state != FollowUpState.ACCEPTED


def awaits_review(recommendation: Recommendation) -> bool:
    return recommendation.followup_state == FollowUpState.REPORTED


def reported_late(entry: FollowUpEntry) -> bool:
    """A report handed in after its recommendation's due date (WIB)."""
    due = entry.recommendation.due_on
    return entry.step == FollowUpStep.REPORT and due is not None and wib_date(entry.created_at) > due


def report(recommendation: Recommendation, text: str, uploads: list[Upload], user: User) -> FollowUpEntry:
    """The unit's report of what it did, with its files; the reviewer answers it next.

    Raises ActionRefused for a recommendation already done or a file that cannot be taken (nothing is stored), and
    StorageError when the evidence folder cannot take the files (the transaction must then roll back).
    """
    if recommendation.assessment.status != AssessmentStatus.VERIFIED:  # e.g. a result an admin reopened
        raise ActionRefused("Tindak lanjut dilaporkan setelah hasil evaluasinya final.")
    if not awaits_report(recommendation):
        raise ActionRefused("Tindak lanjut rekomendasi ini sudah diterima; tidak perlu dilaporkan lagi.")
    if not text.strip():
        raise ActionRefused("Tuliskan apa yang sudah dilakukan untuk menindaklanjuti rekomendasi ini.")
    assessment = recommendation.assessment
    problems = upload_errors(assessment, uploads)
    if problems:
        raise ActionRefused(" ".join(message for messages in problems.values() for message in messages))
    entry = FollowUpEntry(recommendation=recommendation, step=FollowUpStep.REPORT, text=text.strip(), author=user)
    db.session.add(entry)
    db.session.flush()
    store_uploads(assessment, uploads, user, attached_to=AttachedTo.FOLLOWUP, attached_id=entry.id)
    recommendation.followup_state = FollowUpState.REPORTED
    audit.record("followup.report", user, assessment=assessment, indicator_code=recommendation.indicator_code,
                 new=entry.text)
    db.session.flush()
    return entry


def answer(recommendation: Recommendation, accepted: bool, text: str, user: User) -> FollowUpEntry:
    """The reviewer's answer to the unit's report: accepted (done), or asked again with what is still missing."""
    if not awaits_review(recommendation):
        raise ActionRefused("Belum ada laporan tindak lanjut yang menunggu tanggapan untuk rekomendasi ini.")
    if not accepted and not text.strip():
        raise ActionRefused("Tuliskan apa yang masih perlu dilengkapi unit.")
    step = FollowUpStep.ACCEPT if accepted else FollowUpStep.ASK_AGAIN
    entry = FollowUpEntry(recommendation=recommendation, step=step, text=text.strip(), author=user)
    db.session.add(entry)
    recommendation.followup_state = FollowUpState.ACCEPTED if accepted else FollowUpState.ASKED_AGAIN
    audit.record(f"followup.{step.value}", user, assessment=recommendation.assessment,
                 indicator_code=recommendation.indicator_code, new=entry.text or None)
    db.session.flush()
    return entry


def files_of(entries: Iterable[FollowUpEntry]) -> dict[int, list[EvidenceFile]]:
    """The files of each report, by entry id."""
    ids = [entry.id for entry in entries]
    files: dict[int, list[EvidenceFile]] = {}
    if ids:
        query = sa.select(EvidenceFile).where(EvidenceFile.attached_to == AttachedTo.FOLLOWUP,
                                              EvidenceFile.attached_id.in_(ids)).order_by(EvidenceFile.id)
        for evidence in db.session.scalars(query):
            files.setdefault(evidence.attached_id or 0, []).append(evidence)
    return files


def _with_followups() -> sa.Select[Recommendation]:
    return (sa.select(Recommendation)
            .options(selectinload(Recommendation.followups).selectinload(FollowUpEntry.author))
            .order_by(Recommendation.position, Recommendation.id))


def recommendations_to_follow(assessment: Assessment) -> list[Recommendation]:
    return list(db.session.scalars(_with_followups().where(Recommendation.assessment_id == assessment.id)))


def final_results_of(unit_id: int) -> list[Assessment]:
    """The unit's final results that carry recommendations, newest period first."""
    with_recommendations = sa.select(Recommendation.assessment_id)
    return list(db.session.scalars(
        sa.select(Assessment).join(Assessment.period)
        .where(Assessment.unit_id == unit_id, Assessment.status == AssessmentStatus.VERIFIED,
               Assessment.id.in_(with_recommendations))
        .order_by(Period.year.desc())))


def previous_by_indicator(unit_id: int, year: int) -> tuple[Assessment | None, dict[str, list[Recommendation]]]:
    """Last year's recommendations of the unit (its latest final result of a period before ``year``), by
    indicator, so this year's form and review show how far each was followed up."""
    previous = db.session.scalar(
        sa.select(Assessment).join(Assessment.period)
        .where(Assessment.unit_id == unit_id, Assessment.status == AssessmentStatus.VERIFIED, Period.year < year)
        .order_by(Period.year.desc()).limit(1))
    if previous is None:
        return None, {}
    grouped: dict[str, list[Recommendation]] = {}
    for recommendation in recommendations_to_follow(previous):
        if recommendation.indicator_code:
            grouped.setdefault(recommendation.indicator_code, []).append(recommendation)
    return previous, grouped


@dataclass
class UnitFollowUp:
    """One unit's line in the monitoring page: how many of its recommendations stand where."""

    assessment_id: int
    short_name: str
    name: str
    counts: Counter[Standing] = field(default_factory=Counter)
    earliest_due: date | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[Standing.ACCEPTED]

    @property
    def late(self) -> int:
        return self.counts[Standing.LATE]

    @property
    def waiting_for_review(self) -> int:
        return self.counts[Standing.REPORTED]

    @property
    def open(self) -> int:
        return self.counts[Standing.OPEN] + self.counts[Standing.ASKED_AGAIN]

    @property
    def all_done(self) -> bool:
        return self.done == self.total


# The monitoring page's filter: which units it lists.
FILTERS: dict[str, Callable[[UnitFollowUp], bool]] = {
    "terlambat": lambda row: row.late > 0,
    "menunggu": lambda row: row.waiting_for_review > 0,
    "berjalan": lambda row: not row.all_done,
    "selesai": lambda row: row.all_done,
}


def _standing_on(today: date) -> sa.ColumnElement[str]:
    """The standing (Standing's values) computed by the database: the late rule of ``is_late``, else the state."""
    late = sa.and_(Recommendation.due_on.is_not(None), Recommendation.due_on < today,
                   Recommendation.followup_state.in_(list(WAITING_FOR_UNIT)))
    return sa.case((late, Standing.LATE.value), else_=sa.cast(Recommendation.followup_state, sa.String))


def _final_in(period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(Assessment.period_id == period.id, Assessment.status == AssessmentStatus.VERIFIED)


def monitoring(period: Period, today: date, search: str = "") -> list[UnitFollowUp]:
    """Per unit with a final result in ``period``: how many of its recommendations stand where today, units with
    late follow-ups first, then by name; ``search`` narrows by the unit's name.

    Counted by the database, one row per unit, so a Pemda of thousands of units loads no recommendation."""
    standing_now = _standing_on(today)
    counted = [sa.func.sum(sa.case((standing_now == standing.value, 1), else_=0)) for standing in Standing]
    query = (sa.select(Assessment.id, Unit.short_name, Unit.name, sa.func.min(Recommendation.due_on), *counted)
             .join(Assessment, Assessment.id == Recommendation.assessment_id).join(Unit, Unit.id == Assessment.unit_id)
             .where(_final_in(period))
             .group_by(Assessment.id, Unit.short_name, Unit.name))
    if search:
        query = query.where(unit_name_matches(search))
    rows = [UnitFollowUp(assessment_id, short_name, name, Counter(dict(zip(Standing, counts, strict=True))), earliest)
            for assessment_id, short_name, name, earliest, *counts in db.session.execute(query)]
    return sorted(rows, key=lambda row: (-row.late, row.all_done, row.name.lower()))


def only(rows: list[UnitFollowUp], which: str | None) -> list[UnitFollowUp]:
    """The rows one of FILTERS keeps (all for another name)."""
    keep = FILTERS.get(which or "")
    return rows if keep is None else [row for row in rows if keep(row)]


@dataclass(frozen=True)
class LateRecommendation:
    unit_name: str
    indicator_code: str | None
    due_on: date


def late_recommendations(period: Period, today: date) -> list[LateRecommendation]:
    """The recommendations of ``period``'s final results that are late today, by unit name and indicator."""
    query = (sa.select(Unit.short_name, Recommendation.indicator_code, Recommendation.due_on)
             .join(Assessment, Assessment.id == Recommendation.assessment_id).join(Unit, Unit.id == Assessment.unit_id)
             .where(_final_in(period), _standing_on(today) == Standing.LATE.value)
             .order_by(sa.func.lower(Unit.short_name), Recommendation.position, Recommendation.id))
    return [LateRecommendation(name, code, due) for name, code, due in db.session.execute(query) if due is not None]


def totals(rows: Iterable[UnitFollowUp]) -> Counter[Standing]:
    total: Counter[Standing] = Counter()
    for row in rows:
        total.update(row.counts)
    return total


def followed_period(year: int | None) -> Period | None:
    """The period whose recommendations are followed up: the one named, else the latest with any final result
    carrying recommendations (this year's follow-up is of last year's results)."""
    if year is not None:
        return db.session.scalar(sa.select(Period).where(Period.year == year)) if 0 < year < 10_000 else None
    latest = periods_with_recommendations()[:1]
    return latest[0] if latest else None


def periods_with_recommendations() -> list[Period]:
    with_recommendations = sa.select(Assessment.period_id).join(Recommendation, Recommendation.assessment_id == Assessment.id)
    return list(db.session.scalars(sa.select(Period).where(Period.id.in_(with_recommendations))
                                   .order_by(Period.year.desc())))
