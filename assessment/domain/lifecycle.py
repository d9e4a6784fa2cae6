"""The assessment life cycle: the allowed transitions, who may make them, and when a form may change.

    draft --submit--> submitted --verify--> verified
                 returned <--return--'        |
    returned --submit--> submitted            |
    submitted <--------------reopen (admin)---'

Each transition is written to the audit log. Guards that need more than the
status (a complete form, a complete review) live in the services that call
``apply_transition``, next to the data they check.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import audit
from .models import Assessment, AssessmentStatus, Role, User, utcnow

S = AssessmentStatus
STAFF = frozenset({Role.REVIEWER, Role.ADMIN})

STATUS_LABELS = {
    S.DRAFT: "Draf",
    S.SUBMITTED: "Dikirim",
    S.RETURNED: "Dikembalikan",
    S.VERIFIED: "Terverifikasi",
}


class ActionRefused(Exception):
    """An action the current state does not allow; the message is shown to the user as is."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[AssessmentStatus]
    target: AssessmentStatus
    roles: frozenset[Role]
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, frozenset({Role.OPD})),
        Transition("return", frozenset({S.SUBMITTED}), S.RETURNED, STAFF, needs_reason=True),
        Transition("verify", frozenset({S.SUBMITTED}), S.VERIFIED, STAFF),
        Transition("reopen", frozenset({S.VERIFIED}), S.SUBMITTED, frozenset({Role.ADMIN}), needs_reason=True),
    )
}

ACTION_NAMES = {"submit": "dikirim", "return": "dikembalikan", "verify": "diverifikasi", "reopen": "dibuka kembali"}


def allowed(assessment: Assessment, name: str, user: User) -> bool:
    """Whether to offer the action at all (the page hides what the user may not do)."""
    transition = TRANSITIONS[name]
    return assessment.status in transition.sources and user.role in transition.roles


def check_transition(assessment: Assessment, name: str, user: User, reason: str | None = None) -> None:
    """Raise ActionRefused, changing nothing, unless this user may make this transition now."""
    transition = TRANSITIONS[name]
    if user.role not in transition.roles:
        raise ActionRefused(f"Peran Anda tidak berwenang: penilaian hanya dapat {ACTION_NAMES[name]} oleh petugas yang berhak.")
    if assessment.status not in transition.sources:
        raise ActionRefused(
            f"Penilaian berstatus {STATUS_LABELS[assessment.status].lower()} sehingga tidak dapat {ACTION_NAMES[name]}."
        )
    if transition.needs_reason and not (reason or "").strip():
        raise ActionRefused("Alasan wajib diisi.")


def apply_transition(assessment: Assessment, name: str, user: User, reason: str | None = None) -> None:
    """Move the assessment along one allowed transition and log it; refuse anything else unchanged."""
    check_transition(assessment, name, user, reason)
    transition = TRANSITIONS[name]
    old_status = assessment.status
    assessment.status = transition.target
    assessment.updated_at = utcnow()
    audit.record(f"assessment.{name}", user, assessment=assessment, old=old_status.value,
                 new=transition.target.value, note=(reason or "").strip())


def editing_refusal(assessment: Assessment, today: date) -> str | None:
    """Why the OPD cannot change this assessment now, or None if it can.

    The deadline (or the unit's extension) closes first drafts. A form the
    Bagian Organisasi returned stays editable while the period is open: the
    return itself is their request for a revision.
    """
    period = assessment.period
    if assessment.status not in TRANSITIONS["submit"].sources:
        return f"Penilaian berstatus {STATUS_LABELS[assessment.status].lower()} dan tidak dapat diubah lagi."
    if not period.is_open:
        return f"Periode {period.year} sudah ditutup oleh Bagian Organisasi."
    if today < period.opens_on:
        return f"Periode {period.year} belum dibuka."
    if assessment.status == S.DRAFT and today > period.deadline_for(assessment.unit_id):
        return f"Batas waktu pengisian periode {period.year} sudah lewat. Hubungi Bagian Organisasi untuk perpanjangan."
    return None
