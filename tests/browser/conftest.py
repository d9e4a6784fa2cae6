"""Real-browser end-to-end tests: Debian's Chromium driven by Playwright against the app served for real.

They are slow, so a plain ``pytest`` (``make test``) leaves them out; they run when tests/browser is named
on the command line (``make test-browser``) or chosen with ``-m``. The session builds a fresh SQLite
database with ``flask db upgrade`` and ``flask demo`` in a temporary folder (after the static build step,
``flask digest compile``) and serves it with ``flask run``
on a free port, CSRF on as in production (its log: browser-app0/server.log under pytest's temporary
folder). Without Playwright or Chromium the tests are skipped, except in CI (CI=true), where that fails.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.helpers import Screenshots

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # the main suite's environment has no Playwright: these tests are then deselected
    sync_playwright = None

BROWSER_TESTS = Path(__file__).resolve().parent
ROOT = BROWSER_TESTS.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SERVER_START_SECONDS = 60


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: real-browser test (Chromium); run with make test-browser")


def pytest_collection_modifyitems(config, items):
    """Leave the browser tests out unless tests/browser is named or a -m expression speaks of them."""
    if "browser" in config.option.markexpr or _names_browser_folder(config):
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items:
        config.hook.pytest_deselected(items=browser_items)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


def _names_browser_folder(config) -> bool:
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == BROWSER_TESTS or BROWSER_TESTS in path.parents:
            return True
    return False


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI: uji peramban wajib berjalan)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if sync_playwright is None:
        _unavailable("Playwright tidak terpasang: pip install -r requirements-browser.txt")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium tidak ada di {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            _unavailable(f"Chromium tidak dapat dijalankan: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(*args: str, env: dict, **kwargs):
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args], dict(cwd=ROOT, env=env, **kwargs)


class AppServer:
    """``flask run`` on a fresh demo database in its own folder, CSRF on; a test may stop it and start it again
    (the same database and port), with another secret key if it likes (every session then ends)."""

    def __init__(self, folder: Path, secret_key: str = "browser-tests-secret"):
        self.folder, self.secret_key = folder, secret_key
        self.database = folder / "pekppp.sqlite"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}",
                    "PEKPPP_EVIDENCE_DIR": str(folder / "evidence"), "PEKPPP_PDF_CACHE_DIR": str(folder / "pdf-cache"),
                    "PEKPPP_PACKS_DIR": str(folder / "packs")}
        self.port, self.log = _free_port(), folder / "server.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        for step in (("digest", "compile"), ("db", "upgrade"), ("demo",)):  # the static build step, as in production
            command, options = _flask(*step, env=self.env, capture_output=True, text=True)
            done = subprocess.run(command, check=False, **options)
            if done.returncode:
                pytest.fail(f"flask {' '.join(step)} failed:\n{done.stdout}{done.stderr}", pytrace=False)

    def start(self, secret_key: str | None = None) -> None:
        self.secret_key = secret_key or self.secret_key
        with self.log.open("a") as output:
            command, options = _flask("run", "--host", "127.0.0.1", "--port", str(self.port), "--no-reload",
                                      "--no-debugger", env={**self.env, "PEKPPP_SECRET_KEY": self.secret_key},
                                      stdout=output, stderr=subprocess.STDOUT)
            self.process = subprocess.Popen(command, **options)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"flask run stopped at start:\n{self.log.read_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{self.url}/masuk", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"flask run did not answer within {SERVER_START_SECONDS} s:\n{self.log.read_text()}", pytrace=False)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The base URL of the app on a fresh demo database, with its files in a temporary folder."""
    server = AppServer(tmp_path_factory.mktemp("browser-app"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


class BrowserProblems:
    """Console errors, uncaught exceptions (CSP violations among them) and failed requests seen by the browser."""

    def __init__(self):
        self.seen: list[str] = []
        self.failed_requests: dict[str, str] = {}

    def watch(self, context, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.seen.append(
            f"console error on {page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.seen.append(f"uncaught exception on {page.url}: {error}"))
        context.on("requestfailed", lambda request: self.failed_requests.setdefault(
            request.url, f"request failed: {request.method} {request.url} ({request.failure})"))
        context.on("response", lambda response: response.status >= 400 and self.seen.append(
            f"HTTP {response.status}: {response.request.method} {response.url}"))

    def report(self) -> list[str]:
        """Everything seen, less requests the browser itself cancelled (ERR_ABORTED): a navigation that became
        a download, or a page left (after a click) before its stylesheet or script finished loading on a busy
        machine. A request the server failed still shows as an HTTP status >= 400 above."""
        failed = [problem for problem in self.failed_requests.values() if not problem.endswith("(net::ERR_ABORTED)")]
        return self.seen + failed

    def take_report(self) -> list[str]:
        """The report so far, forgotten afterwards (for a test that asserts on it itself)."""
        reported = self.report()
        self.seen, self.failed_requests = [], {}
        return reported


@pytest.fixture
def problems():
    """Fails the test at teardown if the browser reported any problem during it."""
    seen = BrowserProblems()
    yield seen
    reported = seen.report()
    assert not reported, "the browser reported problems:\n" + "\n".join(reported)


@pytest.fixture
def screenshots(request):
    """Numbered screenshots named after the test module's SCENARIO."""
    return Screenshots(request.module.SCENARIO)


class PageOpener:
    """Opens pages in new browser contexts (their own cookies: one per person logging in) on one server."""

    def __init__(self, browser, base_url: str, problems: BrowserProblems):
        self.browser, self.base_url, self.problems, self.contexts = browser, base_url, problems, []

    def __call__(self, width: int = 1366, height: int = 900, **options):
        context = self.browser.new_context(base_url=self.base_url, viewport={"width": width, "height": height},
                                           locale="id-ID", timezone_id="Asia/Jakarta", reduced_motion="reduce",
                                           accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        self.problems.watch(context, page)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser, live_server, problems):
    """Open a page in a new browser context on the session's server."""
    opener = PageOpener(browser, live_server, problems)
    yield opener
    opener.close()
