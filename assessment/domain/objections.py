"""The verification window (masa sanggah): the provisional result, the unit's objections and the answers.

Verifying an assessment of a period with ``objection_days`` > 0 sends the unit its hasil sementara and opens a
window until ``closes_on`` (today in WIB + the days; the whole of that day is included). Meanwhile the unit may
accept the result, or object per indicator with a reason; the evaluator answers each objection (accepted: the
level changes; refused: with a reason). The final verification needs every objection answered, and the unit's
word or the window's end: a window that ends without the unit's word counts as accepted.

Whether a window has ended is decided on read, from the date (``state``), so no page changes anything by being
opened; the event enters the audit log by ``record_lapses`` (``flask notify``'s round and ``flask sanggah``) or,
at the latest, at the final verification.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

import sqlalchemy as sa

from ..extensions import db
from . import audit
from .evidence.services import Upload, store_uploads, upload_errors
from .lifecycle import ActionRefused, apply_transition
from .models import (
    Assessment,
    AssessmentStatus,
    AttachedTo,
    Objection,
    ObjectionAnswer,
    Review,
    ReviewDecision,
    User,
    VerificationWindow,
    WindowResponse,
    utcnow,
)

REASON_MAX = 2000


class WindowState(enum.StrEnum):
    OPEN = "open"          # the unit may still accept or object
    ACCEPTED = "accepted"  # the unit accepted (or said it has nothing more to object)
    LAPSED = "lapsed"      # ended without the unit's word: counts as accepted
    CLOSED = "closed"      # the final verification closed it


STATE_LABELS = {
    WindowState.OPEN: "Masa sanggah berjalan",
    WindowState.ACCEPTED: "Unit telah menanggapi",
    WindowState.LAPSED: "Masa sanggah berakhir (dianggap menerima)",
    WindowState.CLOSED: "Masa sanggah ditutup",
}


def current_window(assessment: Assessment) -> VerificationWindow | None:
    """The assessment's latest window (a reopened assessment may have had earlier ones)."""
    if assessment.id is None:
        return None
    query = sa.select(VerificationWindow).where(VerificationWindow.assessment_id == assessment.id)
    return db.session.scalar(query.order_by(VerificationWindow.id.desc()).limit(1))


def state(window: VerificationWindow, today: date) -> WindowState:
    if window.closed_at is not None:
        return WindowState.CLOSED
    if window.done_at is not None:
        return WindowState.ACCEPTED
    return WindowState.OPEN if today <= window.closes_on else WindowState.LAPSED


def days_left(window: VerificationWindow, today: date) -> int:
    """Days the unit still has, today included (1 on the last day)."""
    return max(0, (window.closes_on - today).days + 1)


def open_window(assessment: Assessment, user: User, today: date, days: int | None = None) -> VerificationWindow:
    """Send the reviewed assessment to the unit as hasil sementara; the window runs ``days`` days (the period's
    ``objection_days`` unless given), today included."""
    days = assessment.period.objection_days if days is None else days
    apply_transition(assessment, "provisional", user, f"Masa sanggah {days} hari")
    window = VerificationWindow(assessment_id=assessment.id, opened_by=user,
                                closes_on=today + timedelta(days=days - 1))
    db.session.add(window)
    db.session.flush()
    return window


def _open_window_of(assessment: Assessment, today: date) -> VerificationWindow:
    window = current_window(assessment)
    if assessment.status != AssessmentStatus.PROVISIONAL or window is None:
        raise ActionRefused("Penilaian ini tidak sedang dalam masa sanggah.")
    if state(window, today) != WindowState.OPEN:
        raise ActionRefused("Masa sanggah sudah berakhir; tanggapan tidak dapat diubah lagi.")
    return window


def accept(assessment: Assessment, user: User, today: date) -> None:
    """The unit accepts the provisional result, or (after objecting) has nothing more to object: its word is given."""
    window = _open_window_of(assessment, today)
    objected = bool(window.objections)
    window.response = window.response or WindowResponse.ACCEPTED
    window.done_at, window.done_by = utcnow(), user
    audit.record("window.done" if objected else "window.accepted", user, assessment=assessment)
    db.session.flush()


def file_objection(assessment: Assessment, code: str, reason: str, user: User, today: date,
                   uploads: Sequence[Upload] = ()) -> Objection:
    """Object to one indicator's provisional level, with a reason and any new evidence; once per indicator and
    window. A refused file refuses the whole objection (ActionRefused); one the disk cannot take raises
    StorageError, and the caller's rollback leaves neither the objection nor any file."""
    window = _open_window_of(assessment, today)
    if code not in {indicator.code for indicator in assessment.instrument.indicators}:
        raise ActionRefused("Pilih indikator yang ada dalam instrumen.")
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Alasan sanggahan wajib diisi.")
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"Alasan sanggahan paling banyak {REASON_MAX} karakter.")
    if any(objection.indicator_code == code for objection in window.objections):
        raise ActionRefused(f"Indikator {code} sudah disanggah; tunggu jawaban evaluator.")
    uploads = [replace(upload, indicator_code=code) for upload in uploads]  # the objection's indicator, whatever sent
    problems = [problem for found in upload_errors(assessment, uploads).values() for problem in found]
    if problems:
        raise ActionRefused(f"Sanggahan belum terkirim; pilih lagi bukti barunya. {' '.join(problems)}")
    level = assessment.verified_levels().get(code)
    objection = Objection(indicator_code=code, provisional_level=level, reason=reason, filed_by=user)
    window.objections.append(objection)
    window.response = WindowResponse.OBJECTED
    audit.record("objection.file", user, assessment=assessment, indicator_code=code, old=level, note=reason)
    db.session.flush()
    store_uploads(assessment, uploads, user, attached_to=AttachedTo.OBJECTION, attached_id=objection.id)
    return objection


