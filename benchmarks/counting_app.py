"""The production app plus an ``X-SQL-Statements`` header on every response: how many SQL statements it took.

    gunicorn -c gunicorn.conf.py benchmarks.counting_app:app      (benchmarks/load.py --app benchmarks.counting_app:app)

Only for measuring: counting costs a little CPU per statement, so CPU figures come from runs without it.
"""
from __future__ import annotations

import threading

from flask import Response
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wsgi import app

_counted = threading.local()  # gthread workers serve one request per thread at a time


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args) -> None:
    _counted.statements = getattr(_counted, "statements", 0) + 1


@app.before_request
def _start_counting() -> None:
    _counted.statements = 0


@app.after_request
def _report(response: Response) -> Response:
    response.headers["X-SQL-Statements"] = str(getattr(_counted, "statements", 0))
    return response
