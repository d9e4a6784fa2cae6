"""What the security suite shares: clients with real server-side sessions, PDFs read back as text, and gunicorn."""
from __future__ import annotations

import http.client
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
SERVER_START_SECONDS = 90


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:60]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def browser(app):
    """``browser(user)``: a new client with a real server-side session of ``user`` (anonymous without one)."""
    def make(user=None):
        client = app.test_client()
        if user is not None:
            factories.sign_in(client, user)
        return client
    return make


def send(app, client, method: str, url: str, **kwargs):
    """One request in an app context of its own, as a server runs it (Flask-Login keeps the user in ``g``)."""
    with app.app_context():
        return client.open(url, method=method, **kwargs)


# --- gunicorn, for real -------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def server_environment(port: int, settings: dict[str, str]) -> dict[str, str]:
    """The process environment without the caller's PEKPPP_/GUNICORN_ settings, plus this server's."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PEKPPP_", "GUNICORN_")) and name not in ("DATABASE_URL", "REDIS_URL")}
    return env | {"GUNICORN_BIND": f"{LOOPBACK}:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2",
                  "GUNICORN_ACCESS_LOG": ""} | settings


def start_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as output:
        return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


@contextmanager
def gunicorn(tmp_path: Path, settings: dict[str, str]) -> Iterator[int]:
    """gunicorn with gunicorn.conf.py on a free loopback port, until /health answers; yields the port."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(server_environment(port, settings), log)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            if _healthy(port):
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"gunicorn did not start (exit code {server.poll()}):\n{log.read_text(errors='replace')[-3000:]}")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=90)


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class HttpBrowser:
    """Cookies and the CSRF token over plain http.client: a browser as far as the server can tell."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: str | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.data = response.read()
        connection.close()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        return response

    def log_in(self, username: str, password: str = factories.PASSWORD) -> None:
        page = self.request("GET", "/masuk").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        answer = self.request("POST", "/masuk", urlencode({"csrf_token": token, "username": username,
                                                           "password": password}))
        assert answer.status == 302, answer.data[:500]
