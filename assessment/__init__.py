"""PEKPPP self-assessment and review application.

The factory lives in app.py. Importing the package itself loads nothing else, so a part of it can be
used alone (gunicorn.conf.py loads only the log line format, web/json_lines.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
