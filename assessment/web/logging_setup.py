"""Logs: plain text (Flask's default, for development) or one JSON object per line on stderr (LOG_FORMAT=json).

Every request gets an id, returned in the X-Request-ID header and added to each line written
while the request runs, with its method, path and the user id once the user is known. In JSON
mode the app also writes one line per finished request with its status and duration, unless
LOG_REQUESTS is off because the server writes that line itself (gunicorn.conf.py does, to stdout,
with the same field names, reading the request and user id from the WSGI environ).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

LOG_FORMATS = ("text", "json")
REQUEST_ID_HEADER = "X-Request-ID"
# An id set by the proxy in front (nginx: proxy_set_header X-Request-ID $request_id) is kept when it looks
# like one, so the proxy's log and ours can be joined; anything else is replaced by our own.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Read by gunicorn's access log (gunicorn.conf.py), which runs after the app has answered.
ENVIRON_REQUEST_ID = "pekppp.request_id"
ENVIRON_USER_ID = "pekppp.user_id"
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

request_logger = logging.getLogger("assessment.request")


def register_logging(app: Flask) -> None:
    """Request ids always; the JSON handler when LOG_FORMAT is json. Call it first, so its hooks run first."""
    log_format = app.config["LOG_FORMAT"]
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    app.before_request(start_request)
    app.after_request(finish_request)
    if log_format == "json":
        install_json_handler(app.config["LOG_LEVEL"])
        app.logger.removeHandler(default_handler)  # its lines go through the root logger's JSON handler instead


def install_json_handler(level: str) -> None:
    """One JSON handler on the root logger (replacing an earlier one); the app's own loggers at ``level``.

    Libraries stay at WARNING, so their chatter (fonts, HTTP clients) does not flood the log.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, JsonHandler)]:
        root.removeHandler(handler)
    root.addHandler(JsonHandler())
    root.setLevel(logging.WARNING)
    logging.getLogger("assessment").setLevel(level.upper())


class JsonHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a redirected stream)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestContextFilter())

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # StreamHandler.__init__ sets it; we always read sys.stderr
        pass


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, then the request fields that are known, then any exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestContextFilter(logging.Filter):
    """Adds the running request's id, method, path and user id to every record, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            for field, value in request_fields().items():
                if getattr(record, field, None) is None:
                    setattr(record, field, value)
        return True


def request_fields() -> dict:
    return {"request_id": g.get("request_id"), "method": request.method, "path": request.path, "user_id": known_user_id()}


def known_user_id() -> int | None:
    """The id of the user this request has already loaded; never loads one, nor refreshes it after a commit.

    Flask-Login keeps the loaded user in ``g._login_user`` (a request that did not need the user has none);
    the id comes from the session's identity map, so reading it costs no query.
    """
    user = g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None  # None for the anonymous user
    return state.identity[0] if state is not None and state.identity else None


def start_request() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _ACCEPTED_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    request.environ[ENVIRON_REQUEST_ID] = g.request_id


def finish_request(response: Response) -> Response:
    """Return the request id; note the user for the server's access log; write the request line if asked to."""
    request_id = g.get("request_id")
    if request_id:
        response.headers.setdefault(REQUEST_ID_HEADER, request_id)
    request.environ[ENVIRON_USER_ID] = known_user_id()
    if current_app.config["LOG_FORMAT"] == "json" and current_app.config["LOG_REQUESTS"]:
        started = g.get("request_started", time.perf_counter())
        request_logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
    return response

