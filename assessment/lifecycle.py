"""The assessment life cycle: which status allows what, and why an action is refused.

draft -> submitted (OPD) ; returned -> submitted (OPD). The review transitions
(return, verify, reopen) join this table when the review feature lands.
"""
from __future__ import annotations

from datetime import date

from .models import Assessment, AssessmentStatus

EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})

STATUS_LABELS = {
    AssessmentStatus.DRAFT: "Draf",
    AssessmentStatus.SUBMITTED: "Dikirim",
    AssessmentStatus.RETURNED: "Dikembalikan",
    AssessmentStatus.VERIFIED: "Terverifikasi",
}


class ActionRefused(Exception):
    """An action the current state does not allow; the message is shown to the user as is."""


def editing_refusal(assessment: Assessment, today: date) -> str | None:
    """Why the OPD cannot change this assessment now, or None if it can."""
    period = assessment.period
    if assessment.status not in EDITABLE_STATUSES:
        return f"Penilaian berstatus {STATUS_LABELS[assessment.status].lower()} dan tidak dapat diubah lagi."
    if not period.is_open:
        return f"Periode {period.year} sudah ditutup oleh Bagian Organisasi."
    if today < period.opens_on:
        return f"Periode {period.year} belum dibuka."
    if today > period.deadline:
        return f"Batas waktu pengisian periode {period.year} sudah lewat."
    return None


def is_editable(assessment: Assessment, today: date) -> bool:
    return editing_refusal(assessment, today) is None
