"""Security headers, session cookie and its renewal at login, audit of logins, login rate limit.

The items of the outside security test (issue 11) each have their module in tests/security/.
"""
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from redis.exceptions import RedisError

from assessment.auth import views as auth_views
from assessment.domain.models import AuditEvent, UserSession
from assessment.extensions import db
from assessment.web.security import limiter, rate_limit_storage_uri, safe_next
from tests import factories
from tests.factories import PASSWORD

LIMITED = "Terlalu banyak percobaan masuk. Coba lagi dalam beberapa menit."
WRONG = "Nama pengguna atau kata sandi salah."
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def app_with(request, make_app):
    """An app with extra settings (``@pytest.mark.parametrize("app_with", [{...}], indirect=True)``) and a world."""
    app = make_app({"WTF_CSRF_ENABLED": False, **getattr(request, "param", {})})
    with app.app_context():
        factories.make_world()
        yield app


def login(client, username="dpmptsp", password=PASSWORD):
    return client.post("/masuk", data={"username": username, "password": password})


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- headers -------------------------------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize(("path", "status"), [
    ("/masuk", 200),                          # a page
    ("/halaman-yang-tidak-ada", 404),          # an error page
    ("/static/css/app.css", 200),              # one of our static files
    ("/static/vendor/bootstrap/bootstrap.min.css", 200),
    ("/penilaian", 302),                       # a redirect to the login
])
def test_every_response_carries_the_security_headers(client, world, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name
    assert "Strict-Transport-Security" not in response.headers  # plain http by default
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"] and directives["base-uri"] == ["'self'"]


def test_csp_allows_no_inline_script(client):
    directives = csp_directives(client.get("/masuk"))
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"} & set(directives["script-src"])
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # style="width: …%" of progress bars


def test_pages_carry_no_inline_script(client, auth, world):
    auth.login("admin")
    for path in ("/organisasi/", "/admin/pengguna", "/admin/periode/", f"/organisasi/penilaian/{world.assessment.id}/verifikasi"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert not re.search(r"\son[a-z]+\s*=", page), path


def test_errors_and_server_errors_carry_the_headers_too(app, client, world):
    app.view_functions["auth.login"] = lambda: 1 / 0  # any view that fails
    response = client.get("/masuk")
    assert response.status_code == 500 and response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("app_with", [{"SESSION_COOKIE_SECURE": True}], indirect=True)
def test_https_settings_add_hsts_and_a_secure_cookie(app_with):
    client = app_with.test_client()
    assert client.get("/masuk").headers["Strict-Transport-Security"] == "max-age=31536000"
    cookie = login(client).headers["Set-Cookie"]
    assert "; Secure" in cookie


# --- session ---------------------------------------------------------------------------------------------------

def test_session_cookie_is_http_only_lax_and_lasts_a_working_day(client, world):
    cookie = login(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=10))) < timedelta(minutes=5)
    client.get("/penilaian")  # the first page puts its CSRF token in the session
    assert "Set-Cookie" not in client.get("/penilaian").headers  # later requests do not move the login's end


def test_login_starts_a_new_session(client, world):
    with client.session_transaction() as session:
        session["planted"] = "sebelum masuk"
        session["_user_id"] = "999"  # a fixation attempt
    before = client.get_cookie("session").value
    assert login(client).status_code == 302
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        token = session["_user_id"]
    (record,) = db.session.scalars(sa.select(UserSession))
    assert token != "999" and len(token) >= 40 and record.user_id == world.opd.id and record.ended_at is None


def test_a_csrf_token_from_before_the_login_is_refused_after_it(make_app):
    app = make_app({"SECRET_KEY": "security-test"})  # CSRF on, as in production
    with app.app_context():
        factories.make_world()
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/masuk").text).group(1)
        assert client.post("/masuk", data={"username": "dpmptsp", "password": PASSWORD, "csrf_token": token}).status_code == 302
        assert client.post("/keluar", data={"csrf_token": token}).status_code == 400


def test_logout_empties_the_session(client, auth, world):
    auth.login("dpmptsp")
    with client.session_transaction() as session:
        session["leftover"] = "x"
    auth.logout()
    with client.session_transaction() as session:
        assert set(session) <= {"_flashes"}


# --- audit -----------------------------------------------------------------------------------------------------

def test_logins_failures_and_logouts_are_audited(client, auth, world):
    login(client, "dpmptsp", "salah-sekali-123")
    login(client, "tidak-ada", "rahasia-tebakan")
    auth.login("dpmptsp")
    auth.logout()
    failed = events("auth.login_failed")
    assert [e.user_id for e in failed] == [None, None]
    assert "dpmptsp" in failed[0].note and "tidak-ada" in failed[1].note
    assert not any("salah-sekali" in (e.note or "") + (e.new_value or "") for e in db.session.scalars(sa.select(AuditEvent)))
    assert [e.user_id for e in events("auth.login")] == [world.opd.id]
    assert [e.user_id for e in events("auth.logout")] == [world.opd.id]


def test_an_unknown_user_costs_a_password_check_too(client, world, monkeypatch):
    checked = []
    real_check = auth_views.check_password_hash
    monkeypatch.setattr(auth_views, "check_password_hash", lambda *args: checked.append(1) or real_check(*args))
    assert WRONG in client.post("/masuk", data={"username": "tidak-ada", "password": "x"}, follow_redirects=True).text
    assert checked == [1]
    assert auth_views._unknown_user_hash().startswith("scrypt:")  # the cost of a real account's hash


def test_passwords_are_stored_with_scrypt(world):
    assert world.opd.password_hash.startswith("scrypt:")
    world.opd.set_password("kata-sandi-baru-1")
    assert world.opd.password_hash.startswith("scrypt:") and world.opd.check_password("kata-sandi-baru-1")


