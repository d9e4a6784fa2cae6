from __future__ import annotations

import os
import socket
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from flask import Flask, current_app

from .health import job_state, mark_abandoned_jobs_failed
from .runner import run_job

QUEUE_NAME = "pekppp"
EXTENSION_KEY = "pekppp_jobs"
INPROCESS = "inprocess"


# By name: the worker's entry point makes an app, and this package must not import the app (assessment/worker.py).
WORKER_ENTRY = "assessment.worker.run_report_job"


class QueueUnavailable(Exception):
    """The queue (Redis) cannot be reached: the job cannot start."""


class JobQueue(Protocol):
    runner: str  # recorded on the job, so a job whose runner died can be told apart (health.py)

    def enqueue(self, job_id: str) -> object: ...


class InProcessQueue:
    """One background thread per web process runs jobs in order; heavy work fans out to processes itself."""

    def __init__(self, app: Flask):
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pekppp-job")
        self.runner = f"{INPROCESS}:{socket.gethostname()}:{os.getpid()}"

    def enqueue(self, job_id: str) -> Future:
        return self._executor.submit(run_job, self._app, job_id)


class RedisQueue:
    """Jobs for `rq worker pekppp` (see README): survives web restarts and spreads over machines."""

    runner = "rq"

    def __init__(self, url: str):
        from redis import Redis
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5))

    def enqueue(self, job_id: str) -> object:
        from redis.exceptions import RedisError

        try:  # the RQ job has the app's job id, so its state in RQ can be looked up (health.py)
            return self.queue.enqueue(WORKER_ENTRY, job_id, job_id=job_id, job_timeout=3600)
        except RedisError as error:
            raise QueueUnavailable(str(error)) from error


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION_KEY] = RedisQueue(url) if url else InProcessQueue(app)
    app.jinja_env.globals["job_state"] = job_state
    if app.config["JOBS_CHECK_AT_START"]:
        with app.app_context():  # jobs left by an in-process worker that died with its server
            mark_abandoned_jobs_failed()


def get_queue() -> JobQueue:
    return current_app.extensions[EXTENSION_KEY]
