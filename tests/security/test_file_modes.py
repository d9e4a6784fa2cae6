"""Item 14: the instance folder (secret key, SQLite database with the password hashes) is the owner's alone."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from assessment import create_app
from assessment.app import ROOT
from assessment.config import instance_secret_key, private_folder
from assessment.extensions import db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    """The umask most servers have (0022: new files 0644), so the modes below are the app's own doing."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_files_are_0600(tmp_path, usual_umask):
    database = tmp_path / "instance" / "pekppp.sqlite"
    private_folder(database.parent)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:  # WAL: the -wal and -shm files exist while a connection is open
            connection.execute(sa.text("SELECT count(*) FROM users"))
            files = sorted(database.parent.glob("pekppp.sqlite*"))
            assert [f.name for f in files] == ["pekppp.sqlite", "pekppp.sqlite-shm", "pekppp.sqlite-wal"]
            assert {f.name: mode(f) for f in files} == dict.fromkeys((f.name for f in files), 0o600)
        db.engine.dispose()
    assert mode(database.parent) == 0o700


def test_an_existing_database_readable_by_others_is_closed(tmp_path, usual_umask):
    database = tmp_path / "pekppp.sqlite"
    database.touch(mode=0o644)
    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    assert mode(database) == 0o600


def test_the_instance_folder_and_the_secret_key(tmp_path, usual_umask):
    opened = tmp_path / "opened"
    opened.mkdir(mode=0o755)
    private_folder(opened)
    private_folder(tmp_path / "new" / "instance")
    instance_secret_key(tmp_path / "new" / "instance")
    assert mode(opened) == 0o700 and mode(tmp_path / "new" / "instance") == 0o700
    assert mode(tmp_path / "new" / "instance" / "secret_key") == 0o600


def test_the_apps_own_instance_folder_is_closed_too(app):
    assert mode(ROOT / "instance") == 0o700
