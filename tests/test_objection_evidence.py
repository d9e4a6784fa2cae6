"""New evidence filed with an objection: stored like any bukti dukung (same checks, same disk), attached to the
objection (not the form), shown to the evaluator and in the Berita Acara, served to whoever may see the assessment;
a refused or unstorable file leaves neither the objection nor any file."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from assessment.demo.evidence import tiny_pdf
from assessment.domain import objections
from assessment.domain.evidence.services import missing_evidence
from assessment.domain.labels import ACTION_LABELS
from assessment.domain.models import AttachedTo, EvidenceFile, Objection
from assessment.extensions import db
from tests.factories import INSTRUMENT
from tests.test_evidence import PNG
from tests.test_files_on_disk import small_disk  # noqa: F401 (a fixture)
from tests.test_objections import LOWERED, browser, events, finalize, pdf_text, sent  # noqa: F401 (sent: a fixture)

REASON = "SK penghargaan pegawai terbit bulan lalu; pindaiannya terlampir sebagai bukti baru."


def object_with(app, world, files: list[tuple[str, bytes]], code: str = LOWERED):
    data = {"indicator_code": code, "reason": REASON, "files": [(io.BytesIO(content), name) for name, content in files]}
    return browser(app, world.opd).post(f"/evaluasi/penilaian/{world.assessment.id}/sanggah", data=data,
                                        content_type="multipart/form-data", follow_redirects=True)


def stored_files() -> list[EvidenceFile]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EvidenceFile)))


def files_on_disk(app) -> list[str]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []


def nothing_filed(app) -> bool:
    return (db.session.scalars(sa.select(Objection)).all() == [] and stored_files() == []
            and files_on_disk(app) == [] and events("objection.file", "objection.evidence") == [])


def test_new_evidence_is_attached_to_the_objection_shown_and_served(app, sent):  # noqa: F811
    sk = tiny_pdf(["SK penghargaan"])
    page = object_with(app, sent, [("SK penghargaan.pdf", sk), ("foto.png", PNG)])
    assert "Sanggahan untuk indikator 14.b.K terkirim ke evaluator, dengan 2 bukti baru." in page.text
    (objection,) = objections.current_window(sent.assessment).objections
    files = objection.evidence
    assert [(f.original_name, f.attached_to, f.attached_id, f.indicator_code, f.assessment_id) for f in files] == [
        ("SK penghargaan.pdf", AttachedTo.OBJECTION, objection.id, LOWERED, sent.assessment.id),
        ("foto.png", AttachedTo.OBJECTION, objection.id, LOWERED, sent.assessment.id)]
    assert sorted(files_on_disk(app)) == sorted(f.stored_name for f in files)  # in place, no .part left
    assert "SK penghargaan.pdf" in page.text  # the unit sees what it sent
    review = browser(app, sent.reviewer).get(f"/organisasi/penilaian/{sent.assessment.id}/verifikasi").text
    assert "Bukti baru (2 berkas)" in review and f'href="/bukti/{files[0].id}"' in review
    for user in (sent.opd, sent.reviewer, sent.admin):
        served = browser(app, user).get(f"/bukti/{files[0].id}")
        assert served.status_code == 200 and served.data == sk
    assert [(e.user_id, e.indicator_code, e.new_value) for e in events("objection.evidence")] == [
        (sent.opd.id, LOWERED, "SK penghargaan.pdf"), (sent.opd.id, LOWERED, "foto.png")]
    assert "objection.evidence" in ACTION_LABELS


def test_another_unit_cannot_download_an_objections_file(app, sent):  # noqa: F811
    object_with(app, sent, [("sk.pdf", tiny_pdf(["SK"]))])
    (file,) = stored_files()
    assert browser(app, sent.other_opd).get(f"/bukti/{file.id}").status_code == 404


def test_an_objections_files_are_not_the_forms_evidence(app, sent):  # noqa: F811
    sent.period.require_evidence = True
    db.session.commit()
    missing_before = [indicator.code for indicator in missing_evidence(sent.assessment)]
    assert LOWERED in missing_before
    object_with(app, sent, [("sk.pdf", tiny_pdf(["SK"]))])
    db.session.expire_all()
    assert sent.assessment.evidence == []
    assert [indicator.code for indicator in missing_evidence(sent.assessment)] == missing_before
    assert b"sk.pdf" not in browser(app, sent.opd).get(f"/penilaian/{sent.assessment.id}/bukti.zip").data


@pytest.mark.parametrize(("name", "content", "why"), [
    ("catatan.txt", b"bukan berkas yang diterima", "jenis berkas tidak diterima"),
    ("foto.pdf", PNG, "nama berkas tidak sesuai dengan isinya (PNG)"),
])
def test_a_refused_file_refuses_the_objection_and_keeps_the_reason(app, sent, name, content, why):  # noqa: F811
    response = object_with(app, sent, [("sk.pdf", tiny_pdf(["SK"])), (name, content)])
    assert response.status_code == 422
    assert "Sanggahan belum terkirim" in response.text and f"{name}: {why}" in response.text
    assert REASON in response.text and f'value="{LOWERED}" selected' in response.text  # as typed
    assert nothing_filed(app)


def test_an_oversized_file_is_refused(app, sent):  # noqa: F811
    app.config["EVIDENCE_MAX_FILE_BYTES"] = 1024 * 1024
    big = tiny_pdf(["SK"]) + b"%" * (1024 * 1024)
    response = object_with(app, sent, [("besar.pdf", big)])
    assert response.status_code == 422 and "besar.pdf: ukuran berkas lebih dari 1 MB." in response.text
    assert nothing_filed(app)


def test_a_full_disk_leaves_no_objection_and_no_file(app, sent, small_disk):  # noqa: F811
    app.config["EVIDENCE_DIR"] = str(small_disk)
    big = tiny_pdf(["Pindaian SK"]) + b"%" * (400 * 1024)  # more than the 256 KB disk holds
    response = object_with(app, sent, [("sk.pdf", tiny_pdf(["SK"])), ("pindaian.pdf", big)])
    assert response.status_code == 507
    assert "penyimpanan bukti dukung di server penuh" in response.text and REASON in response.text
    assert nothing_filed(app)
    assert object_with(app, sent, [("sk.pdf", tiny_pdf(["SK"]))]).status_code == 200  # room for a small one
    assert len(stored_files()) == 1 and len(files_on_disk(app)) == 1


def test_the_berita_acara_lists_each_objections_new_evidence(app, sent):  # noqa: F811
    object_with(app, sent, [("SK penghargaan.pdf", tiny_pdf(["SK"])), ("foto.png", PNG)])
    (objection,) = objections.current_window(sent.assessment).objections
    browser(app, sent.reviewer).post(f"/evaluasi/sanggahan/{objection.id}/jawab",
                                     data={"answer": "terima", "level": "4", "reason": "SK diterima."})
    browser(app, sent.opd).post(f"/evaluasi/penilaian/{sent.assessment.id}/terima")
    assert "Penilaian terverifikasi." in finalize(app, sent).text
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{sent.assessment.id}/berita-acara.pdf").data)
    assert "Bukti baru: 2 berkas (SK penghargaan.pdf, foto.png)" in text



def test_the_assessments_size_limit_counts_the_objections_files_too(app, sent):  # noqa: F811
    app.config["EVIDENCE_MAX_TOTAL_BYTES"] = 1024 * 1024
    scan = tiny_pdf(["Pindaian SK"]) + b"%" * (600 * 1024)
    assert object_with(app, sent, [("sk.pdf", scan)]).status_code == 200
    other = next(indicator.code for indicator in INSTRUMENT.indicators if indicator.code != LOWERED)
    refused = object_with(app, sent, [("sk-lagi.pdf", scan)], code=other)
    assert refused.status_code == 422 and "jumlah ukuran bukti dukung melebihi batas 1 MB" in refused.text
    assert len(objections.current_window(sent.assessment).objections) == 1 and len(stored_files()) == 1
