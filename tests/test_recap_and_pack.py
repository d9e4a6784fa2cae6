"""The recap PDF, and the meeting pack through both job queues (in-process, and RQ on the local Redis)."""
import io
import os
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter

from assessment import create_app
from assessment.domain.models import PemdaSettings, ReportJob
from assessment.extensions import db
from assessment.jobs.queue import InProcessQueue, RedisQueue
from assessment.jobs.runner import execute
from assessment.reports.pack import packs_dir, start_meeting_pack
from assessment.reports.pack_layout import PackMerge
from assessment.reports.recap import heat_class
from tests import factories
from tests.factories import fill, mark_verified

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(data: bytes) -> str:
    return " ".join(" ".join(pages_text(data)).split())


def letterhead() -> PemdaSettings:
    return PemdaSettings(pemda_name="Pemerintah Kota Cilegon", office_name="Bagian Organisasi", city="Cilegon",
                         signatory_title="Kepala Bagian Organisasi", signatory_name="Drs. Hendra Gunawan, M.Si.",
                         signatory_nip="197203151996031002", signatory_pangkat="Pembina (IV/a)",
                         sekda_name="Dr. H. Ahmad Sobari, M.Si.", sekda_nip="196805121993031006",
                         sekda_pangkat="Pembina Utama Madya (IV/d)", addressee="Wali Kota Cilegon")


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


def test_a_recap_with_units_pending_is_an_unsigned_draft(client, auth, results):
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/{results.period.year}/rekap.pdf").data)
    assert "DRAF" in text and "rekapitulasi ini masih sementara" in text
    assert "Mengetahui" not in text and "memindai kode QR" not in text and "Kepala Bagian Organisasi" not in text


def test_recap_is_a_signed_letter_once_every_unit_is_verified(client, auth, results):
    fill(results.other_assessment, results.other_opd, level_of=lambda indicator: 3)
    mark_verified(results.other_assessment, results.reviewer)
    results.period.recap_number = f"700/214/Org/{results.period.year}"
    db.session.add(letterhead())
    db.session.commit()
    auth.login("organisasi")
    text = flat(client.get(f"/laporan/{results.period.year}/rekap.pdf").data)
    assert "DRAF" not in text and "Unit belum terverifikasi" not in text
    for expected in (f"Nomor : 700/214/Org/{results.period.year}", "Lampiran : –",
                     f"Hal : Rekapitulasi Hasil Evaluasi PEKPPP Tahun {results.period.year}",
                     "Kepada Yth. Wali Kota Cilegon di Cilegon", "Mengetahui, Sekretaris Daerah Kota Cilegon",
                     "Dr. H. Ahmad Sobari, M.Si. Pembina Utama Madya (IV/d) NIP 19680512 199303 1 006",
                     "Kepala Bagian Organisasi Drs. Hendra Gunawan, M.Si. Pembina (IV/a) NIP 19720315 199603 1 002",
                     "memindai kode QR"):
        assert expected in text, expected


def test_a_recap_without_its_nomor_leaves_a_line_to_fill_in_by_hand(client, auth, results):
    auth.login("organisasi")
    assert "Nomor : ......" in flat(client.get(f"/laporan/{results.period.year}/rekap.pdf").data)


@pytest.mark.parametrize(("score", "band"), [("2.50", "heat-low"), ("2.505", "heat-mid"), ("3.5049", "heat-mid"),
                                             ("3.505", "heat-good"), ("4.005", "heat-high"), ("4.505", "heat-top")])
def test_a_heat_map_cell_takes_the_band_of_the_value_it_prints(score, band):
    assert heat_class(Decimal(score)) == band  # 3,505 prints as 3,51 (half up), so it is no longer "<= 3,50"


def test_opd_cannot_get_the_recap_or_start_a_pack(client, auth, results):
    auth.login("dpmptsp")
    assert client.get(f"/laporan/{results.period.year}/rekap.pdf").status_code == 403
    assert client.post(f"/laporan/{results.period.year}/paket-rapat").status_code == 403


def build_pack(results, job_id: str = "job-sync") -> tuple[ReportJob, list[str]]:
    job = ReportJob(id=job_id, kind="paket-rapat", period_id=results.period.id, status="queued", base_url="http://x/")
    db.session.add(job)
    db.session.commit()
    execute(job.id)
    db.session.refresh(job)
    assert job.status == "done", job.error
    return job, [" ".join(text.split()) for text in pages_text((packs_dir() / f"{job.id}.pdf").read_bytes())]


