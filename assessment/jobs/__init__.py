"""Background jobs behind one small interface: an in-process worker by default, RQ on Redis when REDIS_URL is set.

Both run the same ``execute(job_id)``; the job's state and progress live in the
database (ReportJob), so the browser reads the same thing whichever runs it.
"""
from .queue import JobQueue, get_queue, init_app

__all__ = ["JobQueue", "get_queue", "init_app"]
