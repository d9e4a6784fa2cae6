"""Load test: OPD users saving answers at the same time through gunicorn, then a check that no saved answer was lost.

    .venv/bin/python benchmarks/load.py [--users 100] [--duration 60] [--think 1.0]
    .venv/bin/python benchmarks/load.py --database-url postgresql://postgres@127.0.0.1:5432/pekppp_load

1. Prepares a fresh database (SQLite in a temporary folder, or the PostgreSQL database named by
   --database-url, which must not exist yet: it is created here and dropped at the end): the
   migrations, one open period, and per simulated user a unit with its own OPD account.
2. Starts gunicorn with gunicorn.conf.py on 127.0.0.1 (a free port; nothing else is ever contacted).
3. Every user logs in for real (login page, CSRF token, POST), opens a page of its form, then saves
   for --duration seconds as the page's autosave does: one indicator's level and justification changed,
   sent alone with the version read from that indicator's last JSON reply and a new idempotency key.
   Between saves a user waits --think seconds on average (0: as fast as the server answers).
4. Prints saves/s, p50/p95/p99 latency, errors and CPU per save (and SQL statements per save when served by
   ``--app benchmarks.counting_app:app``, which adds them to every reply), stops gunicorn, and reads the database back: for
   every indicator the last acknowledged (200) value must be stored, and its version must equal the
   number of acknowledged saves of it (each save bumps it by one), so no acknowledged save is missing;
   and each assessment's stored score (assessment/domain/stored_scores.py) must equal the score of its answers.

Exit code 1 when a target is missed (errors, lost writes, stored scores that differ from the answers, p95 >= 500 ms).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from assessment import create_app  # noqa: E402
from assessment.config import normalise_database_url  # noqa: E402
from assessment.domain.answers import assessment_for  # noqa: E402
from assessment.domain.instrument import load_default_instrument  # noqa: E402
from assessment.domain.models import Role  # noqa: E402
from assessment.domain.scoring import score  # noqa: E402
from assessment.extensions import db  # noqa: E402
from assessment.web.form_fields import field_key, new_save_key  # noqa: E402
from tests import factories  # noqa: E402

LOOPBACK = "127.0.0.1"
P95_TARGET_MS = 500
REQUEST_TIMEOUT = 30  # seconds; a save slower than this counts as an error
MAX_SAVES_PER_USER = 10_000  # a bound besides the duration, whatever --think says
KEEPALIVE_MARGIN = 4  # seconds; gunicorn.conf.py closes a connection idle for 5 s
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
INSTRUMENT = load_default_instrument()
ASPECTS = INSTRUMENT.aspects


# ---------------------------------------------------------------------------------------------------------------
# The database: a fresh one, prepared through the app, dropped at the end
# ---------------------------------------------------------------------------------------------------------------

@contextmanager
def fresh_database(url: str | None, keep: bool = False):
    """Yield the URL of an empty database: SQLite in a temporary folder, or a new PostgreSQL database.

    A PostgreSQL database that already exists is refused, never reused or dropped: only what this
    script created is dropped.
    """
    if url is None:
        with tempfile.TemporaryDirectory(prefix="pekppp-load-") as folder:
            yield f"sqlite:///{folder}/load.sqlite"
        return
    target = sa.make_url(normalise_database_url(url))
    if target.host not in (None, "", LOOPBACK, "localhost", "::1"):
        sys.exit(f"Only a database on this machine (loopback) is used, not {target.host}.")
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with server.connect() as connection:
        if connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}):
            sys.exit(f"Database {target.database} already exists; name a new one (it is created and dropped here).")
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    try:
        yield target.render_as_string(hide_password=False)
    finally:
        if not keep:
            with server.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        server.dispose()


def prepare(url: str, users: int) -> list[tuple[str, int]]:
    """Migrations, an open period, and per user a unit, its OPD account and its (empty) assessment."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test"})
    with app.app_context():
        upgrade()
        period = factories.make_period()
        accounts = []
        for number in range(users):
            unit = factories.make_unit(f"LOAD{number:03d}")
            user = factories.make_user(f"opd{number:03d}", Role.OPD, unit)
            accounts.append((user.username, assessment_for(unit, period).id))
        db.session.commit()
        db.engine.dispose()
    return accounts


