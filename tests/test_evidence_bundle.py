"""Issue 14 item 4: "Unduh semua bukti", every evidence file of a unit's form in one ZIP, streamed."""
from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from assessment.demo.evidence import tiny_pdf
from assessment.domain.models import EvidenceFile
from assessment.extensions import db
from tests.test_evidence import PNG, stored, upload


@pytest.fixture
def opd(client, auth, world, app, tmp_path):
    """DPMPTSP's head logged in, evidence in a folder of the test's own."""
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    auth.login("dpmptsp")
    return world


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_bundle_holds_every_file_by_indicator_and_a_list(client, auth, opd):
    pdf = tiny_pdf(["SK penetapan"])
    upload(client, opd.assessment, [("sk.pdf", pdf), ("foto.png", PNG)])
    upload(client, opd.assessment, [("sk.pdf", pdf)], code="2_a_P")
    first, second, third = stored(opd.assessment)
    response = client.get(f"/penilaian/{opd.assessment.id}/bukti.zip")
    assert response.is_streamed  # written while it is sent, not built in memory first
    assert response.headers["Content-Disposition"] == f'attachment; filename="bukti-dukung-DPMPTSP-{opd.period.year}.zip"'
    archive = _zip(response)
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == [f"1.a.Ak/{first.id}-sk.pdf", f"1.a.Ak/{second.id}-foto.png", f"2.a.P/{third.id}-sk.pdf",
                     "daftar-berkas.txt"]
    assert archive.read(names[0]) == pdf and archive.read(names[1]) == PNG
    listing = archive.read("daftar-berkas.txt").decode()
    assert "Bukti dukung Unit DPMPTSP" in listing and f"2.a.P/{third.id}-sk.pdf" in listing


def test_a_file_missing_from_the_disk_is_listed_not_fatal(client, opd):
    upload(client, opd.assessment, [("sk.pdf", tiny_pdf(["SK"]))])
    (evidence,) = stored(opd.assessment)
    evidence.stored_name = "hilang-dari-disk.pdf"
    db.session.commit()
    archive = _zip(client.get(f"/penilaian/{opd.assessment.id}/bukti.zip"))
    assert archive.namelist() == ["daftar-berkas.txt"]
    assert f"TIDAK ADA DI SERVER: 1.a.Ak/{evidence.id}-sk.pdf" in archive.read("daftar-berkas.txt").decode()


def test_only_the_unit_and_the_staff_get_the_bundle(client, auth, opd):
    upload(client, opd.assessment, [("sk.pdf", tiny_pdf(["SK"]))])
    url = f"/penilaian/{opd.assessment.id}/bukti.zip"
    assert "Unduh semua bukti (ZIP)" in client.get("/penilaian").text
    auth.logout()
    auth.login("disdukcapil")
    assert client.get(url).status_code == 404
    auth.logout()
    assert client.get(url).status_code == 302
    auth.login("organisasi")
    assert len(_zip(client.get(url)).namelist()) == 2
    assert "Unduh semua bukti (ZIP)" in client.get(f"/organisasi/penilaian/{opd.assessment.id}/verifikasi").text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceFile)) == 1  # reading changed nothing
