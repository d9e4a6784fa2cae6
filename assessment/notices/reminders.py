"""Deadline reminders: H-7, H-3 and H-1 before each unit's own deadline (an extension included), days in WIB.

A unit is reminded while its form is not submitted: not started, or a draft. (A returned form is not held to the
deadline: lifecycle.editing_refusal keeps it open while the period is.) Each reminder has a key — period, unit,
person, day mark and the deadline it speaks of — stored with a unique index, so however often `flask notify` runs,
each is queued once; an extension is a new deadline and gets its own reminders. A run that missed a day sends the
mark it passed (a deadline five days away that was never reminded gets the H-7 one, saying "5 hari lagi").
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from ..domain.models import Assessment, AssessmentStatus, NoticeKind, OutboxMessage, Period, Role, Unit, User
from ..extensions import db
from . import messages
from .outbox import queue_message

REMINDER_DAYS = (7, 3, 1)
NOT_SUBMITTED = (AssessmentStatus.DRAFT,)


def reminder_mark(days_left: int) -> int | None:
    """The reminder due when the deadline is ``days_left`` days away, or None (too early, or the day itself or past)."""
    if not 1 <= days_left <= max(REMINDER_DAYS):
        return None
    return min(mark for mark in REMINDER_DAYS if mark >= days_left)


def queue_reminders(today: date) -> int:
    """Queue every reminder due today that is not queued yet; returns how many were added."""
    queued = 0
    for period in db.session.scalars(sa.select(Period).where(Period.is_open, Period.opens_on <= today)):
        queued += _queue_for_period(period, today)
    return queued


def _queue_for_period(period: Period, today: date) -> int:
    forms = {row.unit_id: row for row in db.session.execute(
        sa.select(Assessment.unit_id, Assessment.status, Assessment.answered_count).where(Assessment.period_id == period.id))}
    recipients = _recipients_by_unit()
    prefix = f"reminder:{period.id}:"
    already = set(db.session.scalars(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.startswith(prefix))))
    total = len(period.instrument.indicators)
    queued = 0
    for unit in db.session.scalars(sa.select(Unit).where(Unit.active, Unit.id.in_(recipients)).order_by(Unit.id)):
        form = forms.get(unit.id)
        deadline = period.deadline_for(unit.id)
        days_left = (deadline - today).days
        mark = reminder_mark(days_left)
        if mark is None or (form is not None and form.status not in NOT_SUBMITTED):
            continue
        for user in recipients[unit.id]:
            key = f"{prefix}{unit.id}:{user.id}:H-{mark}:{deadline.isoformat()}"
            if key in already:
                continue
            subject, body = messages.reminder(user, unit, period, deadline, days_left,
                                              form.answered_count if form else 0, total)
            queued += queue_message(db.session, user, NoticeKind.REMINDER, subject, body, unit_id=unit.id, dedupe_key=key)
    return queued


def _recipients_by_unit() -> dict[int, list[User]]:
    """The active OPD accounts with an e-mail address that have not opted out, per unit."""
    by_unit: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(opted_in_users().where(User.role == Role.OPD, User.unit_id.is_not(None))
                                   .order_by(User.id)):
        by_unit[user.unit_id].append(user)
    return by_unit


def opted_in_users() -> sa.Select:
    return sa.select(User).where(User.active, User.email.is_not(None), User.email != "", User.email_notices)
