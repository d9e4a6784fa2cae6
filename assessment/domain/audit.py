"""Writing and reading the audit log. Every transition and every level change goes through here."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Assessment, AuditEvent, User


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
