"""The field visit (observasi lapangan): recording it, its findings and photos, who may do what and when, the review
page beside each indicator, and the Berita Acara's annex."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assessment.demo.evidence import tiny_pdf, tiny_png
from assessment.domain import field_visits
from assessment.domain.answers import submit_assessment
from assessment.domain.evidence.storage import path_of
from assessment.domain.formatting import tanggal, today_wib
from assessment.domain.models import (
    AssessmentStatus,
    AttachedTo,
    AuditEvent,
    EvidenceFile,
    FieldVisit,
    FindingKind,
    Role,
    VisitFinding,
)
from assessment.extensions import db
from tests import factories
from tests.clients import Browser
from tests.factories import fill, mark_verified, pdf_text

CONFIRMED_CODE, NOT_AS_CLAIMED_CODE = "15.c.K", "17.c.As"


def browser(app, user) -> Browser:
    return Browser(app).log_in(user.username)


def url(world, part: str = "") -> str:
    return f"/observasi/penilaian/{world.assessment.id}{part}"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def visit_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.like("visit.%")))


def visit_data(world, **changes) -> dict:
    return {"visited_on": today_wib().isoformat(), "members": [str(world.reviewer.id)],
            "officials": "Drs. Hendra Wijaya — Kepala Dinas\nSiti Aminah, S.E. — Sekretaris",
            "exit_notes": "Unit menerima temuan dan akan melengkapi toilet ramah disabilitas.", **changes}


def findings_data(**chosen: tuple[str, str]) -> dict:
    """Every indicator as "not observed" but those given ({field key: (finding, note)})."""
    data = {}
    for indicator in factories.INSTRUMENT.indicators:
        key = indicator.code.replace(".", "_")
        finding, note = chosen.get(key, ("", ""))
        data |= {f"finding_{key}": finding, f"note_{key}": note}
    return data


@pytest.fixture
def submitted(world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    return world


@pytest.fixture
def visited(app, submitted):
    """A visit recorded by the reviewer, with a finding of each kind."""
    reviewer = browser(app, submitted.reviewer)
    assert reviewer.post(url(submitted), data=visit_data(submitted)).status_code == 302
    answer = reviewer.post(url(submitted, "/temuan"), data=findings_data(
        **{"15_c_K": ("confirmed", "Parkir roda dua dan empat terpisah, ada petugas."),
           "17_c_As": ("not_as_claimed", "Toilet disabilitas belum ada; yang ada toilet umum.")}))
    assert answer.status_code == 302
    db.session.expire_all()
    return submitted


def test_a_reviewer_records_the_visit_and_each_change_is_audited(app, visited):
    visit = field_visits.visit_of(visited.assessment)
    assert visit.visited_on == today_wib() and [m.username for m in visit.members] == ["organisasi"]
    assert field_visits.officials_of(visit) == ["Drs. Hendra Wijaya — Kepala Dinas", "Siti Aminah, S.E. — Sekretaris"]
    assert {f.indicator_code: f.finding for f in visit.findings} == {
        CONFIRMED_CODE: FindingKind.CONFIRMED, NOT_AS_CLAIMED_CODE: FindingKind.NOT_AS_CLAIMED}
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("visit.%"))).all()
    assert sorted(actions) == ["visit.exit_notes", "visit.finding", "visit.finding", "visit.members",
                               "visit.officials", "visit.record"]
    page = browser(app, visited.reviewer).get(url(visited)).text
    assert "Toilet disabilitas belum ada" in page and "Simpan temuan" in page


def test_clearing_a_finding_and_saving_the_same_again_changes_only_what_changed(app, visited):
    reviewer = browser(app, visited.reviewer)
    answer = reviewer.post(url(visited, "/temuan"), data=findings_data(
        **{"15_c_K": ("confirmed", "Parkir roda dua dan empat terpisah, ada petugas.")}), follow_redirects=True)
    assert "1 indikator berubah" in answer.text
    db.session.expire_all()
    assert set(field_visits.findings_by_code(visited.assessment)) == {CONFIRMED_CODE}
    again = reviewer.post(url(visited, "/temuan"), data=findings_data(
        **{"15_c_K": ("confirmed", "Parkir roda dua dan empat terpisah, ada petugas.")}), follow_redirects=True)
    assert "Tidak ada temuan yang berubah." in again.text


def test_not_as_claimed_needs_a_note_and_a_refusal_changes_nothing(app, visited):
    before = visit_events()
    answer = browser(app, visited.reviewer).post(url(visited, "/temuan"), data=findings_data(
        **{"15_c_K": ("", ""), "1_a_Ak": ("not_as_claimed", "  ")}))
    assert answer.status_code == 422
    assert "Indikator 1.a.Ak: tuliskan apa yang ditemukan bila tidak sesuai klaim." in answer.text
    db.session.expire_all()
    assert set(field_visits.findings_by_code(visited.assessment)) == {CONFIRMED_CODE, NOT_AS_CLAIMED_CODE}
    assert visit_events() == before


@pytest.mark.parametrize(("changes", "message"), [
    ({"visited_on": "besok"}, "Isi tanggal kunjungan yang sah."),
    ({"visited_on": (today_wib() + timedelta(days=1)).isoformat()}, "tidak boleh setelah hari ini"),
    ({"members": []}, "Pilih sekurang-kurangnya satu anggota tim yang hadir."),
    ({"members": ["999999"]}, "Pilih anggota dari tim evaluator."),
    ({"members": ["x"]}, "Pilih anggota dari tim evaluator."),
])
def test_bad_visit_input_is_refused_in_indonesian_and_nothing_is_stored(app, submitted, changes, message):
    before = visit_events()
    answer = browser(app, submitted.reviewer).post(url(submitted), data=visit_data(submitted, **changes))
    assert answer.status_code == 422 and message in answer.text
    assert count(FieldVisit) == 0 and visit_events() == before


def test_findings_and_photos_wait_for_the_visit(app, submitted):
    reviewer = browser(app, submitted.reviewer)
    answer = reviewer.post(url(submitted, "/temuan"), data=findings_data(**{"15_c_K": ("confirmed", "")}))
    assert "Simpan dahulu tanggal kunjungan" in answer.text
    assert count(VisitFinding) == 0


def test_a_photo_is_stored_with_the_visit_and_is_no_evidence_of_the_form(app, visited):
    reviewer = browser(app, visited.reviewer)
    answer = reviewer.post(url(visited, "/foto"), data={"indicator_code": NOT_AS_CLAIMED_CODE,
                                                         "photos": [(io.BytesIO(tiny_png()), "toilet.png")]},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "1 foto tersimpan." in answer.text
    db.session.expire_all()
    visit = field_visits.visit_of(visited.assessment)
    photo = db.session.scalar(sa.select(EvidenceFile))
    assert (photo.attached_to, photo.attached_id, photo.indicator_code) == (AttachedTo.VISIT, visit.id,
                                                                            NOT_AS_CLAIMED_CODE)
    assert photo.mime_type == "image/png" and path_of(photo).read_bytes() == tiny_png()
    assert visited.assessment.evidence == []  # not bukti dukung
    served = reviewer.get(f"/bukti/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert f"/bukti/{photo.id}" in reviewer.get(f"/organisasi/penilaian/{visited.assessment.id}/verifikasi").text
    assert browser(app, visited.opd).get(f"/bukti/{photo.id}").status_code == 404  # the evaluators' record

    removed = reviewer.post(url(visited, "/foto/hapus"), data={"photo_id": str(photo.id)}, follow_redirects=True)
    assert "Foto dihapus." in removed.text
    assert count(EvidenceFile) == 0 and not path_of(photo).exists()


@pytest.mark.parametrize(("data", "name"), [(tiny_pdf(["SK"]), "sk.pdf"), (tiny_pdf(["SK"]), "foto.png"),
                                            (b"bukan gambar", "foto.jpg"), (tiny_png(), "foto.jpg")])
def test_only_jpg_and_png_photos_are_accepted(app, visited, data, name):
    answer = browser(app, visited.reviewer).post(url(visited, "/foto"), data={
        "indicator_code": "", "photos": [(io.BytesIO(data), name)]}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "Foto belum tersimpan" in answer.text
    assert count(EvidenceFile) == 0


def test_get_changes_nothing(app, visited):
    before = (visit_events(), count(FieldVisit), count(VisitFinding))
    for user in (visited.reviewer, visited.admin):
        assert browser(app, user).get(url(visited)).status_code == 200
    db.session.expire_all()
    assert (visit_events(), count(FieldVisit), count(VisitFinding)) == before


def test_units_cannot_read_or_record_a_visit(app, visited):
    for user in (visited.opd, visited.other_opd):
        client = browser(app, user)
        assert client.get(url(visited)).status_code == 403
        assert client.post(url(visited), data=visit_data(visited)).status_code == 403
        assert client.post(url(visited, "/temuan"), data=findings_data()).status_code == 403


def test_a_team_member_not_holding_the_unit_reads_but_cannot_record(app, visited):
    period = visited.period
    holder, outsider = (factories.make_user(name, Role.REVIEWER) for name in ("pemegang", "anggota-lain"))
    factories.add_member(period, holder, "ketua")
    factories.add_member(period, outsider)
    factories.assign(period, visited.unit, holder)
    factories.assign(period, visited.other_unit, outsider, by=holder)
    db.session.commit()
    client = browser(app, outsider)
    page = client.get(url(visited))
    assert page.status_code == 200 and "tidak mengubahnya" in page.text and "Simpan temuan" not in page.text
    assert client.post(url(visited), data=visit_data(visited, members=[str(outsider.id)])).status_code == 403
    assert client.post(url(visited, "/temuan"), data=findings_data()).status_code == 403
    # with a team, the members present are chosen from it (those already named stay choosable)
    answer = browser(app, holder).post(url(visited), data=visit_data(visited, members=[str(visited.admin.id)]))
    assert "Pilih anggota dari tim evaluator." in answer.text
    assert browser(app, holder).post(url(visited), data=visit_data(visited, members=[str(outsider.id)])).status_code == 302


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED, AssessmentStatus.VERIFIED])
def test_a_visit_is_recorded_only_under_review_or_provisional(app, visited, status):
    factories.set_status(visited.assessment, status)
    reviewer = browser(app, visited.reviewer)
    answer = reviewer.post(url(visited), data=visit_data(visited, exit_notes="Diubah."), follow_redirects=True)
    assert "observasi lapangan hanya dapat dicatat selama penilaian diperiksa" in answer.text
    db.session.expire_all()
    assert field_visits.visit_of(visited.assessment).exit_notes.startswith("Unit menerima temuan")
    assert "Simpan temuan" not in reviewer.get(url(visited)).text


def test_the_review_page_shows_the_finding_beside_its_indicator(app, visited):
    page = browser(app, visited.reviewer).get(f"/organisasi/penilaian/{visited.assessment.id}/verifikasi").text
    section = page[page.index('id="rev-17_c_As"'):page.index('id="rev-18_c_K"')]
    assert "Observasi: tidak sesuai klaim" in section and "Toilet disabilitas belum ada" in section
    assert "Observasi: sesuai" in page[page.index('id="rev-15_c_K"'):page.index('id="rev-16_c_As"')]
    assert f'href="/observasi/penilaian/{visited.assessment.id}"' in page


def test_the_berita_acara_prints_the_visit_as_its_annex(app, visited, tmp_path):
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    visited.reviewer.nip = "198203142006041002"
    mark_verified(visited.assessment, visited.reviewer)
    db.session.commit()
    data = browser(app, visited.reviewer).get(f"/laporan/penilaian/{visited.assessment.id}/berita-acara.pdf").data
    text = pdf_text(data)
    assert "LAMPIRAN: HASIL OBSERVASI LAPANGAN" in text  # the title is set in capitals (print.css)
    assert f"Tanggal kunjungan {tanggal(today_wib())}" in text
    assert "Pegawai organisasi 19820314 200604 1 002" in text
    assert "Drs. Hendra Wijaya — Kepala Dinas" in text
    assert "Tidak sesuai klaim Toilet disabilitas belum ada" in text
    assert "Unit menerima temuan dan akan melengkapi toilet ramah disabilitas." in text


def test_a_berita_acara_without_a_visit_has_no_annex(app, submitted, tmp_path):
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    mark_verified(submitted.assessment, submitted.reviewer)
    db.session.commit()
    data = browser(app, submitted.reviewer).get(f"/laporan/penilaian/{submitted.assessment.id}/berita-acara.pdf").data
    assert "observasi lapangan" not in pdf_text(data).lower()
