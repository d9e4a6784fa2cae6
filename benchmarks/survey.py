"""Load test of the public survey form through gunicorn: simulated respondents, then a flood from one address.

    .venv/bin/python benchmarks/survey.py                                   # SQLite, 210 respondents/s, 60 s
    .venv/bin/python benchmarks/survey.py --database-url postgresql://postgres@127.0.0.1:5432/pekppp_survey
    .venv/bin/python benchmarks/survey.py --rate 100 --duration 30 --flood 0   # a quick look

1. Prepares a fresh database (SQLite in a temporary folder, or the PostgreSQL database named by --database-url,
   which must not exist yet: created here, dropped at the end): the migrations, one open period, --units units.
2. Starts gunicorn with gunicorn.conf.py on 127.0.0.1, as production runs it behind nginx: the client address is
   read from X-Forwarded-For (PEKPPP_TRUSTED_PROXIES=1) and the rate limits are counted in Redis (127.0.0.1:6379,
   a key prefix of this run only) so that every worker counts the same; without Redis they count per worker.
3. Respondents arrive at --rate per second for --duration seconds, each from its own address and with a new
   connection (a phone behind nginx), to a random unit: GET the form, read it for the minimum fill time plus
   0.5–3 s, POST the answers (every question answered, a marker in the suggestion), expect 303.
4. From a third of the run on, --flood posts come from one address (203.0.113.66) to one unit as fast as
   --flood-threads connections allow, each with a form token fetched beforehand (as an attacker would).
5. Reads the database back: every acknowledged (303) response must be stored exactly once, nothing else from
   the respondents stored, and the flood stored no more than the per-address limit lets through.

Prints responses/s, p50/p95/p99 of the POSTs (and of the GETs), errors, CPU of gunicorn, PostgreSQL and this
script, and the load average, which tells how much other work the machine had. Exit code 1 when a target is
missed: >= 200 responses/s, p95 < 300 ms (also while the flood runs), 0 errors, stored exactly once, the flood cut.
"""
from __future__ import annotations

import argparse
import heapq
import http.client
import os
import random
import re
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from load import (  # noqa: E402  (benchmarks/load.py, the same folder)
    LOOPBACK,
    Meter,
    free_port,
    fresh_database,
    gunicorn,
    percentile,
    server_environment,
    server_shape,
)
from sqlalchemy.pool import NullPool  # noqa: E402

from assessment import create_app  # noqa: E402
from assessment.config import DefaultConfig, normalise_database_url  # noqa: E402
from assessment.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

TOKEN = re.compile(r'name="token" value="([^"]+)"')
RATE_TARGET, P95_TARGET_MS = 200, 300
REQUEST_TIMEOUT = 30
FLOOD_ADDRESS = "203.0.113.66"
FLOOD_MARKER = "banjir"
REDIS = "redis://127.0.0.1:6379/0"
ANSWERS = {**{f"u{n}": str(1 + n % 4) for n in range(1, 10)}, **{f"f{n}": str(n % 6) for n in range(1, 15)},
           "age": "37", "gender": "L", "education": "sma", "occupation": "swasta", "service_type": "Uji beban"}


def prepare(url: str, units: int) -> tuple[int, list[int]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "survey-load"})
    with app.app_context():
        upgrade()
        period = factories.make_period()
        ids = [factories.make_unit(f"SURVEI{number:03d}").id for number in range(units)]
        db.session.commit()
        year = period.year
        db.engine.dispose()
    return year, ids


def redis_reachable() -> bool:
    try:
        import redis
        return bool(redis.Redis.from_url(REDIS, socket_timeout=2).ping())
    except Exception:  # no server, no package: count in memory, and say so
        return False


# ---------------------------------------------------------------------------------------------------------------
# Requests: one new connection each, as a phone behind nginx
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Exchange:
    kind: str  # "get", "post" or "flood"
    started: float
    latency: float
    status: int | str
    marker: str = ""


def request(port: int, method: str, path: str, address: str, form: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"X-Forwarded-For": address, "User-Agent": "benchmarks/survey.py"}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass(order=True)
class Task:
    due: float
    number: int
    kind: str = field(compare=False)
    path: str = field(compare=False)
    address: str = field(compare=False)
    token: str = field(compare=False, default="")


