"""Evidence uploads: types read from content, limits, storage outside static/, access, deletion, the submit rule."""
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from assessment.demo.evidence import tiny_pdf
from assessment.domain.models import AssessmentStatus, EvidenceFile
from assessment.extensions import db
from tests.factories import answer_fields, fill

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def opd(client, auth, world, app, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    auth.login("dpmptsp")
    return world


def upload(client, assessment, files, code="1_a_Ak", **extra):
    data = {"action": "save", f"evidence_{code}": [(io.BytesIO(content), name) for name, content in files], **extra}
    return client.post(f"/penilaian/{assessment.id}/aspek/a", data=data, content_type="multipart/form-data",
                       follow_redirects=True)


def stored(assessment):
    db.session.expire_all()
    return db.session.scalars(sa.select(EvidenceFile).where(EvidenceFile.assessment_id == assessment.id)).all()


@pytest.mark.parametrize(("name", "content", "mime", "label"), [
    ("sk.pdf", tiny_pdf(["SK"]), "application/pdf", "PDF"),
    ("foto.JPG", JPEG, "image/jpeg", None),  # images show a thumbnail instead
    ("foto.png", PNG, "image/png", None),
    ("laporan.docx", office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    ("rekap.xlsx", office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
])
def test_accepted_types_are_stored_outside_static_with_random_names(client, opd, app, tmp_path, name, content, mime,
                                                                     label):
    response = upload(client, opd.assessment, [(name, content)], **answer_fields("1.a.Ak", justification="Ada SK"))
    assert "Draf tersimpan." in response.text
    if label:
        assert f'<span class="evidence-kind">{label}</span>' in response.text
    (evidence,) = stored(opd.assessment)
    assert (evidence.original_name, evidence.mime_type, evidence.size) == (name, mime, len(content))
    assert evidence.stored_name != name and len(evidence.sha256) == 64
    path = tmp_path / "evidence" / str(opd.assessment.id) / evidence.stored_name
    assert path.read_bytes() == content
    assert not path.resolve().is_relative_to(Path(app.static_folder).resolve())


@pytest.mark.parametrize(("name", "content", "message"), [
    ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "jenis berkas tidak diterima"),
    ("halaman.html", b"<html><script>alert(1)</script></html>", "jenis berkas tidak diterima"),
    ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "jenis berkas tidak diterima"),
    ("kosong.pdf", b"", "berkas kosong"),
    ("foto.pdf", PNG, "nama berkas tidak sesuai dengan isinya (PNG)"),
    ("arsip.docx", b"PK\x03\x04not really a zip", "jenis berkas tidak diterima"),
])
def test_refused_files_change_nothing_and_keep_the_typed_answers(client, opd, name, content, message):
    response = upload(client, opd.assessment, [(name, content)],
                      **answer_fields("1.a.Ak", 4, "Penjelasan yang tidak boleh hilang"))
    assert message in response.text
    assert "Penjelasan yang tidak boleh hilang" in response.text and 'value="4" checked' in response.text
    assert stored(opd.assessment) == [] and opd.assessment.answers == {}


def test_oversized_file_is_refused(client, opd, app):
    app.config["EVIDENCE_MAX_FILE_BYTES"] = 1024
    response = upload(client, opd.assessment, [("besar.pdf", tiny_pdf(["x"]) + b"\x00" * 2048)])
    assert "ukuran berkas lebih dari" in response.text
    assert stored(opd.assessment) == []


def test_total_per_assessment_is_limited(client, opd, app):
    app.config["EVIDENCE_MAX_TOTAL_BYTES"] = len(tiny_pdf(["a"])) + 10
    upload(client, opd.assessment, [("a.pdf", tiny_pdf(["a"]))])
    response = upload(client, opd.assessment, [("b.pdf", tiny_pdf(["b"]))])
    assert "melebihi batas" in response.text and len(stored(opd.assessment)) == 1


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "lapor\x01an\t\x7f.pdf", "   .pdf",
                                  "é" * 300 + ".pdf"])
