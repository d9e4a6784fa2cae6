"""The meeting pack: the recap and every verified unit's scorecard in one PDF, built in the background.

Rendering is CPU-bound and WeasyPrint uses one core, so the PDFs that are not
cached yet are rendered by a pool of processes (one per core) and merged.
Only HTML strings cross to the workers: they need no database and no app.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from flask import current_app
from pypdf import PdfReader, PdfWriter

from ..extensions import db
from ..jobs import get_queue
from ..jobs.runner import handler
from ..models import Period, ReportJob, User
from ..results.services import period_results
from .documents import prepare, store
from .pdf import render_pdf
from .recap import recap
from .scorecard import scorecard

KIND = "paket-rapat"


def start_meeting_pack(period: Period, user: User, base_url: str) -> ReportJob:
    job = ReportJob(id=uuid.uuid4().hex, kind=KIND, period_id=period.id, status="queued", created_by_id=user.id,
                    base_url=base_url)
    db.session.add(job)
    db.session.commit()
    get_queue().enqueue(job.id)
    return job


@handler(KIND)
def build_meeting_pack(job: ReportJob) -> None:
    period = db.session.get(Period, job.period_id)
    results = period_results(period)
    documents = [recap(period, results)] + [scorecard(row.assessment) for row in results.ranking]
    with current_app.test_request_context(base_url=job.base_url or None):  # url_for() as in the starting request
        prepared = [prepare(document) for document in documents]
    pdfs = [item.pdf for item in prepared]
    job.total, job.done = len(pdfs), sum(pdf is not None for pdf in pdfs)
    db.session.commit()
    missing = [index for index, pdf in enumerate(pdfs) if pdf is None]
    if missing:
        static_root = Path(current_app.static_folder)
        with _render_pool(len(missing)) as pool:
            futures = {pool.submit(render_pdf, prepared[i].html, static_root): i for i in missing}
            for future in as_completed(futures):
                index = futures[future]
                pdfs[index] = store(prepared[index], future.result())
                job.done += 1
                db.session.commit()
    target = packs_dir() / f"{job.id}.pdf"
    target.write_bytes(merge(pdfs))
    job.file_name = f"paket-rapat-pekppp-{period.year}.pdf"


def merge(pdfs: list[bytes]) -> bytes:
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def packs_dir() -> Path:
    directory = Path(current_app.config.get("PACKS_DIR") or Path(current_app.instance_path) / "packs")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _render_pool(jobs: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process, never from a web worker's threads and sockets.
    workers = min(jobs, current_app.config.get("PDF_WORKERS") or os.cpu_count() or 1)
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
