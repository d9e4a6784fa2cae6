"""Item 3: an admin's one-time password is shown in the answer that made it; no cookie and no later page holds it."""
from __future__ import annotations

import re

import sqlalchemy as sa

from assessment.domain.models import User
from assessment.extensions import db
from tests.security.conftest import send

SECRET = re.compile(r'<span class="secret"[^>]*>([^<]+)</span>')


def session_contents(app, client) -> str:
    """What the (signed, not encrypted) session cookie carries, as anyone holding it can read it."""
    return str(app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value))


def test_a_reset_password_is_in_no_cookie_and_on_no_later_page(app, browser, world):
    admin = browser(world.admin)
    page = send(app, admin, "POST", f"/admin/pengguna/{world.opd.id}/reset-kata-sandi")
    password = SECRET.search(page.text).group(1)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    db.session.refresh(world.opd)  # changed by the request's own session
    assert world.opd.check_password(password)
    saved = admin.get_cookie("session").value
    assert password not in session_contents(app, admin)
    replayed = app.test_client()
    replayed.set_cookie("session", saved)
    for path in (f"/admin/pengguna/{world.opd.id}", "/admin/pengguna"):
        assert password not in send(app, replayed, "GET", path).text, path
    assert send(app, replayed, "GET", f"/admin/pengguna/{world.opd.id}/kata-sandi-sementara").status_code == 404


def test_a_new_accounts_password_is_in_no_cookie_either(app, browser, world):
    admin = browser(world.admin)
    page = send(app, admin, "POST", "/admin/pengguna/baru", data={
        "username": "budi.s", "full_name": "Budi Santoso", "nip": "", "role": "opd", "unit_id": str(world.unit.id)})
    password = SECRET.search(page.text).group(1)
    assert password not in session_contents(app, admin)
    created = db.session.scalar(sa.select(User).where(User.username == "budi.s"))
    assert password not in send(app, admin, "GET", f"/admin/pengguna/{created.id}").text
    assert created.check_password(password)
