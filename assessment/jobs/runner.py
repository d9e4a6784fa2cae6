"""Running one job, in whichever process picked it up."""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask

from ..extensions import db
from ..models import ReportJob, utcnow

logger = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[ReportJob], None]] = {}


def handler(kind: str):
    """Register the function that builds one kind of job."""

    def register(function: Callable[[ReportJob], None]) -> Callable[[ReportJob], None]:
        HANDLERS[kind] = function
        return function

    return register


def run_job(app: Flask, job_id: str) -> None:
    with app.app_context():
        execute(job_id)


def run_job_in_worker(job_id: str) -> None:
    """Entry point for an RQ worker, which has no app yet."""
    from .. import create_app

    run_job(create_app(), job_id)


def execute(job_id: str) -> None:
    job = db.session.get(ReportJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return
    job.status = "running"
    db.session.commit()
    try:
        HANDLERS[job.kind](job)
        job.status = "done"
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        job.status, job.error = "failed", "Gagal menyusun dokumen; silakan coba lagi atau hubungi admin."
    job.finished_at = utcnow()
    db.session.commit()
