"""The verification window (masa sanggah): the provisional result, accepting it, objecting, both answers, a window
that passes (dated in WIB), the final verification, the audit log, the stored scores and the Berita Acara."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from assessment.domain import objections
from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus, AuditEvent, VerificationWindow
from assessment.domain.scoring import score
from assessment.extensions import db
from tests.clients import Browser
from tests.factories import INSTRUMENT, fill, pdf_text, review_fields

LOWERED = "14.b.K"  # the reviewer sets 2 where the unit said 4


def browser(app, user) -> Browser:
    return Browser(app).log_in(user.username)


def events(*actions: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)))


@pytest.fixture
def sent(app, world, tmp_path):
    """A period with a seven-day window; the unit's form reviewed (all agreed but LOWERED) and verified once."""
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    world.period.objection_days = 7
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    reviewer = browser(app, world.reviewer)
    data = {}
    for indicator in INSTRUMENT.indicators:
        choice, note = ("2", "Belum ada bukti penghargaan.") if indicator.code == LOWERED else ("agree", "")
        data |= review_fields(indicator.code, choice, note)
    reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi", data=data)
    answer = reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir", data={"confirm": "y"},
                           follow_redirects=True)
    assert "Hasil sementara dikirim ke unit; masa sanggah 7 hari berjalan." in answer.text
    db.session.expire_all()
    return world


def finalize(app, world):
    return browser(app, world.reviewer).post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir",
                                             data={"confirm": "y"}, follow_redirects=True)


def object_to(app, world, code, reason="SK penghargaan pegawai sudah terbit, terlampir pada bukti dukung."):
    return browser(app, world.opd).post(f"/evaluasi/penilaian/{world.assessment.id}/sanggah",
                                        data={"indicator_code": code, "reason": reason}, follow_redirects=True)


def answer(app, world, **data):
    objection = objections.current_window(world.assessment).objections[0]
    return browser(app, world.reviewer).post(f"/evaluasi/sanggahan/{objection.id}/jawab", data=data,
                                             follow_redirects=True)


def test_verifying_sends_a_provisional_result_for_seven_days_counted_in_wib(app, sent):
    assessment = sent.assessment
    window = objections.current_window(assessment)
    assert assessment.status == AssessmentStatus.PROVISIONAL
    assert window.closes_on == today_wib() + timedelta(days=6)  # today is the first of the seven days
    assert assessment.verified_ipp is None and assessment.stored_verified_score() is None  # not published yet
    assert [e.new_value for e in events("assessment.provisional")] == ["provisional"]
    page = browser(app, sent.opd).get(f"/evaluasi/penilaian/{assessment.id}/hasil-sementara").text
    assert "Terima hasil sementara" in page and "7 hari lagi" in page
    expected = score(INSTRUMENT, assessment.verified_levels())
    assert re.search(rf">{re.escape(f'{expected.ipp:.2f}'.replace('.', ','))}<", page)
    for landing in (f"/penilaian/{assessment.id}/ringkasan", "/penilaian"):  # the e-mail's link is the dashboard
        assert "Hasil sementara verifikasi telah dikirim" in browser(app, sent.opd).get(landing).text


def test_the_draft_berita_acara_of_a_provisional_result_prints_the_provisional_ipp_not_the_self_assessed(app, sent):
    assessment = sent.assessment
    provisional = score(INSTRUMENT, assessment.verified_levels())
    own = score(INSTRUMENT, assessment.levels())
    assert provisional.ipp != own.ipp  # LOWERED was set lower by the reviewer
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{assessment.id}/berita-acara.pdf").data)
    shown = f"{provisional.ipp:.2f}".replace(".", ",")
    assert f"IPP sementara (belum diverifikasi) {shown}" in text


def test_the_final_verification_waits_for_the_unit_while_the_window_is_open(app, sent):
    assert "Masa sanggah masih berjalan" in finalize(app, sent).text
    db.session.expire_all()
    assert sent.assessment.status == AssessmentStatus.PROVISIONAL


