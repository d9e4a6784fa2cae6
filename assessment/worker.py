"""What an RQ worker runs (`rq worker pekppp`, README: Production). A worker has no app yet: each entry point makes one."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from .app import create_app
from .jobs.runner import run_job
from .notices.mail import mail_enabled, settings_error
from .notices.rounds import notify_round

logger = logging.getLogger(__name__)


def run_report_job(job_id: str) -> None:
    """A report job (the meeting pack), queued by jobs/queue.py under this function's name."""
    run_job(create_app(), job_id)


def run_notice_round() -> None:
    """One round of e-mail reminders and notices, put on the queue by RQ's cron (assessment/cron.py); mail off or
    misconfigured: it only logs why."""
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
