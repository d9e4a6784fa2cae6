"""RQ's cron scheduler, when REDIS_URL is set: ``rq cron assessment.notices.cron --url $REDIS_URL`` puts one round
of `flask notify` on the pekppp queue every ten minutes, for `rq worker pekppp` (README, Production)."""
from rq import cron

from ..jobs.queue import QUEUE_NAME
from .rounds import notify_in_worker

ROUND_INTERVAL_SECONDS = 600

cron.register(notify_in_worker, QUEUE_NAME, interval=ROUND_INTERVAL_SECONDS, job_timeout=1800)
