"""The one JSON log line format, for the app's log and for gunicorn's.

Only the standard library: gunicorn.conf.py loads this module without the app, so that a
`kill -HUP` still makes the new workers load the new code of everything else.
"""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# The request fields a line carries when they are known; set as attributes of the record (``extra=``).
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "remote_addr", "bytes")
# Where the app leaves the request and user ids for gunicorn's access log, which runs after the app has answered.
ENVIRON_REQUEST_ID = "pekppp.request_id"
ENVIRON_USER_ID = "pekppp.user_id"


class JsonLineFormatter(logging.Formatter):
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
