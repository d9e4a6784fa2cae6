"""Writing and reading the audit log. Every transition and every level change goes through here."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Assessment, AuditEvent, User

ACTION_LABELS = {
    "answer.level": "Level mandiri",
    "answer.justification": "Penjelasan mandiri",
    "answer.facts": "Fakta mandiri",
    "review.facts": "Pemeriksaan fakta",
    "review.level": "Level verifikasi",
    "review.note": "Catatan evaluator",
    "assessment.submit": "Dikirim",
    "assessment.return": "Dikembalikan untuk perbaikan",
    "assessment.verify": "Diverifikasi",
    "assessment.reopen": "Dibuka kembali",
    "period.extension": "Perpanjangan batas waktu",
    "recommendation.change": "Rekomendasi diubah",
    "evidence.add": "Bukti dukung diunggah",
    "evidence.delete": "Bukti dukung dihapus",
    "user.password_reset": "Kata sandi direset",
    "user.update": "Akun diubah",
    "unit.update": "Unit diubah",
    "instrument.import": "Instrumen diimpor",
    "auth.login": "Masuk",
    "auth.login_failed": "Gagal masuk",
    "auth.logout": "Keluar",
    "auth.password_check_failed": "Kata sandi saat ini salah",
}


def record(
    action: str,
    user: User | None,
    *,
    assessment: Assessment | None = None,
    indicator_code: str | None = None,
    old: object = None,
    new: object = None,
    note: str | None = None,
) -> AuditEvent:
    """Add one event to the session; the caller's commit makes it permanent with the change itself."""
    event = AuditEvent(
        action=action,
        user=user,
        assessment_id=assessment.id if assessment else None,
        indicator_code=indicator_code,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
        note=note or None,
    )
    db.session.add(event)
    return event


def events_for(assessment: Assessment) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.assessment_id == assessment.id).order_by(AuditEvent.id.desc())
    return list(db.session.scalars(query))
