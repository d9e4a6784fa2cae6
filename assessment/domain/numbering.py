"""The Nomor of each Berita Acara: given once, when an assessment becomes verified, and never given again.

Watched on the session rather than called from the review code: whatever verifies an assessment (the review
page, the demo, a test's shortcut), the flush that writes the new status also writes the register entry, in the
same transaction, so a verification that is rolled back leaves no number behind. The next number comes from
the period's counter in one UPDATE ... RETURNING: on PostgreSQL the row lock it takes makes a second verification
in the same period wait for the first to commit and then read its number; SQLite lets one writer in at a time.
The unique (period, number) constraint guards the rest.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from ..extensions import db
from .formatting import nomor_surat, wib_date
from .models import Assessment, AssessmentStatus, BeritaAcaraNumber, Period, utcnow


def register_numbering() -> None:
    """Called from the app factory; SQLAlchemy keeps one listener however often it is called."""
    if not event.contains(Session, "before_flush", number_new_verifications):
        event.listen(Session, "before_flush", number_new_verifications)


def number_new_verifications(session: Session, _flush_context, _instances) -> None:
    """Session hook on Assessment: each one about to be written as newly verified gets the period's next number."""
    verified = [instance for instance in (*session.new, *session.dirty)
                if isinstance(instance, Assessment) and _became_verified(session, instance)]
    with session.no_autoflush:
        for assessment in verified:
            session.add(_next_number(session, assessment))


def _became_verified(session: Session, assessment: Assessment) -> bool:
    if assessment.status != AssessmentStatus.VERIFIED:
        return False
    if assessment in session.new:
        return True
    history = attributes.get_history(assessment, "status")
    return bool(history.added) and AssessmentStatus.VERIFIED not in history.deleted


def _next_number(session: Session, assessment: Assessment) -> BeritaAcaraNumber:
    periods = Period.__table__
    period_id = assessment.period_id if assessment.period_id is not None else assessment.period.id
    number, pattern, year = session.execute(
        sa.update(periods).where(periods.c.id == period_id).values(ba_last_number=periods.c.ba_last_number + 1)
        .returning(periods.c.ba_last_number, periods.c.ba_number_pattern, periods.c.year)).one()
    when = assessment.verified_at or utcnow()
    return BeritaAcaraNumber(period_id=period_id, assessment=assessment, number=number,
                             nomor=nomor_surat(pattern, number, year, wib_date(when).month), assigned_at=when)


def current_number(assessment: Assessment) -> BeritaAcaraNumber | None:
    """The entry of the assessment's latest verification (None before the first)."""
    return db.session.scalar(sa.select(BeritaAcaraNumber).where(BeritaAcaraNumber.assessment_id == assessment.id)
                          .order_by(BeritaAcaraNumber.id.desc()).limit(1))


def replaced_number(assessment: Assessment) -> BeritaAcaraNumber | None:
    """The entry of the verification before the latest one, whose Berita Acara the latest replaces."""
    return db.session.scalar(sa.select(BeritaAcaraNumber).where(BeritaAcaraNumber.assessment_id == assessment.id)
                          .order_by(BeritaAcaraNumber.id.desc()).offset(1).limit(1))
