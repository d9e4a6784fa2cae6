"""Test clients that behave like separate browsers."""
from __future__ import annotations

from flask import Flask

from tests import factories

REQUESTS = ("get", "post", "put", "delete", "open")


class Browser:
    """A test client whose every request gets its own app context, so a fresh flask.g (where Flask-Login keeps
    the current user) as in production, even while the test itself holds an app context."""

    def __init__(self, app: Flask):
        self.app, self.client = app, app.test_client()

    def __getattr__(self, name: str):
        attribute = getattr(self.client, name)
        if name not in REQUESTS:
            return attribute

        def request(*args, **kwargs):
            with self.app.app_context():
                return attribute(*args, **kwargs)

        return request

    def log_in(self, username: str, **extra) -> Browser:
        self.post("/masuk", data={"username": username, "password": factories.PASSWORD, **extra})
        return self
