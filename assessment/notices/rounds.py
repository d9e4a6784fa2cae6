"""One round of sending, the same from `flask notify` (cron) and from RQ's cron scheduler (assessment/cron.py)."""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from ..domain.formatting import WIB
from ..domain.models import utcnow
from ..extensions import db
from .outbox import Tally, send_due
from .reminders import queue_reminders

logger = logging.getLogger(__name__)


def notify_round(now: datetime) -> tuple[int, Tally]:
    """Today's reminders (from MAIL_REMINDER_HOUR, WIB, on), committed, then every message due in the outbox,
    those just queued included."""
    local = now.astimezone(WIB)
    queued = 0
    if local.hour >= int(current_app.config["MAIL_REMINDER_HOUR"]):
        queued = queue_reminders(local.date())
        db.session.commit()
    return queued, send_due(utcnow())
