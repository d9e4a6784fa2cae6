"""Fixtures in the flaskr style: a fresh app and an empty database per test, clients logged in by role.

The suite runs on in-memory SQLite. With TEST_DATABASE_URL set (a PostgreSQL server, e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``) it runs on PostgreSQL instead: the session
creates one throw-away database ``pekppp_test_<random>`` through the database the URL names,
creates the tables once, empties them after every test and drops the database at the end.
"""
from __future__ import annotations

import itertools
import os
import secrets

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.pool import NullPool

from assessment import create_app
from assessment.config import normalise_database_url
from assessment.extensions import db
from tests import factories

SQLITE_MEMORY = "sqlite://"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
NO_POSTGRES = "PostgreSQL tidak tersedia: set TEST_DATABASE_URL"


class PostgresServer:
    """The server behind TEST_DATABASE_URL, on which each test session makes its own databases."""

    def __init__(self, url: str):
        self.url = sa.make_url(normalise_database_url(url))
        self.engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def check(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    def create_database(self) -> str:
        name = f"pekppp_test_{secrets.token_hex(6)}"
        with self.engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pytest_configure(config):
    config.addinivalue_line("markers", f"requires_postgres: runs only with TEST_DATABASE_URL ({NO_POSTGRES})")


def pytest_sessionstart(session):
    """A PostgreSQL run that cannot reach its server stops at once instead of failing every test."""
    if POSTGRES_URL:
        try:
            PostgresServer(POSTGRES_URL).check()
        except sa.exc.OperationalError as exc:
            pytest.exit(f"TEST_DATABASE_URL tidak dapat dihubungi: {exc.orig}", returncode=3)


def pytest_collection_modifyitems(items):
    if not POSTGRES_URL:
        for item in items:
            if item.get_closest_marker("requires_postgres"):
                item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))


@pytest.fixture(scope="session")
def postgres_server():
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    server = PostgresServer(POSTGRES_URL)
    yield server
    server.engine.dispose()


@pytest.fixture
def fresh_postgres_database(postgres_server):
    """Make empty PostgreSQL databases (URLs) for this test only; dropped afterwards."""
    created: list[str] = []

    def make() -> str:
        created.append(postgres_server.create_database())
        return created[-1]

    yield make
    for url in created:
        postgres_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.requires_postgres)])
def new_database(request, tmp_path):
    """Make new, empty databases (URLs) of each kind in turn: SQLite files, or throw-away PostgreSQL databases."""
    if request.param == "postgresql":
        return request.getfixturevalue("fresh_postgres_database")
    counter = itertools.count(1)

    def make() -> str:
        folder = tmp_path / f"database-{next(counter)}"
        folder.mkdir()
        return f"sqlite:///{folder / 'pekppp.sqlite'}"

    return make


class SessionDatabase:
    """The session's PostgreSQL database: tables created once, emptied after every test."""

    def __init__(self, url: str):
        self.url = url
        self.engine = sa.create_engine(normalise_database_url(url), pool_size=1)
        db.metadata.create_all(self.engine)
        # DELETE and a sequence reset in one round trip take ~2 ms on these tiny tables; TRUNCATE … RESTART
        # IDENTITY took 40–300 ms (it makes new files), as slow as dropping and creating the tables.
        deletes = [f'DELETE FROM "{table.name}";' for table in reversed(db.metadata.sorted_tables)]
        self._empty_sql = " ".join([
            "SET LOCAL lock_timeout = '10s';",  # a transaction left open by a test fails the run instead of hanging it
            *deletes,
            "SELECT setval(quote_ident(sequencename)::regclass, 1, false) FROM pg_sequences"
            " WHERE schemaname = current_schema();",
        ])

    def empty(self) -> None:
        with self.engine.begin() as connection:
            connection.exec_driver_sql(self._empty_sql)


@pytest.fixture(scope="session")
def session_database(request):
    """None on SQLite (each app gets its own in-memory database); else the session's PostgreSQL database."""
    if not POSTGRES_URL:
        yield None
        return
    server = request.getfixturevalue("postgres_server")
    database = SessionDatabase(server.create_database())
    yield database
    database.engine.dispose()
    server.drop_database(database.url)


@pytest.fixture
def database_url(session_database):
    """The URL a test's apps use; on PostgreSQL every table is emptied after the test."""
    if session_database is None:
        yield SQLITE_MEMORY
        return
    yield session_database.url
    session_database.empty()


@pytest.fixture
def shared_database_url(database_url, tmp_path):
    """A database a second app (a worker built from the environment) reaches too: a file on SQLite."""
    return f"sqlite:///{tmp_path / 'shared.sqlite'}" if database_url == SQLITE_MEMORY else database_url


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on the test database, with their tables; ``config`` adds to or overrides the test settings.

    Files go to the test's temporary folder, never to the repository's instance/ folder.
    """
    apps: list[Flask] = []
    files = tmp_path / "instance"

    def build(config: dict | None = None) -> Flask:
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                          "EVIDENCE_DIR": str(files / "evidence"), "PDF_CACHE_DIR": str(files / "pdf-cache"),
                          "PACKS_DIR": str(files / "packs"), **(config or {})})
        if database_url == SQLITE_MEMORY:  # each app has its own in-memory database
            with app.app_context():
                db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # closes its connections: PostgreSQL is emptied next, SQLite memory freed


@pytest.fixture
def app(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        yield app


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
