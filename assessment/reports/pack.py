"""The meeting pack, built in the background: a cover letter, the table of contents, the recap, and each verified
unit's Berita Acara and scorecard, by rank; each document on an odd page, the pages numbered across the pack
(pack_layout.py).

Rendering is CPU-bound and WeasyPrint uses one core, so the PDFs that are not
cached yet are rendered by a pool of processes (one per core) and merged.
Only HTML strings cross to the workers: they need no database and no app.
"""
from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing
import os
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from pathlib import Path

from flask import current_app

from ..domain.models import Assessment, Period, ReportJob, User, utcnow
from ..domain.results import period_results
from ..extensions import db
from ..jobs import QueueUnavailable, get_queue, mark_abandoned_jobs_failed
from ..jobs.runner import JobFailed, handler
from ..web.errors import Unavailable
from ..web.printing.documents import prepare, store
from ..web.printing.pdf import render_pdf
from ..web.printing.stamp import Stamp, render_stamped
from .pack_layout import PackMerge
from .recap import contents_html, cover_letter, recap
from .scorecard import berita_acara, scorecard

KIND = "paket-rapat"
QUEUE_DOWN = ("Paket belum disusun: antrean tugas latar (Redis) tidak dapat dihubungi. Coba lagi sebentar lagi "
              "atau hubungi admin.")
PACK_UNWRITABLE = "Paket tersusun tetapi tidak dapat disimpan: folder paket di server penuh atau tidak dapat ditulis."
logger = logging.getLogger(__name__)


def start_meeting_pack(period: Period, user: User, base_url: str) -> ReportJob:
    """Queue a new pack. A queue that cannot be reached fails the job at once (its page says why) and answers 503."""
    mark_abandoned_jobs_failed()  # so an earlier attempt whose runner died no longer reads "running"
    queue = get_queue()
    job = ReportJob(id=uuid.uuid4().hex, kind=KIND, period_id=period.id, status="queued", created_by_id=user.id,
                    base_url=base_url, runner=queue.runner)
    db.session.add(job)
    db.session.commit()
    try:
        queue.enqueue(job.id)
    except QueueUnavailable as error:
        logger.error("Meeting pack %s not queued: %s", job.id, error)
        job.status, job.error, job.finished_at = "failed", QUEUE_DOWN, utcnow()
        db.session.commit()
        raise Unavailable(QUEUE_DOWN) from error
    return job


@handler(KIND)
def build_meeting_pack(job: ReportJob) -> None:
    """Prepare each document in turn and hand uncached ones to the pool at once; while the workers render,
    this process merges every finished document that is next in order, so little is left when the last
    one arrives."""
    period = db.session.get(Period, job.period_id)
    results = period_results(period)
    ranked_ids = [row.assessment.id for row in results.ranking if row.assessment]
    # Each unit's documents are built just before they are prepared: built all at once, every unit's data was
    # loaded twice, for its context and again after the progress commits had expired it.
    documents = itertools.chain([cover_letter(period, results), recap(period, results)], itertools.chain.from_iterable(
        _unit_documents(db.session.get(Assessment, assessment_id)) for assessment_id in ranked_ids))
    count = 2 + 2 * len(ranked_ids)
    job.total, job.done = count, 0
    db.session.commit()
    pack = PackMerge(count)
    static_root = Path(current_app.static_folder)
    # url_for() as in the request that started the job, for the verification links
    with _render_pool(count) as pool, current_app.test_request_context(base_url=job.base_url or None):
        rendering = {}
        for index, document in enumerate(documents):
            prepared = prepare(document, in_pack=True)
            if prepared.pdf is None:
                rendering[pool.submit(_render_in_worker, prepared.html, prepared.stamp, static_root)] = (index, prepared)
            else:
                pack.add(index, prepared.pdf)
                _advance(job)
        for future in as_completed(rendering):
            index, prepared = rendering[future]
            pack.add(index, store(prepared, future.result()))
            _advance(job)
        result = pack.finish(lambda own_page, starts: render_pdf(contents_html(period, results, own_page, starts),
                                                                 static_root, in_pack=True))
    write_pack(job.id, result)
    job.file_name = f"paket-rapat-pekppp-{period.year}.pdf"


def _unit_documents(assessment: Assessment):
    yield berita_acara(assessment)
    yield scorecard(assessment)


def write_pack(job_id: str, data: bytes) -> None:
    """A temporary file in the packs folder, then a rename: a download never meets half a pack."""
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=packs_dir(), suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, packs_dir() / f"{job_id}.pdf")
    except OSError as error:
        if temporary:
            with suppress(OSError):
                Path(temporary).unlink(missing_ok=True)
        raise JobFailed(PACK_UNWRITABLE) from error


def _advance(job: ReportJob) -> None:
    job.done += 1
    db.session.commit()


def packs_dir() -> Path:
    directory = Path(current_app.config.get("PACKS_DIR") or Path(current_app.instance_path) / "packs")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _render_pool(jobs: int) -> ProcessPoolExecutor:
    """Forked workers start warm (WeasyPrint, fonts and the fetcher already loaded in this process): measured
    on 10 scorecards, 5.7 s against 12.5 s for cold "forkserver" workers and 8.1 s rendering one by one.
    They only turn HTML strings into PDF bytes, never touching the database or sockets they inherit."""
    workers = min(jobs, current_app.config.get("PDF_WORKERS") or os.cpu_count() or 1)
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=gc.freeze)


def _render_in_worker(html: str, stamp: Stamp, static_root: Path) -> bytes:
    """Each render leaves cycles behind; collecting them at once is cheaper than letting them slow the next
    render (the inherited heap is frozen by the pool's initializer, so a collection walks only this render's
    objects). Measured on 60 scorecards with 2 workers: 8.8 s plain, 7.3 s frozen, 6.9 s frozen + collect."""
    pdf = render_stamped(html, stamp, static_root, in_pack=True)
    gc.collect()
    return pdf
