"""One round of sending, the same from `flask notify` (cron) and from RQ's cron scheduler (cron.py)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app

from ..domain.formatting import WIB
from ..domain.models import utcnow
from ..extensions import db
from .mail import mail_enabled, settings_error
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


def notify_in_worker() -> None:
    """Entry point for an RQ worker, which has no app yet; mail off or misconfigured: it only logs why."""
    from .. import create_app

    app = create_app()
    with app.app_context():
        if not mail_enabled(app.config):
            return
        if problem := settings_error(app.config):
            logger.warning("E-mail round skipped: %s", problem)
            return
        queued, tally = notify_round(datetime.now(UTC))
        logger.info("E-mail round: %s reminders queued, %s sent, %s to retry, %s failed",
                    queued, tally.sent, tally.retrying, tally.failed)