# --- login rate limit ---------------------------------------------------------------------------------------------

def test_eleventh_attempt_is_refused_even_with_the_right_password(client, world):
    for _ in range(10):
        assert WRONG in client.post("/masuk", data={"username": "dpmptsp", "password": "tebakan-salah"},
                                    follow_redirects=True).text
    refused = login(client)
    assert refused.status_code == 429 and LIMITED in refused.text
    assert refused.headers["Content-Security-Policy"]  # the 429 page is a page like any other
    assert login(client, " DPMPTSP ").status_code == 429  # the same username, written differently
    assert client.get("/masuk").status_code == 200  # only attempts are counted, not the form
    assert login(client, "disdukcapil").status_code == 302  # another account from the same address
    assert len(events("auth.login_failed")) == 10  # refused attempts do not even reach the password check


@pytest.mark.parametrize("app_with", [{"LOGIN_RATE_LIMIT_PER_ADDRESS": "3 per minute"}], indirect=True)
def test_one_address_trying_many_usernames_is_limited_too(app_with):
    client = app_with.test_client()
    for name in ("satu", "dua", "tiga"):
        assert login(client, name).status_code == 200
    assert login(client, "dpmptsp").status_code == 429


@pytest.mark.parametrize("app_with", [{"LOGIN_RATE_LIMIT_PER_ADDRESS": "2 per minute", "TRUSTED_PROXIES": 1}],
                         indirect=True)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(app_with):
    client = app_with.test_client()
    proxied = {"X-Forwarded-For": "10.0.0.1"}
    for name in ("satu", "dua"):
        assert client.post("/masuk", data={"username": name, "password": "x"}, headers=proxied).status_code == 200
    assert client.post("/masuk", data={"username": "tiga", "password": "x"}, headers=proxied).status_code == 429
    assert login(client).status_code == 302  # no header: another client
    assert "10.0.0.1" in events("auth.login_failed")[0].note


@pytest.mark.parametrize("app_with", [{"RATELIMIT_ENABLED": False}], indirect=True)
def test_the_limit_can_be_switched_off(app_with):
    client = app_with.test_client()
    for _ in range(12):
        assert login(client, password="salah").status_code == 200
    assert login(client).status_code == 302


@pytest.mark.parametrize("app_with", [{"LOGIN_RATE_LIMIT": "2 per minute"}], indirect=True)
def test_the_limit_is_a_setting(app_with):
    client = app_with.test_client()
    for _ in range(2):
        assert login(client, password="salah").status_code == 200
    assert login(client).status_code == 429


def _redis_available() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason=f"Redis tidak tersedia di {REDIS_URL}")
def test_counts_live_in_redis(make_app):
    username = f"uji-redis-{secrets.token_hex(4)}"
    per_address = "1000 per 7 minute"  # an unusual window, so this test's keys are easy to find and remove
    app = make_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": REDIS_URL, "LOGIN_RATE_LIMIT": "2 per minute",
                    "LOGIN_RATE_LIMIT_PER_ADDRESS": per_address})
    redis = Redis.from_url(REDIS_URL)
    try:
        with app.app_context():
            client = app.test_client()
            assert [login(client, username, "salah").status_code for _ in range(3)] == [200, 200, 429]
        assert redis.keys(f"*/127.0.0.1/{username}/auth.login/2/1/minute")
    finally:
        for pattern in (f"*/{username}/*", "*/auth.login/1000/7/minute"):
            for key in redis.scan_iter(pattern):
                redis.delete(key)


@pytest.mark.parametrize("app_with", [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "LOGIN_RATE_LIMIT": "2 per minute"}],
                         indirect=True)
def test_an_unreachable_redis_falls_back_to_counting_in_memory(app_with, monkeypatch):
    monkeypatch.setattr(limiter, "_storage_dead", False)  # restored afterwards: the limiter object is shared
    client = app_with.test_client()
    assert [login(client, password="salah").status_code for _ in range(3)] == [200, 200, 429]
    assert login(client, "disdukcapil").status_code == 302


def test_counts_live_in_redis_when_redis_url_is_set():
    assert rate_limit_storage_uri({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    assert rate_limit_storage_uri({"REDIS_URL": None, "RATELIMIT_STORAGE_URI": None}) == "memory://"
    assert rate_limit_storage_uri({"REDIS_URL": "redis://a", "RATELIMIT_STORAGE_URI": "memory://"}) == "memory://"


# --- input -----------------------------------------------------------------------------------------------------------

def test_a_nul_character_is_refused_before_any_view(client, auth, world):
    assert client.get("/masuk?next=/%00").status_code == 400
    assert client.get("/v/ABCD%00").status_code == 400
    auth.login("dpmptsp")
    url = f"/penilaian/{world.assessment.id}/aspek/a"
    nul = {"1_a_Ak-justification": "ada\x00nul", "1_a_Ak-version": "0", "action": "save"}
    assert client.post(url, data=nul).status_code == 400


def test_an_id_too_large_for_the_database_is_not_found(client, auth, world):
    auth.login("admin")
    for path in ("/penilaian/{}/ringkasan", "/laporan/{}/rekap.pdf", "/admin/unit/{}", "/organisasi/hasil/unit/{}"):
        for big in (2**31, 2**63, 10**30):
            assert client.get(path.format(big)).status_code == 404, path.format(big)
    for path in ("/organisasi/?tahun={}", "/organisasi/hasil/?tahun={}"):  # a year in the query, not the route
        assert client.get(path.format(10**30)).status_code < 500, path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_next_never_leaves_the_site(app, target):
    with app.test_request_context():
        destination = safe_next(target)
    assert destination.startswith("/") and not destination.startswith("//")
    assert "\\" not in destination and destination.isprintable()
