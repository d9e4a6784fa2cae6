"""PDF benchmark: prints medians and ratios against the targets of the reports issue.

    .venv/bin/python benchmarks/pdf.py [--units 60] [--runs 5]

1. scorecard through the app (HTTP GET, cold cache) vs bare WeasyPrint on the same HTML  (target <= 1.2)
2. cached download (HTTP GET, warm cache) vs a render (cold cache)                        (target <= 0.05)
3. meeting pack for N units vs the sum of single renders of the documents it holds       (target <= 0.65, 2 cores)
   (N scorecards and N Berita Acaras through the app, the recap, the cover letter; the pack adds its table of
   contents, blank pages and page numbers)

It builds its own throw-away SQLite instance in a temporary folder; nothing else is touched.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint import HTML  # noqa: E402

from assessment import create_app  # noqa: E402
from assessment.domain.answers import assessment_for  # noqa: E402
from assessment.domain.models import Assessment, Period, ReportJob, Role  # noqa: E402
from assessment.domain.results import period_results  # noqa: E402
from assessment.extensions import db  # noqa: E402
from assessment.jobs.runner import execute  # noqa: E402
from assessment.reports.recap import cover_letter  # noqa: E402
from assessment.reports.scorecard import scorecard  # noqa: E402
from assessment.web.printing.documents import pdf_bytes, prepare  # noqa: E402
from assessment.web.printing.pdf import BASE_URL, StaticOnlyFetcher  # noqa: E402
from assessment.web.printing.stamp import fill_stamp  # noqa: E402
from tests import factories  # noqa: E402


def build(app, units: int) -> list[int]:
    """A period with ``units`` verified units of varied levels; returns their assessment ids."""
    db.create_all()
    period = factories.make_period()
    reviewer = factories.make_user("organisasi", Role.REVIEWER)
    ids = []
    for n in range(units):
        unit = factories.make_unit(f"Unit {n:03d}")
        opd = factories.make_user(f"opd{n:03d}", Role.OPD, unit)
        assessment = assessment_for(unit, period)
        factories.fill(assessment, opd, level_of=lambda ind, n=n: (ind.number + n) % 6)
        factories.mark_verified(assessment, reviewer)
        ids.append(assessment.id)
    db.session.commit()
    return ids


def timed(function) -> float:
    gc.collect()  # the previous render's garbage would otherwise be charged to whichever call comes next
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def fresh_cache(app, base: Path) -> None:
    app.config["PDF_CACHE_DIR"] = tempfile.mkdtemp(dir=base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pekppp-bench-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.sqlite'}",
                      "WTF_CSRF_ENABLED": False, "PACKS_DIR": str(base / "packs"), "PUBLIC_BASE_URL": "http://bench"})
    with app.app_context():
        ids = build(app, args.units)
        client = app.test_client()
        client.post("/masuk", data={"username": "organisasi", "password": factories.PASSWORD})
        url = f"/laporan/penilaian/{ids[0]}/kartu.pdf"
        fetcher = StaticOnlyFetcher(Path(app.static_folder))
        client.get(url)  # warm-up: imports, fonts

        app_cold, bare, cached = [], [], []
        for _ in range(args.runs):
            fresh_cache(app, base)
            with app.test_request_context():
                prepared = prepare(scorecard(db.session.get(Assessment, ids[0])))
            html, stamp = prepared.html, prepared.stamp
            final_html = fill_stamp(html, stamp)
            bare.append(timed(lambda: HTML(string=final_html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()))  # noqa: B023
            fresh_cache(app, base)
            app_cold.append(timed(lambda: client.get(url)))
            cached.append(timed(lambda: client.get(url)))

        singles, berita_acaras = [], []
        fresh_cache(app, base)
        for assessment_id in ids:
            singles.append(timed(lambda i=assessment_id: client.get(f"/laporan/penilaian/{i}/kartu.pdf")))
            berita_acaras.append(timed(lambda i=assessment_id: client.get(f"/laporan/penilaian/{i}/berita-acara.pdf")))
        period = db.session.get(Period, 1)
        letters = timed(lambda: client.get(f"/laporan/{period.year}/rekap.pdf"))
        with app.test_request_context():
            letters += timed(lambda: pdf_bytes(cover_letter(period, period_results(period))))
        packs = []
        for run in range(max(1, args.runs // 2)):
            fresh_cache(app, base)
            job = ReportJob(id=f"bench-{run}", kind="paket-rapat", period_id=1, status="queued", base_url="http://bench/")
            db.session.add(job)
            db.session.commit()
            packs.append(timed(lambda j=job.id: execute(j)))

    m = statistics.median
    rows = [
        ("scorecard via app (cold) / bare WeasyPrint", m(app_cold), m(bare), 1.2),
        ("cached download / render (cold)", m(cached), m(app_cold), 0.05),
        (f"meeting pack {args.units} units / sum of its {2 * args.units + 2} single renders", m(packs),
         sum(singles) + sum(berita_acaras) + letters, 0.65),
    ]
    print(f"PDF benchmark: {args.units} units, {args.runs} runs, {os.cpu_count()} cores, medians in seconds")
    for name, numerator, denominator, target in rows:
        ratio = numerator / denominator
        verdict = "OK" if ratio <= target else "ABOVE TARGET"
        print(f"  {name:<62} {numerator:8.3f} / {denominator:8.3f} = {ratio:5.3f}  (target <= {target})  {verdict}")
    print(f"  single renders: {args.units} scorecards {sum(singles):.3f}, {args.units} Berita Acaras {sum(berita_acaras):.3f}, "
          f"recap and cover letter {letters:.3f}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
