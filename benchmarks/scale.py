"""Scale: the reviewers' pages with 50 units and with 5,000 units of three periods' answers.

    .venv/bin/python benchmarks/scale.py --database-url postgresql://postgres@127.0.0.1:5432/pekppp_scale
    .venv/bin/python benchmarks/scale.py                      # SQLite in a temporary folder
    .venv/bin/python benchmarks/scale.py --sizes 5000 --runs 5 --profile
    .venv/bin/python benchmarks/scale.py --sizes 5000 --only team        # the evaluator team's pages only

For each size it builds a fresh database (for PostgreSQL: <name>_<units>, created here and dropped
at the end; an existing one is refused): the migrations, then with SQLAlchemy core executemany,
never one ORM object at a time, per unit three periods of answers: the two past years verified (every
indicator reviewed, some levels changed with a note), the current year in mixed states (not started,
draft half filled, submitted, returned with notes, verified). Then, through the app's test client
logged in as a reviewer, each page is requested --runs times (the evaluator team's pages logged in as one of
its anggota or as its ketua): the number of SQL statements per request
(must not grow with the units) and p50/p95 times, with where the time goes: SQL (driver execute), template
rendering, reading the stored scores (Score.from_json) and the rest (ORM loading, sorting, the workbook). SQL is
the driver's execute: psycopg has read every row by then, SQLite reads them later (counted in the rest).
Target: p95 < 300 ms per page on PostgreSQL.

The open period has an evaluator team (SK number and date): a ketua and 20 anggota, every unit given whole to an
anggota in turn (5,000 units: 250 each) and, for one unit in five, one or two of its aspects given to another
member (the ketua included), as the team page would store them. Its pages: the queue's "Tugas saya" of an anggota
and of the ketua, the ketua's whole queue ("Semua unit"), the team's progress (Kemajuan) and the assignments page.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import signal
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import before_render_template, template_rendered  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from load import fresh_database, percentile  # noqa: E402  (benchmarks/load.py, the same folder)

from assessment import create_app  # noqa: E402
from assessment.domain.formatting import today_wib  # noqa: E402
from assessment.domain.models import (  # noqa: E402
    WHOLE_UNIT,
    Answer,
    Assessment,
    AssessmentStatus,
    Assignment,
    EvaluationTeam,
    FollowUpEntry,
    FollowUpState,
    FollowUpStep,
    Recommendation,
    ReviewDecision,
    Role,
    TeamMember,
    TeamRole,
    Unit,
    UnitKind,
    utcnow,
)
from assessment.domain.models import Review as ReviewRow  # noqa: E402
from assessment.domain.scoring import Score  # noqa: E402
from assessment.domain.stored_scores import rescore  # noqa: E402
from assessment.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

P95_TARGET_MS = 300
KINDS = list(UnitKind)
# The current year's mix of states, as in a period close to its deadline.
CURRENT_STATES = ((None, 0.10), (AssessmentStatus.DRAFT, 0.20), (AssessmentStatus.SUBMITTED, 0.25),
                  (AssessmentStatus.RETURNED, 0.10), (AssessmentStatus.VERIFIED, 0.35))
BATCH = 20_000  # rows per executemany
MIN_RUNS = 5
REVIEWER = "organisasi"  # outside the team: reads every unit
KETUA, ANGGOTA = "ketua", "anggota01"  # the team's pages are measured as these two
TEAM_ANGGOTA = 20
ASPECT_SHARE = 0.20  # units of which one or two aspects are given to another member than the unit's holder


# ---------------------------------------------------------------------------------------------------------------
# Generating the data
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Generated:
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    years: tuple[int, int, int] = (0, 0, 0)  # oldest first; the last is the open period
    tasks: dict[str, int] = field(default_factory=dict)  # units in "Tugas saya", per measured team account


def generate(units: int, seed: int = 2023) -> Generated:
    """Fill the (migrated, empty) database of the current app; returns row counts and the time taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    this_year = today_wib().year
    years = (this_year - 2, this_year - 1, this_year)
    periods = [factories.make_period(year, is_open=(year == this_year)) for year in years]
    reviewer = factories.make_user(REVIEWER, Role.REVIEWER)
    result = Generated(years=years)
    insert(Unit, [{"name": f"Unit Layanan {n:05d}", "short_name": f"U{n:05d}", "kind": KINDS[n % len(KINDS)], "active": True}
                  for n in range(units)], result)
    unit_ids = list(db.session.scalars(sa.select(Unit.id).order_by(Unit.id)))
    plans = [(unit_id, period, _state(rng, period.is_open)) for period in periods for unit_id in unit_ids]
    insert(Assessment, [_assessment_row(unit_id, period, state, reviewer.id, rng)
                        for unit_id, period, state in plans if state is not None], result)
    assessment_ids = dict(((unit_id, period_id), assessment_id) for assessment_id, unit_id, period_id in
                          db.session.execute(sa.select(Assessment.id, Assessment.unit_id, Assessment.period_id)))
    answers, reviews = [], []
    for unit_id, period, state in plans:
        if state is not None:
            _answers_and_reviews(assessment_ids[unit_id, period.id], state, reviewer.id, rng, answers, reviews)
    insert(Answer, answers, result)
    insert(ReviewRow, reviews, result)
    _team(periods[-1], unit_ids, rng, result)
    _followups(periods[1], reviewer.id, rng, result)
    rescore(db.session, sa.true())  # rows written without the ORM get their stored scores as the migration gives them
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # the planner's statistics, as autovacuum would soon gather them
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    result.seconds = time.perf_counter() - started
    return result


