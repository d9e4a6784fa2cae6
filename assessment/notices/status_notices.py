"""Notices to the unit when its form is returned or verified, hooked on the audit log rather than on the views.

Every transition goes through lifecycle.apply_transition, which writes an AuditEvent; just before such an event is
flushed, the notices are added to the same transaction. So a notice exists exactly when the transition was
committed (a refused or rolled-back one leaves none), and the review code needs no line of its own.
"""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..domain.models import Assessment, AuditEvent, NoticeKind, Role, User
from . import messages
from .mail import mail_ready
from .outbox import queue_message
from .reminders import opted_in_users

NOTICE_OF_ACTION = {"assessment.return": NoticeKind.RETURNED, "assessment.verify": NoticeKind.VERIFIED}


def register_status_notices() -> None:
    """Called from the app factory; listening twice would not queue twice (SQLAlchemy keeps one listener)."""
    if not event.contains(Session, "before_flush", queue_status_notices):
        event.listen(Session, "before_flush", queue_status_notices)


def queue_status_notices(session: Session, _flush_context, _instances) -> None:
    """Session hook on AuditEvent: a return or verification about to be written queues a notice per OPD account."""
    transitions = [instance for instance in session.new
                   if isinstance(instance, AuditEvent) and instance.action in NOTICE_OF_ACTION]
    if not transitions or not has_app_context() or not mail_ready(current_app.config):
        return
    with session.no_autoflush:
        for transition in transitions:
            assessment = session.get(Assessment, transition.assessment_id)
            kind = NOTICE_OF_ACTION[transition.action]
            for user in session.scalars(opted_in_users().where(User.role == Role.OPD, User.unit_id == assessment.unit_id)
                                        .order_by(User.id)):
                subject, body = messages.status_notice(kind, user, assessment, transition.note)
                queue_message(session, user, kind, subject, body, unit_id=assessment.unit_id)
