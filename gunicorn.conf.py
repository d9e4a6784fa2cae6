"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app`` from the repository root.

Every choice can be overridden from the environment (GUNICORN_*), so the systemd unit never edits this
file. The figures behind the worker count are in docs/benchmarks.md (benchmarks/load.py).

This file deliberately imports nothing from the app: the master process must not load the app's code
(preload_app is off, see below), or `kill -HUP` would restart the workers on the old code.
"""
from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

from gunicorn.glogging import Logger


def _cores() -> int:
    """The cores this process may use (a container or systemd CPU limit counts), not all of the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front; never bind a public address here

# gunicorn is how production runs: the app then refuses unsafe settings (assessment/web/production.py) instead of
# falling back to development defaults. PEKPPP_PRODUCTION=false in the environment says otherwise (a benchmark).
os.environ.setdefault("PEKPPP_PRODUCTION", "true")

# Threads, not only processes: a request spends part of its time waiting for PostgreSQL, and a thread
# overlaps that wait with another request's Python work. Two processes per core keep both cores busy
# while the GIL lets one thread run per process (measured: docs/benchmarks.md).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A scorecard or Berita Acara is rendered by WeasyPrint inside the request (1–3 s cold, more for a big
# recap on a busy machine); the meeting pack runs in the background. A gthread worker keeps its heartbeat
# while a thread renders, so this only ends a worker that is really stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# On a restart (kill -HUP, a deploy) or a stop, requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 60))
keepalive = 5  # seconds an idle connection from nginx stays open
# Each worker is replaced after about this many requests, one at a time thanks to the jitter: a long-lived
# process rendering PDFs (fonts, images) only grows, and a fresh one gives that memory back. Not much more
# often: a new worker costs 2–5 s of CPU to load the app, felt by the requests of that moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10_000))
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat on tmpfs: never waits for a disk

# preload_app off: each worker builds the app itself after the fork, so (1) `kill -HUP` loads new code
# without dropping a connection, (2) no database connection or thread pool created in the master is
# shared by forked processes, and (3) the in-process job worker starts in the process that uses it.
# The cost, the app's modules loaded once per worker (about 60 MB each), is small at 2–8 workers.
preload_app = False

# gunicorn 25+ opens a control socket for `gunicornc`, by default in $HOME, where a second instance
# would take it over. Only where the unit asks for one (RuntimeDirectory=pekppp: /run/pekppp/gunicorn.ctl).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "gunicorn.ctl")
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ

# Logs: JSON lines unless PEKPPP_LOG_FORMAT says otherwise (README, Production). gunicorn writes the one
# access line per request to stdout; the app's own request line is then switched off (LOG_REQUESTS).
os.environ.setdefault("PEKPPP_LOG_FORMAT", "json")
JSON_LOGS = os.environ["PEKPPP_LOG_FORMAT"] == "json"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # "-" is stdout; set it empty for none
accesslog = accesslog or None
errorlog = "-"  # gunicorn's own messages (start, worker restarts, timeouts) on stderr, with the app's
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if accesslog:
    os.environ.setdefault("PEKPPP_LOG_REQUESTS", "false")


# The same field names as assessment/web/logging_setup.py; the request and user ids come from the WSGI
# environ, where the app left them (logging_setup.ENVIRON_REQUEST_ID / ENVIRON_USER_ID).
REQUEST_ID_KEY, USER_ID_KEY = "pekppp.request_id", "pekppp.user_id"


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "request", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class JsonLogger(Logger):
    """gunicorn's error log and access log as JSON lines."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(JsonLineFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        fields = access_fields(resp, environ, request_time)
        self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra={"request": fields})


def access_fields(resp, environ: dict, request_time) -> dict:
    fields = {
        "request_id": environ.get(REQUEST_ID_KEY),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "status": resp.status_code,
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "user_id": environ.get(USER_ID_KEY),
        "remote_addr": environ.get("REMOTE_ADDR"),
        "bytes": getattr(resp, "sent", None),
    }
    return {name: value for name, value in fields.items() if value is not None}


if JSON_LOGS:
    logger_class = JsonLogger


def on_starting(server) -> None:
    """Tell the app how many worker processes there are (after the command line had its say): a login limit
    counted in memory would be counted once per process (assessment/web/production.py)."""
    os.environ["PEKPPP_SERVER_WORKERS"] = str(server.cfg.workers)
