"""Fixtures in the flaskr style: a fresh app and database per test, clients logged in by role."""
from __future__ import annotations

import pytest

from assessment import create_app
from assessment.extensions import db
from tests import factories


@pytest.fixture
def app():
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "WTF_CSRF_ENABLED": False,
    })
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two units with an OPD head each, a reviewer, an admin and an open period."""
    return factories.make_world()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = factories.PASSWORD, follow: bool = False):
        return self._client.post(
            "/masuk", data={"username": username, "password": password}, follow_redirects=follow
        )

    def logout(self):
        return self._client.post("/keluar")


@pytest.fixture
def auth(client):
    return AuthActions(client)