class Respondents:
    """Arrivals at a steady rate; each GETs the form, then POSTs it once its reading time is over.

    Waiting respondents are entries in a heap, not threads, so a few dozen workers serve thousands of them.
    """

    def __init__(self, port: int, year: int, units: list[int], rate: float, duration: float, min_fill: float,
                 workers: int, seed: int = 1):
        self.port, self.year, self.units, self.rate, self.duration = port, year, units, rate, duration
        self.min_fill, self.workers, self.rng = min_fill, workers, random.Random(seed)
        self.heap: list[Task] = []
        self.condition = threading.Condition()
        self.exchanges: list[Exchange] = []
        self.acknowledged: list[str] = []  # the markers of responses answered 303
        self.pending = 0
        self.arrivals_done = False

    def run(self) -> None:
        threads = [threading.Thread(target=self._worker) for _ in range(self.workers)]
        for thread in threads:
            thread.start()
        self._arrive()
        for thread in threads:
            thread.join()

    def _arrive(self) -> None:
        start = time.monotonic()
        for number in range(int(self.rate * self.duration)):
            due = start + number / self.rate
            unit = self.rng.choice(self.units)
            address = f"10.{number // 65025 % 250}.{number // 255 % 255}.{number % 255 + 1}"
            self._schedule(Task(due, number, "get", f"/s/{self.year}/{unit}", address))
        with self.condition:
            self.arrivals_done = True
            self.condition.notify_all()

    def _schedule(self, task: Task) -> None:
        with self.condition:
            heapq.heappush(self.heap, task)
            self.pending += 1
            self.condition.notify()

    def _next(self) -> Task | None:
        with self.condition:
            while True:
                if self.heap and self.heap[0].due <= time.monotonic():
                    return heapq.heappop(self.heap)
                if self.arrivals_done and self.pending == 0:
                    return None
                # Sleep until the earliest task is due; a task scheduled meanwhile wakes one worker (notify).
                wait = self.heap[0].due - time.monotonic() if self.heap else 0.2
                self.condition.wait(timeout=max(0.0005, min(wait, 0.2)))

    def _worker(self) -> None:
        while (task := self._next()) is not None:
            if task.kind == "get":
                self._get(task)
            else:
                self._post(task)
            with self.condition:
                self.pending -= 1
                if self.arrivals_done and self.pending == 0:
                    self.condition.notify_all()  # the last one: every worker may stop

    def _get(self, task: Task) -> None:
        started = time.perf_counter()
        try:
            status, body = request(self.port, "GET", task.path, task.address)
        except (OSError, http.client.HTTPException) as problem:
            status, body = type(problem).__name__, b""
        self.exchanges.append(Exchange("get", started, time.perf_counter() - started, status))
        found = TOKEN.search(body.decode(errors="replace")) if status == 200 else None
        if found:
            reading = self.min_fill + self.rng.uniform(0.5, 3.0)
            self._schedule(Task(time.monotonic() + reading, task.number, "post", task.path, task.address, found.group(1)))

    def _post(self, task: Task) -> None:
        marker = f"responden-{task.number}"
        started = time.perf_counter()
        try:
            status, _ = request(self.port, "POST", task.path, task.address,
                                {**ANSWERS, "token": task.token, "suggestion": marker})
        except (OSError, http.client.HTTPException) as problem:
            status = type(problem).__name__
        self.exchanges.append(Exchange("post", started, time.perf_counter() - started, status, marker))
        if status == 303:
            self.acknowledged.append(marker)


