"""The recap PDF, and the meeting pack through both job queues (in-process, and RQ on the local Redis)."""
import io
import os
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from assessment import create_app
from assessment.extensions import db
from assessment.jobs.queue import InProcessQueue, RedisQueue
from assessment.jobs.runner import execute
from assessment.models import ReportJob
from assessment.reports.pack import packs_dir, start_meeting_pack
from assessment.reports.recap import heat_class
from tests import factories
from tests.factories import fill, mark_verified

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def files(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "cache"), PACKS_DIR=str(tmp_path / "packs"), PDF_WORKERS=2)
    return tmp_path


@pytest.fixture
def results(files, world):
    """DPMPTSP verified at 4,00 (all 4); Disdukcapil still a draft."""
    fill(world.assessment, world.opd)
    mark_verified(world.assessment, world.reviewer)
    db.session.commit()
    return world


def test_recap_lists_ranking_heat_map_and_pending_units(client, auth, results):
    auth.login("organisasi")
    response = client.get(f"/laporan/{results.period.year}/rekap.pdf")
    assert response.status_code == 200
    text = "\n".join(pages_text(response.data))
    assert "Rekapitulasi Hasil Evaluasi PEKPPP" in text
    assert "Peringkat unit terverifikasi" in text and "Unit DPMPTSP" in text and "4,00" in text
    assert "Peta nilai per aspek" in text
    assert "Unit belum terverifikasi" in text and "Unit Disdukcapil" in text
    assert "DRAF" in text  # a unit is still pending: the recap is provisional


def test_recap_is_final_once_every_unit_is_verified(client, auth, results):
    fill(results.other_assessment, results.other_opd, level_of=lambda indicator: 3)
    mark_verified(results.other_assessment, results.reviewer)
    db.session.commit()
    auth.login("organisasi")
    text = "\n".join(pages_text(client.get(f"/laporan/{results.period.year}/rekap.pdf").data))
    assert "DRAF" not in text and "Unit belum terverifikasi" not in text


@pytest.mark.parametrize(("score", "band"), [("2.50", "heat-low"), ("2.505", "heat-mid"), ("3.5049", "heat-mid"),
                                             ("3.505", "heat-good"), ("4.005", "heat-high"), ("4.505", "heat-top")])
def test_a_heat_map_cell_takes_the_band_of_the_value_it_prints(score, band):
    assert heat_class(Decimal(score)) == band  # 3,505 prints as 3,51 (half up), so it is no longer "<= 3,50"


def test_opd_cannot_get_the_recap_or_start_a_pack(client, auth, results):
    auth.login("dpmptsp")
    assert client.get(f"/laporan/{results.period.year}/rekap.pdf").status_code == 403
    assert client.post(f"/laporan/{results.period.year}/paket-rapat").status_code == 403


def test_meeting_pack_holds_the_recap_and_every_verified_scorecard(app, results):
    fill(results.other_assessment, results.other_opd, level_of=lambda indicator: 3)
    mark_verified(results.other_assessment, results.reviewer)
    db.session.commit()
    job = ReportJob(id="job-sync", kind="paket-rapat", period_id=results.period.id, status="queued", base_url="http://x/")
    db.session.add(job)
    db.session.commit()
    execute(job.id)
    db.session.refresh(job)
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    pages = pages_text((packs_dir() / f"{job.id}.pdf").read_bytes())
    joined = "\n".join(pages)
    assert pages[0].count("Rekapitulasi Hasil Evaluasi") >= 1
    assert joined.count("LAPORAN HASIL PENILAIAN MANDIRI") == 2
    assert "Unit DPMPTSP" in joined and "Unit Disdukcapil" in joined


def test_in_process_queue_runs_the_job_and_the_page_offers_the_download(client, auth, app, results):
    auth.login("organisasi")
    queue = app.extensions["pekppp_jobs"]
    assert isinstance(queue, InProcessQueue)
    futures = []
    original = queue.enqueue
    queue.enqueue = lambda job_id: futures.append(original(job_id))
    response = client.post(f"/laporan/{results.period.year}/paket-rapat")
    assert response.status_code == 302
    futures[0].result(timeout=180)
    job = db.session.scalars(sa.select(ReportJob)).one()
    db.session.refresh(job)
    assert job.status == "done"
    page = client.get(response.headers["Location"]).text
    assert "Paket siap" in page and "http-equiv=\"refresh\"" not in page
    download = client.get(f"/laporan/paket/{job.id}/unduh")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_unfinished_or_unknown_pack_cannot_be_downloaded(client, auth, results):
    auth.login("organisasi")
    job = ReportJob(id="job-queued", kind="paket-rapat", period_id=results.period.id, status="running", done=1, total=3)
    db.session.add(job)
    db.session.commit()
    page = client.get("/laporan/paket/job-queued").text
    assert "1 dari 3 dokumen selesai" in page and 'http-equiv="refresh"' in page
    assert client.get("/laporan/paket/job-queued/unduh").status_code == 404
    assert client.get("/laporan/paket/nope").status_code == 404


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available() and not os.environ.get("CI"),
                    reason="Redis tidak tersedia di 127.0.0.1:6379 (diuji di CI)")
def test_meeting_pack_through_rq_on_redis(tmp_path, monkeypatch, shared_database_url):
    from redis import Redis
    from rq import SimpleWorker

    database = shared_database_url  # SQLite in a file, or the session's PostgreSQL database
    settings = {"DATABASE_URL": database, "REDIS_URL": REDIS_URL, "PEKPPP_SECRET_KEY": "rq-test",
                "PEKPPP_PDF_CACHE_DIR": str(tmp_path / "cache"), "PEKPPP_PACKS_DIR": str(tmp_path / "packs"),
                "PEKPPP_PUBLIC_BASE_URL": "http://pekppp.example"}  # the worker's links come from its settings
    for name, value in settings.items():
        monkeypatch.setenv(name, value)  # the worker builds its own app from the environment
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        fill(world.assessment, world.opd)
        mark_verified(world.assessment, world.reviewer)
        db.session.commit()
        queue = app.extensions["pekppp_jobs"]
        assert isinstance(queue, RedisQueue)
        queue.queue.empty()
        with app.test_request_context(base_url="http://pekppp.example/"):
            job = start_meeting_pack(world.period, world.reviewer, "http://pekppp.example/")
        SimpleWorker([queue.queue], connection=Redis.from_url(REDIS_URL)).work(burst=True)
        db.session.expire_all()
        job = db.session.get(ReportJob, job.id)
        assert (job.status, job.done, job.total) == ("done", 2, 2)
        pages = pages_text((tmp_path / "packs" / f"{job.id}.pdf").read_bytes())
        assert "Rekapitulasi" in pages[0] and "http://pekppp.example/v/" in "\n".join(pages)
        db.session.remove()