def test_accepted_then_final(app, sent):
    browser(app, sent.opd).post(f"/evaluasi/penilaian/{sent.assessment.id}/terima")
    assert "Penilaian terverifikasi." in finalize(app, sent).text
    db.session.expire_all()
    assessment = sent.assessment
    assert assessment.status == AssessmentStatus.VERIFIED
    assert assessment.stored_verified_score() == score(INSTRUMENT, assessment.verified_levels())
    assert assessment.verified_levels()[LOWERED] == 2
    assert [e.action for e in events("window.accepted", "assessment.finalize")] == ["window.accepted",
                                                                                   "assessment.finalize"]
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{assessment.id}/berita-acara.pdf").data)
    assert "unit menerimanya tanpa sanggahan" in text


def test_an_objection_accepted_changes_the_level_and_the_stored_score(app, sent):
    assert "Sanggahan untuk indikator 14.b.K terkirim ke evaluator." in object_to(app, sent, LOWERED).text
    assert "Jawab dahulu sanggahan pada indikator 14.b.K" not in finalize(app, sent).text  # the window comes first
    missing_level = answer(app, sent, answer="terima", level="", reason="")
    assert "Pilih level baru (0–5) bila sanggahan diterima." in missing_level.text
    answer(app, sent, answer="terima", level="4", reason="SK penghargaan diterima sebagai bukti.")
    browser(app, sent.opd).post(f"/evaluasi/penilaian/{sent.assessment.id}/terima")  # nothing more to object
    assert "Penilaian terverifikasi." in finalize(app, sent).text
    db.session.expire_all()
    assessment = sent.assessment
    assert assessment.verified_levels()[LOWERED] == 4
    assert assessment.stored_verified_score() == score(INSTRUMENT, assessment.levels())  # every level the unit's
    assert [(e.action, e.old_value, e.new_value) for e in events("objection.file", "objection.accept", "window.done")] == [
        ("objection.file", "2", None), ("objection.accept", "2", "4"), ("window.done", None, None)]
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{assessment.id}/berita-acara.pdf").data)
    assert "Unit mengajukan 1 sanggahan" in text and "SK penghargaan diterima sebagai bukti." in text


def test_an_objection_refused_needs_a_reason_and_keeps_the_level(app, sent):
    object_to(app, sent, LOWERED)
    assert "Alasan penolakan wajib diisi." in answer(app, sent, answer="tolak", reason="").text
    assert objections.current_window(sent.assessment).objections[0].answer is None
    answer(app, sent, answer="tolak", reason="SK terbit setelah periode penilaian.")
    assert "Sanggahan ini sudah dijawab." in answer(app, sent, answer="terima", level="4").text
    browser(app, sent.opd).post(f"/evaluasi/penilaian/{sent.assessment.id}/terima")
    finalize(app, sent)
    db.session.expire_all()
    assert sent.assessment.status == AssessmentStatus.VERIFIED and sent.assessment.verified_levels()[LOWERED] == 2
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{sent.assessment.id}/berita-acara.pdf").data)
    assert "Ditolak: SK terbit setelah periode penilaian." in text


def test_bad_objections_are_refused_and_nothing_changes(app, sent):
    assert "Alasan sanggahan wajib diisi." in object_to(app, sent, LOWERED, reason="  ").text
    assert "Pilih indikator yang ada dalam instrumen." in object_to(app, sent, "99.z.X").text
    object_to(app, sent, LOWERED)
    assert "Indikator 14.b.K sudah disanggah" in object_to(app, sent, LOWERED).text
    assert len(objections.current_window(sent.assessment).objections) == 1


