"""Is a queued or running job still alive? A job whose runner died must not show "running" for ever.

A running job beats a heartbeat (runner.py). A job is abandoned when its beat is older than
JOB_STALE_AFTER (10 minutes), when it belongs to an in-process worker whose process on this machine is gone
(a server restarted or a gunicorn worker replaced), or when RQ has put it on its failed list or no longer
knows it. Pages read this without changing anything (a GET changes nothing); the row is marked failed by
mark_abandoned_jobs_failed, at start-up and before a new job starts.
"""
from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..domain.models import ReportJob, utcnow
from ..extensions import db

logger = logging.getLogger(__name__)
ACTIVE = ("queued", "running")
NO_BEAT = "Penyusunan berhenti: proses penyusun tidak memberi tanda hidup selama lebih dari {minutes} menit."
PROCESS_GONE = "Penyusunan berhenti: proses server yang menyusunnya berhenti (misalnya server dimulai ulang)."
RQ_FAILED = "Penyusunan gagal di pekerja latar (RQ)."
RQ_LOST = "Penyusunan berhenti: antrean tugas latar tidak lagi memuat tugas ini."
RETRY = " Tekan \"Coba lagi\"."


@dataclass(frozen=True)
class JobState:
    status: str
    error: str | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def job_state(job: ReportJob) -> JobState:
    """The job's state as it really is: a stored "running" whose runner died reads as failed, with the reason."""
    reason = abandonment(job) if job.status in ACTIVE else None
    return JobState("failed", reason + RETRY) if reason else JobState(job.status, job.error)


def abandonment(job: ReportJob) -> str | None:
    stale_after = timedelta(seconds=current_app.config["JOB_STALE_AFTER"])
    if utcnow() - (job.heartbeat_at or job.created_at) > stale_after:
        return NO_BEAT.format(minutes=int(stale_after.total_seconds() // 60))
    kind, _, place = job.runner.partition(":")
    if kind == "inprocess":
        host, _, pid = place.partition(":")
        if host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid)):
            return PROCESS_GONE
    elif kind == "rq":
        return _rq_problem(job.id)
    return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _rq_problem(job_id: str) -> str | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        status = Job.fetch(job_id, connection=Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)).get_status()
    except NoSuchJobError:
        return RQ_LOST
    except RedisError as error:  # cannot tell now; the heartbeat still decides in the end
        logger.warning("Cannot read job %s from RQ: %s", job_id, error)
        return None
    return RQ_FAILED if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED) else None


def mark_abandoned_jobs_failed() -> int:
    """Store as failed every queued or running job that is abandoned; returns how many. Never raises: it runs at
    start-up too, where the database may not be migrated yet."""
    try:
        if not sa.inspect(db.engine).has_table(ReportJob.__tablename__):
            return 0
        marked = 0
        for job in db.session.scalars(sa.select(ReportJob).where(ReportJob.status.in_(ACTIVE))):
            if reason := abandonment(job):
                job.status, job.error, job.finished_at = "failed", reason + RETRY, utcnow()
                marked += 1
        db.session.commit()
        return marked
    except sa.exc.SQLAlchemyError as error:  # a schema from before the runner columns (`flask db upgrade` comes
        db.session.rollback()  # first), a database not up yet (/health says so): checked again with the next job
        logger.info("Abandoned jobs not checked: %s", error)
        return 0
