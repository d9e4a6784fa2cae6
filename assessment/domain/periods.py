"""Periods: which one is current, creating and changing them, and per-unit deadline extensions."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from . import audit
from .formatting import tanggal
from .lifecycle import ActionRefused
from .models import Answer, Assessment, DeadlineExtension, InstrumentVersion, Period, Unit, User
from .models.periods import DEFAULT_BA_PATTERN
from .stored_scores import note_for_rescoring


def current_period() -> Period | None:
    """The open period of the latest year; else the latest period, so results stay visible."""
    latest_first = sa.select(Period).order_by(Period.is_open.desc(), Period.year.desc()).limit(1)
    return db.session.scalar(latest_first)


def all_periods() -> list[Period]:
    return list(db.session.scalars(sa.select(Period).order_by(Period.year.desc())))


def period_by_year_or_current(year: int | None) -> Period | None:
    if year is None:
        return current_period()
    if not 0 < year < 10_000:  # ?tahun=99999999999999999999 is no period, not an integer overflow in the database
        return None
    return db.session.scalar(sa.select(Period).where(Period.year == year))


def instrument_versions() -> list[InstrumentVersion]:
    return list(db.session.scalars(
        sa.select(InstrumentVersion).order_by(InstrumentVersion.imported_at.desc(), InstrumentVersion.id.desc())))


def save_period(period: Period, *, year: int, title: str, instrument_id: int, opens_on: date, deadline: date,
                ba_number_pattern: str | None = None, recap_number: str | None = None,
                pack_number: str | None = None, objection_days: int | None = None,
                followup_days: tuple[int | None, int | None] = (None, None)) -> Period:
    """Create or update a period after checking the rules a form cannot check alone."""
    clash = db.session.scalar(sa.select(Period).where(Period.year == year, Period.id != period.id))
    if clash is not None:
        raise ActionRefused(f"Periode tahun {year} sudah ada; satu tahun hanya boleh satu periode.")
    if deadline < opens_on:
        raise ActionRefused("Batas pengisian tidak boleh sebelum tanggal pembukaan.")
    if period.id and period.instrument_id != instrument_id:
        if _has_answers(period):
            raise ActionRefused("Instrumen tidak dapat diganti karena unit sudah mulai mengisi periode ini.")
        # Empty drafts score 0 under any instrument, but their stored score counts the instrument's indicators.
        opened = db.session.scalars(sa.select(Assessment.id).where(Assessment.period_id == period.id))
        note_for_rescoring(db.session(), set(opened))
    period.year, period.title, period.instrument_id = year, title, instrument_id
    period.opens_on, period.deadline = opens_on, deadline
    # Printed documents (None keeps what the period has): a new pattern applies to the Berita Acara numbers given
    # from now on (reports/numbering.py).
    period.ba_number_pattern = ba_number_pattern or period.ba_number_pattern or DEFAULT_BA_PATTERN
    if recap_number is not None:
        period.recap_number = recap_number
    if pack_number is not None:
        period.pack_number = pack_number
    if objection_days is not None:  # a window already open keeps its end date (domain/objections.py)
        period.objection_days = objection_days
    # Days to follow up recommendations (B and below, above B); a due date already given keeps its day.
    below, above = followup_days
    if below is not None:
        period.followup_days_b_and_below = below
    if above is not None:
        period.followup_days_above_b = above
    db.session.add(period)
    db.session.flush()
    return period


def set_open(period: Period, is_open: bool) -> None:
    period.is_open = is_open
    db.session.flush()


def grant_extension(period: Period, unit: Unit, new_deadline: date, reason: str, user: User) -> DeadlineExtension:
    """Give one unit a later deadline (or change the one it has), and log it."""
    if new_deadline <= period.deadline:
        raise ActionRefused(f"Tanggal perpanjangan harus setelah batas periode ({tanggal(period.deadline)}).")
    extension = db.session.scalar(
        sa.select(DeadlineExtension).where(DeadlineExtension.period_id == period.id, DeadlineExtension.unit_id == unit.id)
    )
    old_deadline = period.deadline_for(unit.id)
    if extension is None:
        extension = DeadlineExtension(period=period, unit=unit, new_deadline=new_deadline, reason=reason, granted_by=user)
        db.session.add(extension)
    else:
        extension.new_deadline, extension.reason, extension.granted_by = new_deadline, reason, user
    assessment = db.session.scalar(
        sa.select(Assessment).where(Assessment.period_id == period.id, Assessment.unit_id == unit.id)
    )
    audit.record("period.extension", user, assessment=assessment, old=tanggal(old_deadline), new=tanggal(new_deadline),
                 note=f"{unit.short_name}: {reason}")
    db.session.flush()
    return extension


def _has_answers(period: Period) -> bool:
    """Whether any unit has written an answer (an OPD only opening its form leaves an empty draft behind)."""
    answered = sa.select(Answer.id).join(Assessment).where(Assessment.period_id == period.id).limit(1)
    return db.session.scalar(answered) is not None