class Flood:
    """--count posts from one address to one unit, as fast as --threads connections go."""

    def __init__(self, port: int, year: int, unit: int, count: int, threads: int):
        self.port, self.path, self.count, self.threads = port, f"/s/{year}/{unit}", count, threads
        self.tokens: list[str] = []
        self.exchanges: list[Exchange] = []
        self.sent = 0
        self.lock = threading.Lock()

    def fetch_tokens(self, number: int) -> None:
        """Forms fetched beforehand, so that the flood's tokens are old enough to pass the minimum fill time."""
        for _ in range(number):
            _, body = request(self.port, "GET", self.path, FLOOD_ADDRESS)
            self.tokens.append(TOKEN.search(body.decode()).group(1))

    def run(self) -> None:
        threads = [threading.Thread(target=self._worker) for _ in range(self.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _worker(self) -> None:
        while True:
            with self.lock:
                if self.sent >= self.count:
                    return
                number = self.sent
                self.sent += 1
            form = {**ANSWERS, "token": self.tokens[number % len(self.tokens)], "suggestion": f"{FLOOD_MARKER}-{number}"}
            started = time.perf_counter()
            try:
                status, _ = request(self.port, "POST", self.path, FLOOD_ADDRESS, form)
            except (OSError, http.client.HTTPException) as problem:
                status = type(problem).__name__
            self.exchanges.append(Exchange("flood", started, time.perf_counter() - started, status))


def warm_up(port: int, year: int, units: list[int], rounds: int = 3, parallel: int = 8) -> None:
    """Every unit's form a few times over parallel connections, so that every worker has booted (loading the app
    costs seconds of CPU) and rendered its forms before the measurement starts."""
    paths = [f"/s/{year}/{unit}" for unit in units] * rounds
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not paths:
                    return
                path = paths.pop()
            request(port, "GET", path, "192.0.2.1")

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(2)


# ---------------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Stored:
    respondents: Counter  # marker -> rows
    flood: int


def read_back(url: str) -> Stored:
    engine = sa.create_engine(normalise_database_url(url), poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT suggestion, count(*) FROM survey_responses GROUP BY suggestion")).all()
    engine.dispose()
    respondents = Counter({text: number for text, number in rows if text and text.startswith("responden-")})
    flood = sum(number for text, number in rows if text and text.startswith(FLOOD_MARKER))
    return Stored(respondents, flood)


def milliseconds(exchanges: list[Exchange]) -> list[float]:
    return sorted(exchange.latency * 1000 for exchange in exchanges)


def latency_line(values: list[float]) -> str:
    if not values:
        return "none"
    return "p50 {:.0f}   p95 {:.0f}   p99 {:.0f}   max {:.0f}".format(*(percentile(values, p) for p in (50, 95, 99)),
                                                                       values[-1])


def report(respondents: Respondents, flood: Flood | None, flood_window: tuple[float, float] | None, meter: Meter,
           stored: Stored, label: str, address_limit: str) -> bool:
    posts = [e for e in respondents.exchanges if e.kind == "post"]
    gets = [e for e in respondents.exchanges if e.kind == "get"]
    window = (max(e.started + e.latency for e in posts) - min(e.started for e in posts)) if posts else 1.0
    acknowledged = len(respondents.acknowledged)
    rate = acknowledged / window
    errors = Counter(str(e.status) for e in posts if e.status != 303) + Counter(
        str(e.status) for e in gets if e.status != 200)
    post_p95 = percentile(milliseconds(posts), 95) if posts else float("inf")
    during = [e for e in posts if flood_window and flood_window[0] <= e.started <= flood_window[1]]
    during_p95 = percentile(milliseconds(during), 95) if during else None
    outside = [e for e in posts if not (flood_window and flood_window[0] <= e.started <= flood_window[1])]
    missing = [m for m in respondents.acknowledged if stored.respondents.get(m, 0) == 0]
    twice = [m for m, number in stored.respondents.items() if number > 1]
    unacknowledged = sorted(set(stored.respondents) - set(respondents.acknowledged))
    print(f"Survey load, {label}: {os.cpu_count()} cores, load average {meter.load_before:.1f} before, "
          f"{meter.load_after:.1f} after")
    print(f"  responses        {acknowledged} acknowledged in {window:.1f} s ({rate:.1f}/s); "
          f"{len(gets)} forms served")
    per_response = 1000 / max(acknowledged, 1)
    print(f"  CPU              gunicorn {meter.server:.1f} s ({meter.server * per_response:.1f} ms per response, "
          f"form included), PostgreSQL {meter.database:.1f} s, load generator {meter.client:.1f} s")
    print(f"  POST latency ms  {latency_line(milliseconds(posts))}")
    print(f"  GET latency ms   {latency_line(milliseconds(gets))}")
    print(f"  errors           {sum(errors.values())}  {dict(errors) if errors else ''}")
    print(f"  stored           {sum(stored.respondents.values())} rows for {len(stored.respondents)} respondents; "
          f"missing {len(missing)}, twice {len(twice)}, stored without a 303 {len(unacknowledged)}")
    verdicts = [(f">= {RATE_TARGET}/s", rate >= RATE_TARGET), (f"p95 < {P95_TARGET_MS} ms", post_p95 < P95_TARGET_MS),
                ("0 errors", not errors), ("stored exactly once", not missing and not twice and not unacknowledged)]
    if flood is not None:
        statuses = Counter(str(e.status) for e in flood.exchanges)
        seconds = max(e.started + e.latency for e in flood.exchanges) - min(e.started for e in flood.exchanges)
        limit = int(address_limit.split()[0])
        minutes = int(seconds // 60) + 1
        print(f"  flood            {len(flood.exchanges)} posts from {FLOOD_ADDRESS} in {seconds:.1f} s "
              f"({len(flood.exchanges) / seconds:.0f}/s): {dict(statuses)}; stored {stored.flood} "
              f"(limit {address_limit}: at most {limit * minutes}; the flood reuses {len(flood.tokens)} tokens, and a "
              f"token stored once is acknowledged again without a second row)")
        print(f"  during the flood {len(during)} respondents' POSTs, p95 {during_p95:.0f} ms; outside it {len(outside)}, "
              f"p95 {percentile(milliseconds(outside), 95):.0f} ms" if during_p95 is not None and outside
              else "  during the flood: no respondent posted, or none outside it")
        verdicts += [("flood cut to the limit", stored.flood <= limit * minutes),
                     (f"p95 < {P95_TARGET_MS} ms during the flood", during_p95 is not None and during_p95 < P95_TARGET_MS)]
    print("  targets          " + ", ".join(f"{name}: {'OK' if ok else 'MISSED'}" for name, ok in verdicts))
    return all(ok for _, ok in verdicts)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))  # finally blocks drop the database, stop gunicorn
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=210, help="respondents arriving per second (default 210)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of arrivals (default 60)")
    parser.add_argument("--units", type=int, default=200, help="units the respondents spread over (default 200)")
    parser.add_argument("--flood", type=int, default=10_000, help="posts from one address (default 10000; 0: none)")
    parser.add_argument("--flood-threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=48, help="concurrent connections of the respondents")
    parser.add_argument("--database-url", help="a PostgreSQL database to create and drop (default: SQLite)")
    parser.add_argument("--workers", type=int, help="override gunicorn.conf.py's workers")
    parser.add_argument("--threads", type=int, help="override gunicorn.conf.py's threads per worker")
    args = parser.parse_args()
    label = "PostgreSQL" if args.database_url else "SQLite"
    with fresh_database(args.database_url) as url, tempfile.TemporaryDirectory(prefix="pekppp-logs-") as logs:
        year, units = prepare(url, args.units)
        port = free_port()
        env = server_environment(url, port, args.workers, args.threads)
        env["PEKPPP_TRUSTED_PROXIES"] = "1"  # nginx in front: the respondent's address comes in X-Forwarded-For
        if redis_reachable():
            env["PEKPPP_RATELIMIT_STORAGE_URI"] = REDIS
            env["PEKPPP_RATELIMIT_KEY_PREFIX"] = f"pekppp-bench-{secrets.token_hex(4)}"
        else:
            label += ", rate limits counted per worker (no Redis)"
        min_fill = DefaultConfig.SURVEY_MIN_FILL_SECONDS
        with gunicorn(env, port, Path(logs), "wsgi:app") as server:
            warm_up(port, year, units)
            flood = Flood(port, year, units[0], args.flood, args.flood_threads) if args.flood else None
            if flood:
                flood.fetch_tokens(200)
            respondents = Respondents(port, year, units, args.rate, args.duration, min_fill, args.clients)
            meter = Meter(server.pid, url)
            flood_window = None
            flood_thread = None
            if flood:
                def flood_later():
                    nonlocal flood_window
                    time.sleep(min_fill + args.duration / 3)
                    started = time.perf_counter()
                    flood.run()
                    flood_window = (started, time.perf_counter())
                flood_thread = threading.Thread(target=flood_later)
                flood_thread.start()
            respondents.run()
            if flood_thread:
                flood_thread.join()
            meter.stop()
        label += f", gunicorn {server_shape(env)}, {args.rate:g} respondents/s over {args.units} units"
        met = report(respondents, flood, flood_window, meter, read_back(url), label,
                     DefaultConfig.SURVEY_RATE_LIMIT_PER_ADDRESS.split(";")[0])
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