def test_odd_names_are_cleaned(client, opd, name):
    upload(client, opd.assessment, [(name, tiny_pdf(["x"]))])
    (evidence,) = stored(opd.assessment)
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in evidence.original_name)
    assert evidence.original_name.endswith(".pdf") and len(evidence.original_name) <= 200


def test_download_is_limited_to_the_unit_reviewers_and_admins(client, auth, opd):
    upload(client, opd.assessment, [("sk.pdf", tiny_pdf(["SK"]))])
    (evidence,) = stored(opd.assessment)
    url = f"/bukti/{evidence.id}"
    own = client.get(url)
    assert own.status_code == 200 and own.data.startswith(b"%PDF") and own.mimetype == "application/pdf"
    assert "inline" in own.headers["Content-Disposition"]
    auth.logout()
    auth.login("disdukcapil")
    assert client.get(url).status_code == 404
    auth.logout()
    assert client.get(url).status_code == 302
    for username in ("organisasi", "admin"):
        auth.login(username)
        assert client.get(url).status_code == 200
        auth.logout()


def test_delete_while_editable_only(client, opd):
    upload(client, opd.assessment, [("sk.pdf", tiny_pdf(["SK"])), ("foto.png", PNG)])
    first, second = stored(opd.assessment)
    response = client.post(f"/penilaian/{opd.assessment.id}/aspek/a", data={"action": f"hapus-bukti:{first.id}"},
                           follow_redirects=True)
    assert "Draf tersimpan." in response.text
    assert [e.id for e in stored(opd.assessment)] == [second.id]
    opd.assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    refused = client.post(f"/penilaian/{opd.assessment.id}/aspek/a", data={"action": f"hapus-bukti:{second.id}"},
                          follow_redirects=True)
    assert "tidak dapat diubah lagi" in refused.text and len(stored(opd.assessment)) == 1


def test_other_units_evidence_cannot_be_deleted(client, opd):
    other = EvidenceFile(assessment_id=opd.other_assessment.id, indicator_code="1.a.Ak", original_name="x.pdf",
                         stored_name="abc.pdf", mime_type="application/pdf", size=1, sha256="0" * 64)
    db.session.add(other)
    db.session.commit()
    response = client.post(f"/penilaian/{opd.assessment.id}/aspek/a", data={"action": f"hapus-bukti:{other.id}"},
                           follow_redirects=True)
    assert "tidak ditemukan" in response.text
    assert db.session.get(EvidenceFile, other.id) is not None


def test_submit_lists_indicators_without_evidence_unless_the_period_waives_it(client, opd):
    opd.period.require_evidence = True
    fill(opd.assessment, opd.opd, level_of=lambda ind: 0 if ind.code == "2.a.P" else 3)
    db.session.commit()
    upload(client, opd.assessment, [("sk.pdf", tiny_pdf(["SK"]))])
    refused = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={"confirm": "y"}, follow_redirects=True)
    assert "28 indikator di atas level 0 belum memiliki bukti dukung" in refused.text
    assert "1.a.Ak" not in refused.text.split("bukti dukung (")[1].split(")")[0]  # has a file
    assert "2.a.P" not in refused.text.split("bukti dukung (")[1].split(")")[0]  # level 0 needs none
    summary = client.get(f"/penilaian/{opd.assessment.id}/ringkasan").text  # told before pressing "Kirim"
    assert "Bukti dukung belum dilampirkan: 28 indikator" in summary and "Kirim penilaian" not in summary
    opd.period.require_evidence = False
    db.session.commit()
    summary = client.get(f"/penilaian/{opd.assessment.id}/ringkasan").text
    assert "Bukti dukung belum dilampirkan" not in summary and "Kirim penilaian" in summary
    accepted = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={"confirm": "y"}, follow_redirects=True)
    assert "berhasil dikirim" in accepted.text
