"""Login, logout, password change and where ``next`` may lead."""
import pytest
from flask import g
from flask_login import current_user

from assessment.extensions import db
from tests.factories import PASSWORD

SAME_MESSAGE = "Nama pengguna atau kata sandi salah."


def test_login_page_renders(client):
    page = client.get("/masuk")
    assert page.status_code == 200 and "Nama pengguna" in page.text


def test_opd_login_lands_on_its_dashboard(client, auth, world):
    response = auth.login("dpmptsp")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/", follow_redirects=True).request.path == "/penilaian"


def test_reviewer_login_lands_on_the_overview(client, auth, world):
    auth.login("organisasi")
    assert client.get("/", follow_redirects=True).request.path == "/organisasi/"


@pytest.mark.parametrize(("username", "password"), [("dpmptsp", "salah-sekali"), ("tidak-ada", PASSWORD)])
def test_unknown_user_and_wrong_password_get_the_same_message(client, auth, world, username, password):
    response = auth.login(username, password, follow=True)
    assert SAME_MESSAGE in response.text
    with client:
        client.get("/masuk")
        assert not current_user.is_authenticated


def test_inactive_account_cannot_log_in(client, auth, world):
    world.opd.active = False
    db.session.commit()
    assert SAME_MESSAGE in auth.login("dpmptsp", follow=True).text


def test_username_is_matched_without_case_or_spaces(client, auth, world):
    assert auth.login("  DPMPTSP ").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/penilaian", "/penilaian"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_stays_on_the_site(client, world, target, expected):
    response = client.post(f"/masuk?next={target}", data={"username": "dpmptsp", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_logout_needs_post_and_ends_the_session(client, auth, world):
    auth.login("dpmptsp")
    assert client.get("/keluar").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/penilaian").headers["Location"].startswith("/masuk")


def test_pages_need_login(client, world):
    for path in ("/penilaian", f"/penilaian/{world.assessment.id}/aspek/a", "/organisasi/", "/akun/kata-sandi"):
        assert client.get(path).headers["Location"].startswith("/masuk?next=")


def change(client, current, new, confirm=None):
    return client.post("/akun/kata-sandi", data={
        "current_password": current, "new_password": new, "confirm": confirm or new}, follow_redirects=True)


def test_change_password_checks_and_then_works(client, auth, world):
    auth.login("dpmptsp")
    assert "Kata sandi saat ini salah." in change(client, "keliru", "kata-sandi-baru-1").text
    assert "minimal 10 karakter" in change(client, PASSWORD, "pendek").text
    assert "tidak sama" in change(client, PASSWORD, "kata-sandi-baru-1", "kata-sandi-baru-2").text
    assert "berhasil diubah" in change(client, PASSWORD, "kata-sandi-baru-1").text
    auth.logout()
    assert SAME_MESSAGE in auth.login("dpmptsp", PASSWORD, follow=True).text
    assert auth.login("dpmptsp", "kata-sandi-baru-1").status_code == 302


def as_browser(browser):
    """One of several test clients, about to send a request. The test's app context (and with it Flask-Login's
    cached user in ``g``) outlives each request, so the previous client's user is dropped, as a server would."""
    g.pop("_login_user", None)
    return browser


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, world):
    here, elsewhere = app.test_client(), app.test_client()  # two browsers of the same person
    for browser in (here, elsewhere):
        as_browser(browser).post("/masuk", data={"username": "dpmptsp", "password": PASSWORD})
        assert as_browser(browser).get("/penilaian").status_code == 200
    assert "berhasil diubah" in change(as_browser(here), PASSWORD, "kata-sandi-baru-1").text
    assert as_browser(here).get("/penilaian").status_code == 200
    assert as_browser(elsewhere).get("/penilaian").headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("cookie_id", ["", "abc", "1", "1:", "1:0000000000000000", "99:x", ":", "1:2:3"])
def test_a_cookie_naming_no_open_session_is_logged_out(client, world, cookie_id):
    """Whatever the cookie names (a user id, the "<id>:<stamp>" of cookies from before server-side sessions)."""
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = cookie_id, True
    assert client.get("/penilaian").headers["Location"].startswith("/masuk")
