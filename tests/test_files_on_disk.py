"""Files and rows never disagree, and a full or read-only disk loses nothing: evidence uploads and removals,
``flask evidence check``, the PDF cache and the meeting pack. The disks are real: a small tmpfs mounted for
the test (filled up, or remounted read-only: chmod means nothing to root, who runs these tests here)."""
from __future__ import annotations

import io
import logging
import subprocess

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from assessment.demo.evidence import tiny_pdf
from assessment.domain.evidence.storage import stage
from assessment.domain.models import Answer, EvidenceFile, ReportJob
from assessment.extensions import db
from assessment.jobs.runner import execute
from assessment.reports.pack import PACK_UNWRITABLE
from tests.factories import answer_fields, fill, mark_verified

TYPED = "Penjelasan yang tidak boleh hilang."


@pytest.fixture
def small_disk(tmp_path):
    """A real 256 KB filesystem; ``small_disk.read_only()`` remounts it read-only."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0777", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode:
        pytest.skip(f"Tidak dapat memasang tmpfs kecil untuk uji disk penuh (perlu root): {mounted.stderr.strip()}")

    class Disk(type(mount_point)):
        def read_only(self):
            subprocess.run(["mount", "-o", "remount,ro", str(self)], check=True)

    yield Disk(mount_point)
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def opd(client, auth, world, app, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    auth.login("dpmptsp")
    return world


def upload(client, assessment, content: bytes, name="sk.pdf", **fields):
    data = {"action": "save", "evidence_1_a_Ak": [(io.BytesIO(content), name)], **answer_fields("1.a.Ak", 4, TYPED)}
    return client.post(f"/penilaian/{assessment.id}/aspek/a", data={**data, **fields}, content_type="multipart/form-data")


def files_under(folder):
    return sorted(path.name for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def rows(model=EvidenceFile):
    db.session.expire_all()
    return db.session.scalars(sa.select(model)).all()


@pytest.fixture
def failing_commit():
    """The next commit fails in the database (as a full disk or a lost connection would make it fail)."""
    def fail(session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event.listen(Session, "before_commit", fail)
    yield
    event.remove(Session, "before_commit", fail)


def test_a_new_file_takes_its_name_only_when_its_row_commits(app, world, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    name = stage(db.session(), world.assessment.id, b"%PDF-1.4 bukti", "pdf")
    folder = tmp_path / "evidence" / str(world.assessment.id)
    assert files_under(folder) == [f"{name}.part"]
    db.session.add(EvidenceFile(assessment_id=world.assessment.id, indicator_code="1.a.Ak", original_name="sk.pdf",
                                stored_name=name, mime_type="application/pdf", size=14, sha256="0" * 64))
    db.session.commit()
    assert files_under(folder) == [name] and (folder / name).read_bytes() == b"%PDF-1.4 bukti"


def test_a_failed_commit_removes_the_new_file_and_brings_the_form_back(client, opd, tmp_path, failing_commit):
    response = upload(client, opd.assessment, tiny_pdf(["SK"]))
    assert response.status_code == 503 and TYPED in response.text
    assert files_under(tmp_path / "evidence") == [] and rows() == [] and rows(Answer) == []


def test_a_removal_whose_commit_fails_keeps_the_file(client, opd, tmp_path, request):
    upload(client, opd.assessment, tiny_pdf(["SK"]))
    (evidence,) = rows()
    request.getfixturevalue("failing_commit")
    refused = client.post(f"/penilaian/{opd.assessment.id}/aspek/a", data={"action": f"hapus-bukti:{evidence.id}"})
    assert refused.status_code == 503
    assert files_under(tmp_path / "evidence") == [evidence.stored_name] and len(rows()) == 1


def test_a_removal_deletes_the_file_once_committed(client, opd, tmp_path):
    upload(client, opd.assessment, tiny_pdf(["SK"]))
    (evidence,) = rows()
    assert client.post(f"/penilaian/{opd.assessment.id}/aspek/a",
                       data={"action": f"hapus-bukti:{evidence.id}"}).status_code == 302
    assert files_under(tmp_path / "evidence") == [] and rows() == []


def test_a_full_disk_is_507_with_the_form_as_typed_and_nothing_left_behind(client, opd, app, small_disk):
    app.config["EVIDENCE_DIR"] = str(small_disk)
    big = tiny_pdf(["Pindaian SK"]) + b"%" * (400 * 1024)  # more than the 256 KB disk holds
    response = upload(client, opd.assessment, big)
    assert response.status_code == 507
    assert "penyimpanan bukti dukung di server penuh" in response.text and TYPED in response.text
    assert 'value="4" checked' in response.text
    assert files_under(small_disk) == [] and rows() == [] and rows(Answer) == []  # no .part, no row, nothing saved
    fits = upload(client, opd.assessment, tiny_pdf(["SK kecil"]))  # room for a small one: saved as usual
    assert fits.status_code == 302 and len(rows()) == 1 and rows(Answer)[0].justification == TYPED


def test_a_read_only_evidence_folder_is_503_with_the_form_as_typed(client, opd, app, small_disk):
    app.config["EVIDENCE_DIR"] = str(small_disk)
    small_disk.read_only()
    response = upload(client, opd.assessment, tiny_pdf(["SK"]))
    assert response.status_code == 503 and "tidak dapat ditulis" in response.text and TYPED in response.text
    assert rows() == [] and rows(Answer) == []


def test_evidence_check_lists_what_disagrees_and_fixes_what_can_be_fixed(app, world, tmp_path):
    root = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(root)
    folder = root / str(world.assessment.id)
    folder.mkdir(parents=True)
    data = tiny_pdf(["Terputus"])

    def row(stored_name, content=data):
        import hashlib

        db.session.add(EvidenceFile(assessment_id=world.assessment.id, indicator_code="1.a.Ak", original_name="x.pdf",
                                    stored_name=stored_name, mime_type="application/pdf", size=len(content),
                                    sha256=hashlib.sha256(content).hexdigest()))

    row("baik.pdf")
    (folder / "baik.pdf").write_bytes(data)
    row("terputus.pdf")  # committed, then the process died before the rename
    (folder / "terputus.pdf.part").write_bytes(data)
    row("hilang.pdf")  # a row whose file is gone
    (folder / "yatim.pdf").write_bytes(b"%PDF orphan")  # a file whose row never committed
    (folder / "sisa.pdf.part").write_bytes(b"%PDF half")  # an upload that failed half-way
    db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["evidence", "check"])
    assert listed.exit_code == 1
    for expected in ("Berkas tanpa catatan (yatim): ", "yatim.pdf", "Sisa unggahan tanpa catatan: ", "sisa.pdf.part",
                     "belum dipindahkan ke tempatnya: ", "terputus.pdf.part", "Catatan tanpa berkas: ", "hilang.pdf"):
        assert expected in listed.output
    assert "baik.pdf" not in listed.output and files_under(folder) == sorted(
        ["baik.pdf", "terputus.pdf.part", "yatim.pdf", "sisa.pdf.part"])
    fixed = runner.invoke(args=["evidence", "check", "--fix"])
    assert fixed.exit_code == 1 and "1 catatan tanpa berkas" in fixed.output  # that one needs a backup
    assert files_under(folder) == ["baik.pdf", "terputus.pdf"] and (folder / "terputus.pdf").read_bytes() == data
    assert (root / "_yatim" / str(world.assessment.id) / "yatim.pdf").read_bytes() == b"%PDF orphan"
    db.session.delete(db.session.scalars(sa.select(EvidenceFile).where(EvidenceFile.stored_name == "hilang.pdf")).one())
    db.session.commit()
    clean = runner.invoke(args=["evidence", "check"])
    assert clean.exit_code == 0 and "Semua catatan bukti dukung cocok dengan berkasnya." in clean.output


def test_an_unwritable_pdf_cache_only_warns_and_the_pdf_is_served(client, auth, world, app, small_disk, caplog):
    app.config["PDF_CACHE_DIR"] = str(small_disk / "cache")
    small_disk.read_only()
    fill(world.assessment, world.opd)
    db.session.commit()
    auth.login("dpmptsp")
    with caplog.at_level(logging.WARNING):
        response = client.get(f"/laporan/penilaian/{world.assessment.id}/kartu.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "cannot be written" in caplog.text and files_under(small_disk) == []


def test_a_full_pdf_cache_leaves_no_partial_file(client, auth, world, app, small_disk):
    filler = small_disk / "cache" / "filler.bin"
    filler.parent.mkdir()
    filler.write_bytes(b"0" * (250 * 1024))  # a few KB left: not enough for a scorecard
    app.config["PDF_CACHE_DIR"] = str(small_disk / "cache")
    fill(world.assessment, world.opd)
    db.session.commit()
    auth.login("dpmptsp")
    response = client.get(f"/laporan/penilaian/{world.assessment.id}/kartu.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert files_under(small_disk) == ["filler.bin"]


def test_a_pack_that_cannot_be_stored_fails_with_the_reason_and_leaves_no_partial_file(app, world, small_disk):
    app.config["PACKS_DIR"] = str(small_disk)
    fill(world.assessment, world.opd)
    mark_verified(world.assessment, world.reviewer)
    job = ReportJob(id="paket-penuh", kind="paket-rapat", period_id=world.period.id, status="queued")
    db.session.add(job)
    db.session.commit()
    small_disk.read_only()
    execute(job.id)
    db.session.expire_all()
    assert (job.status, job.error) == ("failed", PACK_UNWRITABLE)
    assert files_under(small_disk) == []


def test_a_follow_up_report_on_a_full_disk_is_507_with_its_text_and_nothing_stored(client, opd, app, small_disk):
    from assessment.domain.models import FollowUpEntry, Recommendation
    from assessment.domain.recommendations import generate_recommendations

    fill(opd.assessment, opd.opd)
    mark_verified(opd.assessment, opd.reviewer)
    generate_recommendations(opd.assessment, opd.reviewer)
    db.session.commit()
    recommendation = db.session.scalars(sa.select(Recommendation)).first()
    app.config["EVIDENCE_DIR"] = str(small_disk)
    big = tiny_pdf(["Foto SOP"]) + b"%" * (400 * 1024)
    response = client.post(f"/tindak-lanjut/rekomendasi/{recommendation.id}/lapor", content_type="multipart/form-data",
                           data={"text": TYPED, "files": [(io.BytesIO(big), "foto-sop.pdf")]})
    assert response.status_code == 507
    assert "penyimpanan bukti dukung di server penuh" in response.text and TYPED in response.text
    db.session.expire_all()
    assert files_under(small_disk) == [] and rows() == [] and rows(FollowUpEntry) == []
    assert db.session.get_one(Recommendation, recommendation.id).followup_state == "open"
