"""Item 7: guesses of the current password at /akun/kata-sandi are limited per account."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.auth.views import TOO_MANY_GUESSES
from assessment.domain.models import AuditEvent
from assessment.extensions import db
from tests.factories import PASSWORD, make_world, sign_in
from tests.security.conftest import send

NEW = "kopi-hujan-sepeda-merah"


@pytest.fixture
def guessing_app(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False, "PASSWORD_CHECK_RATE_LIMIT": "3 per 15 minutes"})
    with app.app_context():
        yield app, make_world()


def browser(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def change(app, client, current: str, new: str = NEW):
    return send(app, client, "POST", "/akun/kata-sandi", data={"current_password": current, "new_password": new,
                                                                "confirm": new})


def failed_checks() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "auth.password_check_failed"))


def test_after_the_limit_even_the_right_password_is_refused(guessing_app):
    app, world = guessing_app
    client = browser(app, world.opd)
    for guess in ("tebakan-satu-1", "tebakan-dua-22", "tebakan-tiga-3"):
        assert "Kata sandi saat ini salah." in change(app, client, guess).text
    refused = change(app, client, PASSWORD)
    assert refused.status_code == 429 and TOO_MANY_GUESSES in refused.text
    db.session.refresh(world.opd)
    assert world.opd.check_password(PASSWORD) and failed_checks() == 3
    assert send(app, client, "GET", "/akun/kata-sandi").status_code == 200  # the form itself is not counted


def test_the_limit_is_per_account_not_per_session(guessing_app):
    app, world = guessing_app
    first, second, other_account = browser(app, world.opd), browser(app, world.opd), browser(app, world.other_opd)
    for client in (first, second, first):
        change(app, client, "tebakan-salah-1")
    assert change(app, second, PASSWORD).status_code == 429
    assert change(app, other_account, PASSWORD).status_code == 302  # another account guesses nothing


def test_only_wrong_current_passwords_count(guessing_app):
    app, world = guessing_app
    client = browser(app, world.opd)
    for _ in range(5):  # the right current password with a refused new one: no guess
        assert "paling sering dipakai" in change(app, client, PASSWORD, "password123").text
    assert change(app, client, PASSWORD).status_code == 302


def test_the_default_limit_is_on(app):
    assert app.config["PASSWORD_CHECK_RATE_LIMIT"] == "5 per 15 minutes; 20 per day"
