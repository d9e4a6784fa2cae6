"""Background jobs that die: heartbeats, an in-process worker killed with its server, an RQ worker killed
mid-job, a queue that cannot be reached. The page then says so and offers "Coba lagi" instead of refreshing
for ever; the killings are real (SIGKILL to a process running the job)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from assessment import create_app
from assessment.domain.models import ReportJob, utcnow
from assessment.extensions import db
from assessment.jobs import mark_abandoned_jobs_failed
from assessment.jobs.runner import HANDLERS, JobFailed, execute
from assessment.reports.pack import QUEUE_DOWN
from tests import factories
from tests.clients import Browser
from tests.factories import fill, mark_verified

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/15"


def job_row(world, **values) -> ReportJob:
    job = ReportJob(id=values.pop("id", "paket-uji"), kind="paket-rapat", period_id=world.period.id, **values)
    db.session.add(job)
    db.session.commit()
    return job


def stored_status(job_id: str) -> tuple[str, str | None]:
    db.session.expire_all()
    job = db.session.get(ReportJob, job_id)
    return job.status, job.error


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)


def test_a_job_without_a_heartbeat_for_10_minutes_reads_failed_with_a_retry_button(client, auth, world):
    job_row(world, status="running", done=3, total=9, heartbeat_at=utcnow() - timedelta(minutes=11))
    auth.login("organisasi")
    page = client.get("/laporan/paket/paket-uji").text
    assert "tidak memberi tanda hidup selama lebih dari 10 menit" in page and 'http-equiv="refresh"' not in page
    assert f'action="/laporan/{world.period.year}/paket-rapat"' in page and "Coba lagi" in page
    assert stored_status("paket-uji") == ("running", None)  # reading the page changed nothing
    assert mark_abandoned_jobs_failed() == 1
    status, error = stored_status("paket-uji")
    assert status == "failed" and "tanda hidup" in error


def test_a_job_that_beats_recently_still_runs(client, auth, world):
    job_row(world, status="running", done=1, total=3, heartbeat_at=utcnow() - timedelta(minutes=2),
            runner=f"inprocess:{socket.gethostname()}:{os.getpid()}")
    auth.login("organisasi")
    page = client.get("/laporan/paket/paket-uji").text
    assert "1 dari 3 dokumen selesai" in page and 'http-equiv="refresh"' in page
    assert mark_abandoned_jobs_failed() == 0


def test_a_running_job_beats_its_heartbeat(app, world, monkeypatch):
    app.config["JOB_HEARTBEAT_SECONDS"] = 0.05
    beats = []

    def slow(job):
        started = db.session.get(ReportJob, job.id).heartbeat_at
        time.sleep(0.6)
        beats.append((started, db.session.scalar(sa.select(ReportJob.heartbeat_at).where(ReportJob.id == job.id))))

    monkeypatch.setitem(HANDLERS, "lambat", slow)
    db.session.add(ReportJob(id="lambat", kind="lambat", period_id=world.period.id, status="queued"))
    db.session.commit()
    execute("lambat")
    (started, later), = beats
    assert later > started and stored_status("lambat") == ("done", None)


def test_a_job_failure_with_its_own_reason_shows_that_reason(app, world, monkeypatch):
    def full(job):
        raise JobFailed("Folder paket penuh.")

    monkeypatch.setitem(HANDLERS, "penuh", full)
    db.session.add(ReportJob(id="penuh", kind="penuh", period_id=world.period.id, status="queued"))
    db.session.commit()
    execute("penuh")
    assert stored_status("penuh") == ("failed", "Folder paket penuh.")


@pytest.fixture
def shared_world(make_app, shared_database_url, tmp_path):
    """An app (and a world with three verified units) on a database another process reaches too."""
    app = make_app({"WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": shared_database_url})
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        for assessment, opd in ((world.assessment, world.opd), (world.other_assessment, world.other_opd)):
            fill(assessment, opd)
            mark_verified(assessment, world.reviewer)
        db.session.commit()
        yield app, world, {"DATABASE_URL": shared_database_url, "PEKPPP_SECRET_KEY": "x",
                           "PEKPPP_PDF_CACHE_DIR": str(tmp_path / "cache"), "PEKPPP_PACKS_DIR": str(tmp_path / "packs")}
        db.session.remove()
        if shared_database_url.startswith("sqlite"):
            db.drop_all()


def start_process(code: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the process and any it forked (RQ's work horse, render pool)
    process.wait(timeout=30)


def test_a_server_killed_while_building_the_pack_leaves_a_failed_job_not_a_running_one(shared_world):
    app, world, env = shared_world
    job = job_row(world, id="paket-terbunuh", status="queued")
    server = start_process(
        "import time\nfrom assessment import create_app\napp = create_app()\n"
        "with app.app_context():\n"
        "    from assessment.extensions import db\n    from assessment.domain.models import ReportJob\n"
        "    queue = app.extensions['pekppp_jobs']\n"
        "    db.session.get(ReportJob, 'paket-terbunuh').runner = queue.runner\n    db.session.commit()\n"
        "queue.enqueue('paket-terbunuh')\ntime.sleep(600)\n", env)
    try:
        wait_for(lambda: stored_status(job.id)[0] == "running")
    finally:
        kill(server)
    page = Browser(app).log_in("organisasi").get(f"/laporan/paket/{job.id}").text
    assert "proses server yang menyusunnya berhenti" in page and "Coba lagi" in page
    assert stored_status(job.id)[0] == "running"
    with app.app_context():
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})  # a start-up
    status, error = stored_status(job.id)
    assert status == "failed" and "berhenti" in error


def _redis():
    from redis import Redis

    try:
        connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
        return connection
    except Exception:
        return None


@pytest.mark.skipif(_redis() is None and not os.environ.get("CI"), reason="Redis tidak tersedia di 127.0.0.1:6379")
def test_an_rq_worker_killed_mid_job_makes_the_job_failed_once_rq_lists_it_failed(shared_world, monkeypatch):
    from rq import Queue
    from rq.registry import StartedJobRegistry

    _, world, env = shared_world
    env = {**env, "REDIS_URL": REDIS_URL}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    queue_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    with queue_app.app_context():
        queue = queue_app.extensions["pekppp_jobs"]
        queue.queue.empty()
        job = job_row(world, id="paket-rq", status="queued", runner=queue.runner)
        queue.enqueue(job.id)
        worker = start_process("import sys\nfrom rq.cli import main\nsys.argv = ['rq', 'worker', 'pekppp', '--url', "
                               f"'{REDIS_URL}', '--burst']\nmain()\n", env)
        try:
            wait_for(lambda: stored_status(job.id)[0] == "running")
        finally:
            kill(worker)
        client = Browser(queue_app).log_in("organisasi")
        assert "Menyusun dokumen" in client.get(f"/laporan/paket/{job.id}").text  # RQ does not know yet
        # What the next RQ worker does on start: the job its dead predecessor held goes to RQ's failed list.
        StartedJobRegistry(queue=Queue("pekppp", connection=_redis())).cleanup(timestamp=time.time() + 10 ** 6)
        page = client.get(f"/laporan/paket/{job.id}").text
        assert "gagal di pekerja latar (RQ)" in page and 'http-equiv="refresh"' not in page
        assert mark_abandoned_jobs_failed() == 1 and stored_status(job.id)[0] == "failed"
        queue.queue.empty()


def test_an_unreachable_queue_fails_the_job_and_answers_503(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False, "REDIS_URL": "redis://127.0.0.1:9/0"})
    with app.app_context():
        world = factories.make_world()
        client = app.test_client()
        client.post("/masuk", data={"username": "organisasi", "password": factories.PASSWORD})
        response = client.post(f"/laporan/{world.period.year}/paket-rapat")
        assert response.status_code == 503 and "antrean tugas latar (Redis) tidak dapat dihubungi" in response.text
        (job,) = db.session.scalars(sa.select(ReportJob)).all()
        assert (job.status, job.error) == ("failed", QUEUE_DOWN)