def _team(period, unit_ids: list[int], rng: random.Random, result: Generated) -> None:
    """The open period's evaluator team: every unit whole to an anggota in turn, some aspects to another member."""
    team = EvaluationTeam(period=period, sk_number=f"800/{period.year}/SK/BAG.ORG", sk_date=period.opens_on)
    db.session.add(team)
    db.session.flush()
    accounts = [(factories.make_user(KETUA, Role.REVIEWER), TeamRole.KETUA, "Kepala Bagian Organisasi")]
    accounts += [(factories.make_user(f"anggota{n:02d}", Role.REVIEWER), TeamRole.ANGGOTA, "Analis Kebijakan Ahli Muda")
                 for n in range(1, TEAM_ANGGOTA + 1)]
    insert(TeamMember, [{"team_id": team.id, "user_id": user.id, "role": role, "jabatan": jabatan, "nip": user.nip}
                        for user, role, jabatan in accounts], result)
    member_ids = dict(db.session.execute(sa.select(TeamMember.user_id, TeamMember.id).where(TeamMember.team_id == team.id)).all())
    ketua_id, *anggota_ids = (member_ids[user.id] for user, _, _ in accounts)
    aspect_codes = [aspect.code for aspect in period.instrument.aspects]
    now, assigned_by = utcnow(), accounts[0][0].id
    rows = []
    for n, unit_id in enumerate(unit_ids):
        holder = anggota_ids[n % len(anggota_ids)]
        rows.append({"team_id": team.id, "unit_id": unit_id, "aspect_code": WHOLE_UNIT, "member_id": holder,
                     "assigned_by_id": assigned_by, "assigned_at": now})
        if rng.random() < ASPECT_SHARE:
            others = [ketua_id, *(m for m in anggota_ids if m != holder)]
            for code in rng.sample(aspect_codes, rng.randint(1, 2)):
                rows.append({"team_id": team.id, "unit_id": unit_id, "aspect_code": code, "member_id": rng.choice(others),
                             "assigned_by_id": assigned_by, "assigned_at": now})
    insert(Assignment, rows, result)
    for name, member_id in ((ANGGOTA, anggota_ids[0]), (KETUA, ketua_id)):
        result.tasks[name] = len({row["unit_id"] for row in rows if row["member_id"] == member_id})


FOLLOWUP_STATES = list(FollowUpState)
STEPS_BEFORE = {FollowUpState.OPEN: [], FollowUpState.REPORTED: [FollowUpStep.REPORT],
                FollowUpState.ACCEPTED: [FollowUpStep.REPORT, FollowUpStep.ACCEPT],
                FollowUpState.ASKED_AGAIN: [FollowUpStep.REPORT, FollowUpStep.ASK_AGAIN]}


