"""Item 2: a session ends for real (logout, a new password, a reset, deactivation), when idle, and when too old."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from assessment.domain.models import UserSession
from assessment.extensions import db
from tests.factories import PASSWORD, make_world
from tests.security.conftest import send

LOGGED_OUT = "/masuk?next="


def records(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)))


def logged_in(app, client) -> bool:
    response = send(app, client, "GET", "/akun/kata-sandi")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def replay(app, cookie: str):
    """A new client carrying a session cookie saved earlier (copied from a browser, a proxy log, a backup)."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def log_in(app, username="dpmptsp", password=PASSWORD):
    client = app.test_client()
    assert send(app, client, "POST", "/masuk", data={"username": username, "password": password}).status_code == 302
    return client


def test_a_cookie_saved_before_logout_no_longer_opens_the_account(app, world):
    client = log_in(app)
    saved = client.get_cookie("session").value
    assert logged_in(app, replay(app, saved))
    send(app, client, "POST", "/keluar")
    replayed = send(app, replay(app, saved), "GET", "/penilaian")
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith(LOGGED_OUT)
    (record,) = records(world.opd)
    assert record.end_reason == "logout" and record.ended_at is not None


def test_logout_ends_only_that_session(app, world):
    here, elsewhere = log_in(app), log_in(app)
    send(app, here, "POST", "/keluar")
    assert not logged_in(app, here) and logged_in(app, elsewhere)


def test_a_new_password_ends_the_owners_other_sessions_and_keeps_this_one(app, world):
    here, elsewhere, someone_else = log_in(app), log_in(app), log_in(app, "disdukcapil")
    changed = send(app, here, "POST", "/akun/kata-sandi", data={
        "current_password": PASSWORD, "new_password": "kopi-hujan-sepeda-merah", "confirm": "kopi-hujan-sepeda-merah"})
    assert changed.status_code == 302
    assert logged_in(app, here) and not logged_in(app, elsewhere) and logged_in(app, someone_else)
    assert [r.end_reason for r in records(world.opd)] == [None, "password"]


@pytest.mark.parametrize(("action", "reason"), [("reset-kata-sandi", "reset"), ("nonaktifkan", "deactivated")])
def test_an_admin_reset_or_deactivation_ends_every_session_of_that_account(app, world, action, reason):
    first, second, other = log_in(app), log_in(app), log_in(app, "disdukcapil")
    admin = log_in(app, "admin")
    assert send(app, admin, "POST", f"/admin/pengguna/{world.opd.id}/{action}").status_code in (200, 302)
    assert not logged_in(app, first) and not logged_in(app, second)
    assert logged_in(app, other) and logged_in(app, admin)
    assert [r.end_reason for r in records(world.opd)] == [reason, reason]


def age(user, **changes: timedelta) -> None:
    """Let time pass for a user's sessions: their timestamps move back by the given amounts."""
    for record in records(user):
        for column, amount in changes.items():
            setattr(record, column, getattr(record, column) - amount)
    db.session.commit()


def test_a_session_idle_longer_than_the_timeout_ends(app, world):
    client = log_in(app)
    age(world.opd, last_seen_at=app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1))
    assert logged_in(app, client)  # just inside the timeout; this request counts as activity
    age(world.opd, last_seen_at=app.config["SESSION_IDLE_TIMEOUT"] + timedelta(seconds=1))
    assert not logged_in(app, client)
    assert records(world.opd)[0].end_reason == "idle"


def test_a_busy_session_still_ends_at_its_absolute_lifetime(app, world):
    client = log_in(app)
    age(world.opd, created_at=app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(minutes=1))
    assert logged_in(app, client)
    age(world.opd, created_at=timedelta(minutes=2))
    assert not logged_in(app, client)
    assert records(world.opd)[0].end_reason == "lifetime"


def test_the_idle_timeout_is_a_setting_in_seconds(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False, "SESSION_IDLE_TIMEOUT": 300})  # as PEKPPP_SESSION_IDLE_TIMEOUT=300
    with app.app_context():
        world = make_world()
        client = log_in(app)
        age(world.opd, last_seen_at=timedelta(seconds=299))
        assert logged_in(app, client)
        age(world.opd, last_seen_at=timedelta(seconds=301))
        assert not logged_in(app, client)


def test_last_seen_is_written_at_most_once_a_minute(app, world):
    client = log_in(app)
    (record,) = records(world.opd)
    first_seen = record.last_seen_at
    for _ in range(3):
        assert logged_in(app, client)
    assert records(world.opd)[0].last_seen_at == first_seen  # three requests, no write
    age(world.opd, last_seen_at=timedelta(seconds=61))
    assert logged_in(app, client)
    assert records(world.opd)[0].last_seen_at > first_seen - timedelta(seconds=61)


def test_the_database_keeps_only_a_hash_of_the_token(app, world):
    client = log_in(app)
    with client.session_transaction() as session:
        token = session["_user_id"]
    (record,) = records(world.opd)
    assert token not in record.token_hash and len(record.token_hash) == 64
