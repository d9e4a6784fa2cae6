from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from flask import Flask, current_app

from .runner import run_job, run_job_in_worker

QUEUE_NAME = "pekppp"
EXTENSION_KEY = "pekppp_jobs"


class JobQueue(Protocol):
    def enqueue(self, job_id: str) -> object: ...


class InProcessQueue:
    """One background thread per web process runs jobs in order; heavy work fans out to processes itself."""

    def __init__(self, app: Flask):
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pekppp-job")

    def enqueue(self, job_id: str) -> Future:
        return self._executor.submit(run_job, self._app, job_id)


class RedisQueue:
    """Jobs for `rq worker pekppp` (see README): survives web restarts and spreads over machines."""

    def __init__(self, url: str):
        from redis import Redis
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(url))

    def enqueue(self, job_id: str) -> object:
        return self.queue.enqueue(run_job_in_worker, job_id, job_timeout=3600)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION_KEY] = RedisQueue(url) if url else InProcessQueue(app)


def get_queue() -> JobQueue:
    return current_app.extensions[EXTENSION_KEY]