def test_meeting_pack_is_one_book_numbered_throughout_with_its_contents_and_every_document_on_an_odd_page(app, results):
    fill(results.other_assessment, results.other_opd, level_of=lambda indicator: 3)
    mark_verified(results.other_assessment, results.reviewer)
    db.session.add(letterhead())
    results.period.pack_number = f"700/215/Org/{results.period.year}"
    db.session.commit()
    job, pages = build_pack(results)
    assert (job.done, job.total) == (6, 6)  # cover letter, recap, and a Berita Acara and a scorecard per unit
    total = len(pages)
    for number, text in enumerate(pages, start=1):  # the pack's page numbers only, one per page, never restarting
        assert re.findall(r"Halaman (\d+) dari (\d+)", text) == [(str(number), str(total))], number
    contents = next(text for text in pages if text.startswith("Daftar Isi"))
    cover, own, recap_page = map(int, re.search(
        r"Surat pengantar (\d+) Daftar isi (\d+) I\. Rekapitulasi hasil evaluasi PEKPPP tahun \d+ (\d+)", contents).groups())
    units = re.findall(r"(\d+)\. (Unit \w+) (\d+) (\d+)", contents)
    assert [unit for _, unit, _, _ in units] == ["Unit DPMPTSP", "Unit Disdukcapil"]  # by rank: 4,00 before 3,00
    starts = [(cover, "Bahan Rapat Pimpinan"), (own, "Daftar Isi"), (recap_page, "Rekapitulasi Hasil Evaluasi PEKPPP Tahun")]
    for _, unit, ba_page, card_page in units:
        starts += [(int(ba_page), "BERITA ACARA"), (int(card_page), "LAPORAN HASIL PENILAIAN MANDIRI")]
        assert unit in pages[int(ba_page) - 1] and unit in pages[int(card_page) - 1]
    for page, title in starts:
        assert page % 2 == 1, (page, title)  # a right-hand page
        assert title in pages[page - 1], (page, title)
        if page > 1 and len(pages[page - 2].split()) < 12:  # the page before a start left blank to make it odd
            assert "Halaman ini sengaja dikosongkan." in pages[page - 2]
    assert sum(text.count("BERITA ACARA") for text in pages) == 2
    assert f"Nomor : 700/215/Org/{results.period.year}" in pages[0] and "Mengetahui" in pages[0]  # a signed letter


def test_a_meeting_pack_while_units_are_pending_has_an_unsigned_cover_letter(app, results):
    _, pages = build_pack(results)
    assert "DRAF" in pages[0] and "Mengetahui" not in pages[0] and "memindai kode QR" not in pages[0]
    assert "bahan ini masih sementara" in pages[0]


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
        assert (job.status, job.done, job.total) == ("done", 4, 4)
        pages = pages_text((tmp_path / "packs" / f"{job.id}.pdf").read_bytes())
        assert "Rekapitulasi" in pages[0] and "http://pekppp.example/v/" in "\n".join(pages)
        db.session.remove()


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize("contents_pages", [1, 2, 3])
@pytest.mark.parametrize("lengths", [(1, 3, 2, 4), (2, 1, 1, 1), (3, 5)])
def test_the_pack_layout_puts_every_document_and_the_contents_on_an_odd_page(lengths, contents_pages):
    """Documents of any length in any order of arrival; contents of one to three pages (the first guess is two)."""
    merge = PackMerge(len(lengths))
    for index in reversed(range(len(lengths))):  # the last one finishes first
        merge.add(index, blank_pdf(lengths[index]))
    seen = []

    def render_contents(own_page, starts):
        seen.append((own_page, starts))
        return blank_pdf(contents_pages)

    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(merge.finish(render_contents))).pages]
    own_page, starts = seen[-1]
    assert own_page % 2 == 1 and all(start % 2 == 1 for start in starts)
    expected = [starts[0], own_page, *starts[1:]]  # the contents come second
    assert expected == sorted(expected) and starts[0] == 1
    assert len(pages) == starts[-1] + lengths[-1] - 1  # nothing after the last document
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"Halaman (\d+) dari (\d+)", text) == [(str(number), str(len(pages)))], (number, text)
    blanks = {number for number, text in enumerate(pages, start=1) if "sengaja dikosongkan" in text}
    documents = [range(start, start + length) for start, length in zip(starts, lengths, strict=True)]
    filled = {page for pages_of in documents for page in pages_of} | set(range(own_page, own_page + contents_pages))
    assert blanks == set(range(1, len(pages) + 1)) - filled  # every other page, and only those, says it is blank