def _followups(period, reviewer_id: int, rng: random.Random, result: Generated) -> None:
    """Last year's results carry five recommendations each, due around today, followed up in every state."""
    today, now = today_wib(), utcnow()
    codes = [indicator.code for indicator in factories.INSTRUMENT.indicators]
    verified = db.session.scalars(sa.select(Assessment.id).where(Assessment.period_id == period.id,
                                                                 Assessment.status == AssessmentStatus.VERIFIED))
    insert(Recommendation, [
        {"assessment_id": assessment_id, "indicator_code": code, "position": position, "created_by_id": reviewer_id,
         "created_at": now, "text": f"Tingkatkan indikator {code} ke level berikutnya; siapkan buktinya.",
         "due_on": today + timedelta(days=rng.randint(-60, 30)), "followup_state": rng.choice(FOLLOWUP_STATES)}
        for assessment_id in verified for position, code in enumerate(rng.sample(codes, 5))], result)
    recommendations = db.session.execute(sa.select(Recommendation.id, Recommendation.followup_state).join(
        Assessment, Assessment.id == Recommendation.assessment_id).where(Assessment.period_id == period.id)).all()
    insert(FollowUpEntry, [{"recommendation_id": recommendation_id, "step": step, "author_id": reviewer_id,
                            "created_at": now, "text": "Sudah dilaksanakan; bukti terlampir."}
                           for recommendation_id, state in recommendations for step in STEPS_BEFORE[state]], result)


def insert(model, rows: list[dict], result: Generated) -> None:
    """Core INSERT ... executemany in batches (psycopg sends each batch as a few multi-row statements)."""
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model.__table__), rows[start:start + BATCH])
    result.rows[model.__tablename__] += len(rows)


def _state(rng: random.Random, is_open: bool) -> AssessmentStatus | None:
    if not is_open:
        return AssessmentStatus.VERIFIED
    pick, total = rng.random(), 0.0
    for state, share in CURRENT_STATES:
        total += share
        if pick < total:
            return state
    return AssessmentStatus.VERIFIED


def _assessment_row(unit_id: int, period, state: AssessmentStatus, reviewer_id: int, rng: random.Random) -> dict:
    now = utcnow()
    sent = state != AssessmentStatus.DRAFT
    submitted = now - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 1440)) if sent else None
    verified = state == AssessmentStatus.VERIFIED
    return {"unit_id": unit_id, "period_id": period.id, "status": state, "created_at": now, "updated_at": now,
            "submitted_at": submitted, "verified_at": now if verified else None,
            "verified_by_id": reviewer_id if verified else None,
            "returned_reason": "Bukti dukung belum lengkap." if state == AssessmentStatus.RETURNED else None}


def _answers_and_reviews(assessment_id: int, state: AssessmentStatus, reviewer_id: int, rng: random.Random,
                         answers: list[dict], reviews: list[dict]) -> None:
    """Every item answered (a draft: about half), with a justification like the ones people write."""
    now = utcnow()
    base = rng.randint(1, 5)
    items = [*factories.INSTRUMENT.indicators, *factories.INSTRUMENT.additional]
    for indicator in items:
        if state == AssessmentStatus.DRAFT and rng.random() < 0.5:
            continue
        level = max(0, min(5, base + rng.randint(-1, 1)))
        answers.append({"assessment_id": assessment_id, "indicator_code": indicator.code, "level": level,
                        "justification": f"Sudah dilaksanakan sesuai level {level}; bukti dukung terlampir ({indicator.code}).",
                        "updated_at": now, "version": 1})
        reviewed = state == AssessmentStatus.VERIFIED or (state == AssessmentStatus.RETURNED and rng.random() < 0.3)
        if reviewed and indicator in factories.INSTRUMENT.indicators:
            changed = rng.random() < 0.1
            reviews.append({"assessment_id": assessment_id, "indicator_code": indicator.code,
                            "decision": ReviewDecision.CHANGE if changed else ReviewDecision.AGREE,
                            "verified_level": max(0, level - 1) if changed else None,
                            "note": "Bukti dukung belum memadai." if changed else "", "reviewer_id": reviewer_id,
                            "updated_at": now, "version": 1})


# ---------------------------------------------------------------------------------------------------------------
# Measuring the pages
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Timing:
    """One request: wall time and the parts of it, in seconds, and its SQL statements."""

    total: float = 0.0
    sql: float = 0.0
    render: float = 0.0
    scores: float = 0.0
    statements: int = 0

    @property
    def rest(self) -> float:
        return self.total - self.sql - self.render - self.scores