# ---------------------------------------------------------------------------------------------------------------
# The server: gunicorn with the production configuration, on loopback
# ---------------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def server_environment(url: str, port: int, workers: int | None, threads: int | None) -> dict:
    """gunicorn.conf.py as in production, plus what a test needs: many logins from one address."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PEKPPP_", "GUNICORN_")) and name not in ("DATABASE_URL", "REDIS_URL")}
    env.update({
        "DATABASE_URL": url,
        "PEKPPP_SECRET_KEY": "load-test",
        "GUNICORN_BIND": f"{LOOPBACK}:{port}",
        # Every simulated user logs in from 127.0.0.1: the per-address login limit would stop the 61st.
        "PEKPPP_LOGIN_RATE_LIMIT_PER_ADDRESS": "100000 per minute",
        # Not a server people use: no public address to print, no Redis needed for the login limit. The checks
        # PRODUCTION turns on (assessment/web/production.py) only refuse settings; they change no request's work.
        "PEKPPP_PRODUCTION": "false",
    })
    env.update({name: str(value) for name, value in (("GUNICORN_WORKERS", workers), ("GUNICORN_THREADS", threads))
                if value})
    return env


@contextmanager
def gunicorn(env: dict, port: int, logs: Path, wsgi_app: str):
    with open(logs / "gunicorn.out", "wb") as out, open(logs / "gunicorn.err", "wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), wsgi_app],
                                  cwd=ROOT, env=env, stdout=out, stderr=err)
        try:
            wait_until_healthy(port, server, logs / "gunicorn.err")
            yield server
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=120)


def wait_until_healthy(port: int, server: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    """Wait for GET /health to answer 200; else stop with the end of gunicorn's log (its folder is temporary)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    sys.exit(f"gunicorn did not answer /health (exit code {server.poll()}); the end of its log:\n{tail}")


def postgres_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the test database (none for SQLite)."""
    if not url.startswith("postgresql"):
        return []
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        pids = connection.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                          "AND pid <> pg_backend_pid()")).all()
    engine.dispose()
    return list(pids)


def process_cpu_seconds(pid: int, with_children: bool = False) -> float:
    """utime + stime of one process (and of its reaped children), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError):
                pass
    return found


def cpu_seconds(pid: int) -> float:
    """CPU used so far by gunicorn: the master, its live workers, and the workers it has already reaped."""
    return process_cpu_seconds(pid, with_children=True) + sum(process_cpu_seconds(child) for child in children(pid))


def resident_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


@dataclass
class Meter:
    """CPU used by gunicorn, by PostgreSQL's backends for the test database and by this script; the machine's load."""

    server_pid: int
    url: str

    def __post_init__(self):
        self.load_before = os.getloadavg()[0]
        self.database_start = {pid: process_cpu_seconds(pid) for pid in postgres_backends(self.url)}
        self.start = (time.monotonic(), cpu_seconds(self.server_pid), time.process_time())

    def stop(self) -> None:
        now = (time.monotonic(), cpu_seconds(self.server_pid), time.process_time())
        self.elapsed, self.server, self.client = (after - before for before, after in zip(self.start, now, strict=True))
        backends = set(self.database_start) | set(postgres_backends(self.url))
        self.database = sum(max(0.0, process_cpu_seconds(pid) - self.database_start.get(pid, 0.0)) for pid in backends)
        self.load_after = os.getloadavg()[0]
        self.worker_memory = sorted(resident_mb(child) for child in children(self.server_pid))


# ---------------------------------------------------------------------------------------------------------------
# A simulated OPD user
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Save:
    latency: float
    status: int | str  # the HTTP status, or the name of the exception


