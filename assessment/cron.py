"""RQ's cron scheduler, when REDIS_URL is set: ``rq cron assessment.cron --url $REDIS_URL`` puts one round of
`flask notify` on the pekppp queue every ten minutes, for `rq worker pekppp` (README, Production)."""
from rq import cron

from .jobs.queue import QUEUE_NAME
from .worker import run_notice_round

ROUND_INTERVAL_SECONDS = 600

cron.register(run_notice_round, QUEUE_NAME, interval=ROUND_INTERVAL_SECONDS, job_timeout=1800)
