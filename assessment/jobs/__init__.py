"""Background jobs behind one small interface: an in-process worker by default, RQ on Redis when REDIS_URL is set.

Both run the same ``execute(job_id)``; the job's state and progress live in the
database (ReportJob), so the browser reads the same thing whichever runs it.
"""
from .health import mark_abandoned_jobs_failed
from .queue import JobQueue, QueueUnavailable, get_queue, init_app

__all__ = ["JobQueue", "QueueUnavailable", "get_queue", "init_app", "mark_abandoned_jobs_failed"]