@dataclass
class OpdUser:
    username: str
    assessment_id: int
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    # What the server acknowledged last, per indicator code: (level, justification), and how many saves it took.
    acknowledged: dict[str, tuple[int, str]] = field(default_factory=dict)
    acknowledged_saves: Counter = field(default_factory=Counter)
    versions: dict[str, int] = field(default_factory=dict)  # by field key, from the last JSON reply
    saves: list[Save] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)  # per save, when the server reports them
    last_statements: str | None = None
    resent: int = 0  # requests sent again because a reused keep-alive connection was already closed
    last_used: float = 0.0

    def __post_init__(self):
        self.connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=REQUEST_TIMEOUT)

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        """One request on the user's keep-alive connection, with its cookies; returns (status, body).

        Like a browser, it opens a new connection when the server may have closed an idle one, and
        sends a request once more when a reused connection turns out closed before any answer came.
        """
        if time.monotonic() - self.last_used > KEEPALIVE_MARGIN:
            self.connection.close()
        reused = self.connection.sock is not None
        try:
            return self._exchange(method, path, form, headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            if not reused:
                raise
            self.connection.close()
            self.resent += 1
            return self._exchange(method, path, form, headers)

    def _exchange(self, method: str, path: str, form: dict | None, headers: dict | None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        self.last_used = time.monotonic()
        self.last_statements = response.headers.get("X-SQL-Statements")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, payload

    def log_in(self) -> None:
        """The real login: the page's CSRF token, the POST, then a form page for the session's new token."""
        _, page = self.request("GET", "/masuk")
        token = CSRF_INPUT.search(page.decode()).group(1)
        status, _ = self.request("POST", "/masuk", {"username": self.username, "password": factories.PASSWORD,
                                                    "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"{self.username}: login answered {status}")
        status, page = self.request("GET", f"/penilaian/{self.assessment_id}/aspek/{ASPECTS[0].code}")
        if status != 200:
            raise RuntimeError(f"{self.username}: form page answered {status}")
        self.csrf_token = CSRF_INPUT.search(page.decode()).group(1)

    def save_once(self, number: int, rng: random.Random) -> None:
        """Change one indicator and send it alone, as the autosave does."""
        aspect = rng.choice(ASPECTS)
        changed = rng.choice(aspect.indicators).code
        new_value = (rng.randint(0, 5), f"Penjelasan {changed}, simpanan ke-{number} oleh {self.username}.")
        key = field_key(changed)
        form = {"csrf_token": self.csrf_token, "action": "autosave", f"{key}-level": new_value[0],
                f"{key}-justification": new_value[1], f"{key}-version": self.versions.get(key, 0),
                f"{key}-key": new_save_key()}
        started = time.perf_counter()
        try:
            status, body = self.request("POST", f"/penilaian/{self.assessment_id}/aspek/{aspect.code}", form,
                                        {"X-Autosave": "1", "Accept": "application/json"})
        except (OSError, http.client.HTTPException) as problem:
            self.saves.append(Save(time.perf_counter() - started, type(problem).__name__))
            self.connection.close()  # the next request opens a new connection
            return
        self.saves.append(Save(time.perf_counter() - started, status))
        if self.last_statements is not None:
            self.statements.append(int(self.last_statements))
        if status == 200:
            self.versions[key] = json.loads(body)["entries"][key]["version"]
            self.acknowledged[changed] = new_value
            self.acknowledged_saves[changed] += 1

    def run(self, until: float, think: float, seed: int) -> None:
        """Save until ``until``; the first save comes after a random part of one think time, as people do not
        all start typing at the same instant (a synchronised start would measure one burst of every user)."""
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, think))
        for number in range(1, MAX_SAVES_PER_USER + 1):
            if time.monotonic() >= until:
                break
            self.save_once(number, rng)
            if think:
                time.sleep(min(rng.uniform(0.5, 1.5) * think, max(0.0, until - time.monotonic())))
        self.connection.close()


def log_in_all(users: list[OpdUser], parallel: int = 8) -> None:
    """Log everyone in, a few at a time (each login costs a deliberately slow password hash)."""
    pending = list(users)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                user = pending.pop()
            user.log_in()

    run_threads([worker] * parallel)


def run_threads(targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# ---------------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Check:
    acknowledged_saves: int
    stored_saves: int  # the sum of the stored versions of the acknowledged indicators
    indicators: int
    matching: int
    lost: list[str]
    unacknowledged: list[str]  # stored changes no 200 reply reported (a save that failed after its commit)
    stale_scores: list[int] = field(default_factory=list)  # assessments whose stored score differs from their answers


def check_database(url: str, users: list[OpdUser]) -> Check:
    """Compare every user's acknowledged saves with what the database holds."""
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT assessment_id, indicator_code, level, justification, version FROM answers")).all()
        stored_scores = connection.execute(sa.text("SELECT id, answered_count, self_ipp FROM assessments")).all()
    engine.dispose()
    stored = {(row.assessment_id, row.indicator_code): row for row in rows}
    check = Check(0, 0, 0, 0, [], [])
    for user in users:
        for code, (level, justification) in user.acknowledged.items():
            row = stored.get((user.assessment_id, code))
            count = user.acknowledged_saves[code]
            check.acknowledged_saves += count
            check.indicators += 1
            check.stored_saves += row.version if row else 0
            if row is not None and (row.level, row.justification) == (level, justification) and row.version == count:
                check.matching += 1
            elif row is None or row.version < count or (row.level, row.justification) != (level, justification):
                check.lost.append(f"{user.username} {code}")
            else:
                check.unacknowledged.append(f"{user.username} {code}")
    known = {(user.assessment_id, code) for user in users for code in user.acknowledged}
    check.unacknowledged += [f"assessment {key[0]} {key[1]}" for key in stored if key not in known]
    # Concurrent saves must leave each assessment's stored score equal to the score of its answers.
    instrument, levels = load_default_instrument(), defaultdict(dict)
    for row in rows:
        levels[row.assessment_id][row.indicator_code] = row.level
    for assessment_id, answered, ipp in stored_scores:
        expected = score(instrument, levels[assessment_id])
        if (answered, f"{Decimal(str(ipp)):.8f}") != (expected.answered, f"{expected.ipp:.8f}"):
            check.stale_scores.append(assessment_id)
    return check


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1] if len(values) > 1 else values[0]


def report(users: list[OpdUser], meter: Meter, check: Check, label: str) -> bool:
    """Print the figures; True when every target is met."""
    saves = [save for user in users for save in user.saves]
    latencies = sorted(save.latency * 1000 for save in saves)
    errors = Counter(str(save.status) for save in saves if save.status != 200)
    p50, p95, p99 = (percentile(latencies, share) for share in (50, 95, 99))
    lost = len(check.lost)
    per_save = 1000 / max(len(saves), 1)
    print(f"Load test, {label}: {len(users)} users, {meter.elapsed:.1f} s, {os.cpu_count()} cores, "
          f"load average {meter.load_before:.1f} before, {meter.load_after:.1f} after")
    print(f"  saves            {len(saves)}  ({len(saves) / meter.elapsed:.1f}/s)")
    print(f"  CPU              gunicorn {meter.server:.1f} s ({meter.server * per_save:.1f} ms per save), "
          f"PostgreSQL {meter.database:.1f} s ({meter.database * per_save:.1f} ms per save), "
          f"load generator {meter.client:.1f} s")
    if meter.worker_memory:
        print(f"  memory           {len(meter.worker_memory)} workers, resident {meter.worker_memory[0]:.0f}–"
              f"{meter.worker_memory[-1]:.0f} MB each after the run")
    print(f"  latency ms       p50 {p50:.0f}   p95 {p95:.0f}   p99 {p99:.0f}   max {latencies[-1]:.0f}")
    statements = [count for user in users for count in user.statements]
    if statements:
        print(f"  SQL statements   {sum(statements) / len(statements):.2f} per save (the whole request, login check "
              f"included; {min(statements)}–{max(statements)})")
    print(f"  errors           {sum(errors.values())}  {dict(errors) if errors else ''}")
    print(f"  acknowledged     {check.acknowledged_saves} saves on {check.indicators} indicators; "
          f"stored {check.stored_saves} saves (sum of versions); {check.matching} indicators match")
    print(f"  lost writes      {lost}  {check.lost[:5] if lost else ''}")
    print(f"  stored scores    {len(check.stale_scores)} assessments differ from their answers "
          f"{check.stale_scores[:5] if check.stale_scores else ''}")
    print(f"  resent           {sum(user.resent for user in users)} (reused keep-alive connection found closed)")
    if check.unacknowledged:
        print(f"  stored without a 200 reply: {len(check.unacknowledged)} {check.unacknowledged[:5]}")
    verdicts = [("errors", sum(errors.values()) == 0), ("lost writes", lost == 0),
                ("stored scores", not check.stale_scores), (f"p95 < {P95_TARGET_MS} ms", p95 < P95_TARGET_MS)]
    print("  targets          " + ", ".join(f"{name}: {'OK' if ok else 'MISSED'}" for name, ok in verdicts))
    return all(ok for _, ok in verdicts)


def main() -> None:
    # A stopped run (kill, timeout) still drops its database and stops its server: finally blocks run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60, help="seconds of saving (default 60)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between two saves (0.5–1.5 × this); 0: none (default 1.0)")
    parser.add_argument("--database-url", help="a PostgreSQL database to create and drop (default: SQLite)")
    parser.add_argument("--workers", type=int, help="override gunicorn.conf.py's workers")
    parser.add_argument("--threads", type=int, help="override gunicorn.conf.py's threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--app", default="wsgi:app",
                        help="the WSGI app gunicorn serves (default wsgi:app); e.g. a wrapper that times SQL, to profile")
    args = parser.parse_args()
    label = "PostgreSQL" if args.database_url else "SQLite"
    with fresh_database(args.database_url, args.keep) as url, tempfile.TemporaryDirectory(prefix="pekppp-logs-") as logs:
        accounts = prepare(url, args.users)
        port = free_port()
        env = server_environment(url, port, args.workers, args.threads)
        users = [OpdUser(username, assessment_id, port) for username, assessment_id in accounts]
        with gunicorn(env, port, Path(logs), args.app) as server:
            log_in_all(users)
            meter = Meter(server.pid, url)
            until = time.monotonic() + args.duration
            run_threads([lambda u=user, n=n: u.run(until, args.think, seed=n) for n, user in enumerate(users)])
            meter.stop()
        label += f", gunicorn {server_shape(env)}, think {args.think} s"
        met = report(users, meter, check_database(url, users), label)
    sys.exit(0 if met else 1)


def server_shape(env: dict) -> str:
    """The worker type, workers and threads gunicorn will use with this environment (its --print-config)."""
    printed = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--print-config",
                              "wsgi:app"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    setting = dict(re.findall(r"^(\w+)\s+= (.*)$", printed, re.MULTILINE))
    return f"{setting['worker_class']}, {setting['workers']} workers × {setting['threads']} threads"


if __name__ == "__main__":
    main()