def answer(objection: Objection, accepted: bool, level: int | None, reason: str, user: User) -> None:
    """The evaluator's answer: accepted sets the indicator's verified level; refused keeps it, with a reason."""
    window = objection.window
    assessment = db.session.get_one(Assessment, window.assessment_id)
    if assessment.status != AssessmentStatus.PROVISIONAL or window.closed_at is not None:
        raise ActionRefused("Sanggahan hanya dapat dijawab selama penilaian berstatus hasil sementara.")
    if objection.answer is not None:
        raise ActionRefused("Sanggahan ini sudah dijawab.")
    reason = reason.strip()
    if accepted and (level is None or not 0 <= level <= 5):
        raise ActionRefused("Pilih level baru (0–5) bila sanggahan diterima.")
    if not accepted and not reason:
        raise ActionRefused("Alasan penolakan wajib diisi.")
    if accepted:
        assert level is not None, "checked above"
        _set_level(assessment, objection.indicator_code, level, reason, user)
    objection.answer = ObjectionAnswer.ACCEPTED if accepted else ObjectionAnswer.REFUSED
    objection.answer_level = level if accepted else None
    objection.answer_reason, objection.answered_by, objection.answered_at = reason, user, utcnow()
    audit.record("objection.accept" if accepted else "objection.refuse", user, assessment=assessment,
                 indicator_code=objection.indicator_code, old=objection.provisional_level,
                 new=level if accepted else objection.provisional_level, note=reason)
    db.session.flush()


def _set_level(assessment: Assessment, code: str, level: int, reason: str, user: User) -> None:
    """The review of the indicator now holds ``level`` (agreeing, if it is the unit's own); audited as a level change.
    The stored scores follow by themselves (stored_scores.py rescoring on the review's change)."""
    review = assessment.reviews.get(code)
    if review is None:
        review = assessment.reviews[code] = Review(indicator_code=code, note="")
    before = assessment.verified_levels().get(code)
    own = assessment.answers[code].level if code in assessment.answers else None
    review.decision = ReviewDecision.AGREE if level == own else ReviewDecision.CHANGE
    review.verified_level = None if level == own else level
    review.note = f"{review.note}\nSanggahan diterima: {reason}".strip() if reason else review.note
    review.reviewer, review.updated_at = user, utcnow()
    if before != level:
        audit.record("review.level", user, assessment=assessment, indicator_code=code, old=before, new=level,
                     note="Sanggahan diterima")


def refusal_to_finalize(assessment: Assessment, today: date) -> str | None:
    """Why the final verification must wait, or None."""
    window = current_window(assessment)
    if window is None:
        return "Masa sanggah belum dibuka."
    if state(window, today) == WindowState.OPEN:
        return ("Masa sanggah masih berjalan; verifikasi final dapat dilakukan setelah unit menanggapi atau masa "
                "sanggah berakhir.")
    open_ones = [objection.indicator_code for objection in window.objections if objection.answer is None]
    if open_ones:
        return f"Jawab dahulu sanggahan pada indikator {', '.join(open_ones)}."
    return None


def close(assessment: Assessment, user: User, today: date) -> None:
    """Part of the final verification: a lapse not yet logged is logged, then the window closes."""
    window = current_window(assessment)
    assert window is not None, "a provisional assessment has its window"
    if state(window, today) == WindowState.LAPSED:
        _record_lapse(window, assessment)
    window.closed_at = utcnow()
    db.session.flush()


def _record_lapse(window: VerificationWindow, assessment: Assessment) -> None:
    if window.lapse_recorded_at is None:
        window.lapse_recorded_at = utcnow()
        audit.record("window.lapsed", None, assessment=assessment,
                     note="Hari terakhir lewat tanpa tanggapan unit")


def record_lapses(today: date) -> int:
    """Log every window that ended without the unit's word and is not logged yet (for cron); returns how many."""
    query = (sa.select(VerificationWindow).where(VerificationWindow.closed_at.is_(None),
                                                 VerificationWindow.done_at.is_(None),
                                                 VerificationWindow.lapse_recorded_at.is_(None),
                                                 VerificationWindow.closes_on < today))
    windows = list(db.session.scalars(query))
    for window in windows:
        _record_lapse(window, db.session.get_one(Assessment, window.assessment_id))
    db.session.flush()
    return len(windows)