def test_a_window_that_passes_in_wib_counts_as_accepted(app, sent, runner):
    window = objections.current_window(sent.assessment)
    window.closes_on = today_wib()  # the last day, in WIB: still open
    db.session.commit()
    assert "1 hari lagi" in browser(app, sent.opd).get(f"/evaluasi/penilaian/{sent.assessment.id}/hasil-sementara").text
    window.closes_on = today_wib() - timedelta(days=1)
    db.session.commit()
    page = browser(app, sent.opd).get(f"/evaluasi/penilaian/{sent.assessment.id}/hasil-sementara").text
    assert "dianggap diterima" in page and "Kirim sanggahan" not in page
    assert not events("window.lapsed")  # opening a page changes nothing; the date alone says the window ended
    assert "Masa sanggah sudah berakhir" in object_to(app, sent, LOWERED).text
    assert "Masa sanggah berakhir tanpa tanggapan: 1 dicatat." in runner.invoke(args=["sanggah"]).output
    assert "0 dicatat" in runner.invoke(args=["sanggah"]).output  # safe to repeat
    assert "Penilaian terverifikasi." in finalize(app, sent).text
    assert len(events("window.lapsed")) == 1
    text = pdf_text(browser(app, sent.opd).get(f"/laporan/penilaian/{sent.assessment.id}/berita-acara.pdf").data)
    assert "dianggap diterima" in text


def test_window_state_by_date():
    window = VerificationWindow(closes_on=date(2026, 12, 8))
    assert objections.state(window, date(2026, 12, 8)) == objections.WindowState.OPEN
    assert objections.days_left(window, date(2026, 12, 8)) == 1
    assert objections.state(window, date(2026, 12, 9)) == objections.WindowState.LAPSED


def test_a_lapse_is_logged_at_the_final_verification_without_cron(app, sent):
    objections.current_window(sent.assessment).closes_on = today_wib() - timedelta(days=1)
    db.session.commit()
    finalize(app, sent)
    assert [e.action for e in events("window.lapsed", "assessment.finalize")] == ["window.lapsed", "assessment.finalize"]


def test_a_period_without_window_verifies_at_once(app, world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    reviewer = browser(app, world.reviewer)
    reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/setujui-sisa")
    assert "Penilaian terverifikasi." in reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir",
                                                       data={"confirm": "y"}, follow_redirects=True).text
    assert objections.current_window(world.assessment) is None


def test_the_period_form_proposes_seven_days_and_checks_the_range(app, world):
    admin = browser(app, world.admin)
    assert re.search(r'name="objection_days"[^>]*value="7"', admin.get("/admin/periode/baru").text)
    data = {"year": world.period.year, "title": world.period.title, "instrument_id": world.period.instrument_id,
            "opens_on": world.period.opens_on.isoformat(), "deadline": world.period.deadline.isoformat(),
            "ba_number_pattern": world.period.ba_number_pattern}
    refused = admin.post(f"/admin/periode/{world.period.id}", data={**data, "objection_days": "40"})
    assert "Masa sanggah antara 0 dan 30 hari." in refused.text
    admin.post(f"/admin/periode/{world.period.id}", data={**data, "objection_days": "5"})
    db.session.expire_all()
    assert world.period.objection_days == 5


def test_the_admin_takes_a_provisional_result_back_and_a_new_window_opens_later(app, sent):
    admin = browser(app, sent.admin)
    first = objections.current_window(sent.assessment)
    admin.post(f"/organisasi/penilaian/{sent.assessment.id}/buka-kembali", data={"reason": "Terkirim terlalu dini."})
    db.session.expire_all()
    assert sent.assessment.status == AssessmentStatus.SUBMITTED and first.closed_at is not None
    assert "Penilaian ini tidak sedang dalam masa sanggah." in object_to(app, sent, LOWERED).text
    assert first.objections == []
    admin.post(f"/organisasi/penilaian/{sent.assessment.id}/verifikasi-akhir", data={"confirm": "y"})
    db.session.expire_all()
    assert sent.assessment.status == AssessmentStatus.PROVISIONAL
    assert objections.current_window(sent.assessment).id != first.id