class Probe:
    """Counts and times SQL statements, template rendering and reading stored scores while a request runs."""

    def __init__(self, engine):
        self.current: Timing | None = None
        self._marks: dict[str, float] = {}
        sa.event.listen(engine, "before_cursor_execute", self._before_sql)
        sa.event.listen(engine, "after_cursor_execute", self._after_sql)
        before_render_template.connect(self._before_render)
        template_rendered.connect(self._after_render)
        Score.from_json = classmethod(self._timed(Score.from_json.__func__))

    def _before_sql(self, *_args) -> None:
        self._marks["sql"] = time.perf_counter()
        if self.current:
            self.current.statements += 1

    def _after_sql(self, *_args) -> None:
        if self.current:
            self.current.sql += time.perf_counter() - self._marks["sql"]

    def _before_render(self, *_args, **_kwargs) -> None:
        self._marks["render"] = time.perf_counter()

    def _after_render(self, *_args, **_kwargs) -> None:
        if self.current:
            self.current.render += time.perf_counter() - self._marks["render"]

    def _timed(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.current:
                    self.current.scores += time.perf_counter() - started
        return timed

    def request(self, client, path: str) -> Timing:
        self.current = timing = Timing()
        started = time.perf_counter()
        response = client.get(path)
        timing.total = time.perf_counter() - started
        self.current = None
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        return timing


EXCEL = "Excel export, last year"


def pages(years: tuple[int, int, int]) -> list[tuple[str, str, str]]:
    """(name, path, the account that requests it)."""
    last_year = years[1]
    return [
        ("queue, current year, by unit", "/organisasi/", REVIEWER),
        ("queue, submitted, by IPP desc", "/organisasi/?status=submitted&urut=ipp_mandiri&arah=turun", REVIEWER),
        ("queue, puskesmas, by sent date", "/organisasi/?jenis=puskesmas&urut=dikirim&arah=turun", REVIEWER),
        ("queue, last year, by verified IPP", f"/organisasi/?tahun={last_year}&urut=ipp_verifikasi&arah=turun", REVIEWER),
        ("results, current year", "/organisasi/hasil/", REVIEWER),
        ("results, last year (all verified)", f"/organisasi/hasil/?tahun={last_year}", REVIEWER),
        (EXCEL, f"/organisasi/hasil/{last_year}/excel", REVIEWER),
        ("follow-up: Pemantauan, last year", f"/tindak-lanjut/pemantauan?tahun={last_year}", REVIEWER),
        ("follow-up: Pemantauan, last year, late only", f"/tindak-lanjut/pemantauan?tahun={last_year}&status=terlambat",
         REVIEWER),
        ("team: Tugas saya, anggota", "/organisasi/", ANGGOTA),
        ("team: Tugas saya, anggota, by IPP", "/organisasi/?urut=ipp_mandiri&arah=turun", ANGGOTA),
        ("team: Tugas saya, ketua", "/organisasi/", KETUA),
        ("team: Semua unit, ketua", "/organisasi/?tugas=semua", KETUA),
        ("team: Kemajuan (progress), ketua", "/evaluasi/kemajuan", KETUA),
        ("team: Penugasan (assignments), ketua", "/evaluasi/penugasan", KETUA),
    ]


@dataclass
class PageFigures:
    name: str
    statements: int
    timings: list[Timing]

    def quantile(self, share: int, part: str = "total") -> float:
        return percentile([getattr(t, part) * 1000 for t in self.timings], share)


def measure(app, engine, years, runs: int, budget: float, profile: bool, with_excel: bool,
            only: list[str]) -> list[PageFigures]:
    """Each page ``runs`` times, or fewer (at least MIN_RUNS) once ``budget`` seconds are spent on it."""
    clients = {}
    probe = Probe(engine)
    figures = []
    for name, path, username in pages(years):
        if (name == EXCEL and not with_excel) or (only and not any(part in name for part in only)):
            continue
        if username not in clients:
            clients[username] = client = app.test_client()
            client.post("/masuk", data={"username": username, "password": factories.PASSWORD})
        client = clients[username]
        probe.request(client, path)  # warm-up: imports, template compilation, the instrument's parse cache
        timings, deadline = [], time.monotonic() + budget
        while len(timings) < runs and (len(timings) < MIN_RUNS or time.monotonic() < deadline):
            timings.append(probe.request(client, path))
        counts = {t.statements for t in timings}
        figures.append(PageFigures(name, max(counts), timings))
        if profile:
            print_profile(client, name, path)
    return figures


def print_profile(client, name: str, path: str, lines: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(client.get, path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    print(f"--- profile: {name} ({path})\n" + out.getvalue().split("\n\n", 1)[-1])


def run_size(url: str, units: int, args, with_excel: bool) -> tuple[Generated, list[PageFigures]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "scale", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        generated = generate(units)
        engine = db.engine
    gc.collect()
    gc.freeze()  # as wsgi.py does for the server: the long-lived objects leave the collector's rounds
    # Requests run outside any app context, as on a server: each gets its own session, removed at its end.
    figures = measure(app, engine, generated.years, args.runs, args.budget, args.profile and units == args.largest,
                      with_excel, args.only)
    engine.dispose()
    return generated, figures


def report(label: str, results: dict[int, tuple[Generated, list[PageFigures]]]) -> None:
    sizes = sorted(results)
    spans = []
    for units, (_, figures) in results.items():
        counts = sorted(len(page.timings) for page in figures)
        spans.append(f"{counts[0] if counts[0] == counts[-1] else f'{counts[0]}–{counts[-1]}'} at {units}")
    print(f"Scale, {label}; times in ms; requests per page: {', '.join(spans)}")
    for units in sizes:
        generated, _ = results[units]
        counts = ", ".join(f"{table} {count:,}" for table, count in generated.rows.items())
        print(f"  {units:>5} units: generated in {generated.seconds:.1f} s ({counts})")
        print(f"{'':<15}Tugas saya: " + ", ".join(f"{name} {count:,} units" for name, count in generated.tasks.items()))
    header = "  " + f"{'page':<40}" + "".join(f"{'SQL@' + str(u):>9}" for u in sizes)
    header += "".join(f"{'p50@' + str(u):>10}{'p95@' + str(u):>10}" for u in sizes)
    print(header + "   verdict (largest)")
    by_page = defaultdict(dict)
    for units in sizes:
        for page in results[units][1]:
            by_page[page.name][units] = page
    for name, per_size in by_page.items():
        line = f"  {name:<40}" + "".join(f"{per_size[u].statements if u in per_size else '–':>9}" for u in sizes)
        line += "".join(f"{per_size[u].quantile(50):>10.0f}{per_size[u].quantile(95):>10.0f}" if u in per_size
                        else f"{'–':>10}{'–':>10}" for u in sizes)
        largest = per_size[max(per_size)]
        constant = len({page.statements for page in per_size.values()}) == 1
        verdict = f"p95 at {max(per_size)} {'OK' if largest.quantile(95) < P95_TARGET_MS else 'ABOVE TARGET'}"
        print(line + f"   {verdict}; queries {'constant' if constant else 'GROW'}")
    print(f"  where the time goes at {sizes[-1]} units (median ms): total = SQL + rendering + stored scores read + rest")
    for name, per_size in by_page.items():
        page = per_size[max(per_size)]
        parts = "  ".join(f"{part} {page.quantile(50, part):7.0f}" for part in ("total", "sql", "render", "scores", "rest"))
        print(f"    {name:<40}{parts}" + (f"   (at {max(per_size)} units)" if max(per_size) != sizes[-1] else ""))


def main() -> None:
    # A stopped run (kill, timeout) still drops its database and stops its server: finally blocks run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL: databases <name>_<units> are created and dropped")
    parser.add_argument("--sizes", default="50,500,5000", help="numbers of units, comma-separated (default 50,500,5000)")
    parser.add_argument("--runs", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--budget", type=float, default=60,
                        help=f"seconds per page after which fewer requests suffice, at least {MIN_RUNS} (default 60)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one request per page")
    parser.add_argument("--excel-up-to", type=int, default=5000,
                        help="measure the Excel export only up to this many units (default 5000)")
    parser.add_argument("--only", type=lambda text: [part.strip() for part in text.split(",") if part.strip()], default=[],
                        help='measure only the pages whose name contains one of these, comma-separated (e.g. "team")')
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    args.largest = sizes[-1]
    results = {}
    for units in sizes:
        url = None
        if args.database_url:
            url = str(sa.make_url(args.database_url).set(database=f"{sa.make_url(args.database_url).database}_{units}")
                      .render_as_string(hide_password=False))
        with fresh_database(url) as database:
            results[units] = run_size(database, units, args, with_excel=units <= args.excel_up_to)
    report("PostgreSQL" if args.database_url else "SQLite", results)


if __name__ == "__main__":
    main()
