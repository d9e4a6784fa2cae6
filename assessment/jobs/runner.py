"""Running one job, in whichever process picked it up; while it runs it beats a heartbeat (health.py)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app

from ..domain.models import ReportJob, utcnow
from ..extensions import db

logger = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[ReportJob], None]] = {}
FAILED = "Gagal menyusun dokumen; silakan coba lagi atau hubungi admin."


class JobFailed(Exception):
    """A failure the job's page states as is (e.g. a full disk), instead of the general message."""


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
    job.status, job.heartbeat_at = "running", utcnow()
    db.session.commit()
    with heartbeat(current_app._get_current_object(), job_id):
        try:
            HANDLERS[job.kind](job)
            job.status = "done"
        except Exception as error:
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            db.session.rollback()
            job = db.session.get(ReportJob, job_id)
            job.status, job.error = "failed", str(error) if isinstance(error, JobFailed) else FAILED
    job.finished_at = utcnow()
    db.session.commit()


@contextmanager
def heartbeat(app: Flask, job_id: str):
    """Stamp the job's heartbeat every JOB_HEARTBEAT_SECONDS from a thread of its own while the job runs."""
    stop = threading.Event()

    def beat() -> None:
        with app.app_context():
            while not stop.wait(app.config["JOB_HEARTBEAT_SECONDS"]):
                try:
                    db.session.execute(sa.update(ReportJob).where(ReportJob.id == job_id, ReportJob.status == "running")
                                       .values(heartbeat_at=utcnow()))
                    db.session.commit()
                except sa.exc.SQLAlchemyError as error:  # a busy database: the next beat comes soon enough
                    db.session.rollback()
                    logger.warning("Heartbeat of job %s not stored: %s", job_id, error)
            db.session.remove()

    thread = threading.Thread(target=beat, name=f"pekppp-heartbeat-{job_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
