"""Follow-up of recommendations: due dates by predikat (both sides of the B/A- border), the late rule (both sides
of the due date), the unit's report with files, the reviewer's answers, who may do what, the monitoring page, the
Laporan Pemantauan PDF and last year's recommendation on this year's form and review."""
from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from assessment.demo.evidence import tiny_pdf
from assessment.domain import followup
from assessment.domain.answers import assessment_for, submit_assessment
from assessment.domain.formatting import today_wib, wib_date
from assessment.domain.models import AssessmentStatus, AuditEvent, EvidenceFile, FollowUpState, Recommendation
from assessment.domain.recommendations import generate_recommendations, recommendations_of
from assessment.domain.scoring import predikat_for
from assessment.extensions import db
from tests.clients import Browser
from tests.factories import fill, make_period, make_user, mark_verified, pdf_text

NOTE = "SOP pengaduan sudah ditetapkan dengan SK Kepala Dinas dan diumumkan di ruang layanan."


def browser(app, user) -> Browser:
    return Browser(app).log_in(user.username)


@pytest.fixture
def last_year(app, world, tmp_path):
    """Last year's result of the unit, final, with its recommendations; this year's period is the world's."""
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    period = make_period(year=world.period.year - 1)
    assessment = assessment_for(world.unit, period)
    db.session.flush()
    fill(assessment, world.opd, level_of=lambda indicator: 3)
    mark_verified(assessment, world.reviewer)
    period.is_open = False
    generate_recommendations(assessment, world.reviewer)
    db.session.commit()
    world.last_year = assessment
    world.recommendation = recommendations_of(assessment)[0]
    return world


def report(client, recommendation, text=NOTE, files=()):
    data = {"text": text, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/tindak-lanjut/rekomendasi/{recommendation.id}/lapor", data=data,
                       content_type="multipart/form-data")


def answer(client, recommendation, decision, text=""):
    return client.post(f"/tindak-lanjut/rekomendasi/{recommendation.id}/tanggapi",
                       data={"decision": decision, "text": text})


def fresh(recommendation) -> Recommendation:
    db.session.expire_all()
    return db.session.get_one(Recommendation, recommendation.id)


# Due dates and the late rule

@pytest.mark.parametrize(("ipp", "days"), [
    ("4.004", 30),  # shown 4,00: still B, the month applies
    ("4.005", 90),  # shown 4,01: A-, three months
    ("3.20", 30),
    ("5.00", 90),
])
def test_the_period_gives_a_month_to_b_and_below_and_three_months_above(world, ipp, days):
    assert followup.days_for(world.period, predikat_for(Decimal(ipp)).letter) == days


def test_recommendations_of_a_final_result_are_due_by_its_predikat(last_year):
    # Every indicator verified at 3: IPP 3,00, predikat C, so the 30 days of B and below.
    due = wib_date(last_year.last_year.verified_at) + timedelta(days=30)
    assert {r.due_on for r in recommendations_of(last_year.last_year)} == {due}


def test_a_period_setting_changes_the_days(last_year):
    last_year.last_year.period.followup_days_b_and_below = 45
    assert followup.due_date(last_year.last_year) == wib_date(last_year.last_year.verified_at) + timedelta(days=45)


@pytest.mark.parametrize(("state", "days_past_due", "standing"), [
    (FollowUpState.OPEN, 0, followup.Standing.OPEN),          # the due date itself is still in time
    (FollowUpState.OPEN, 1, followup.Standing.LATE),          # the day after: late
    (FollowUpState.ASKED_AGAIN, 0, followup.Standing.ASKED_AGAIN),
    (FollowUpState.ASKED_AGAIN, 1, followup.Standing.LATE),
    (FollowUpState.REPORTED, 5, followup.Standing.REPORTED),  # the reviewer's turn: not the unit's lateness
    (FollowUpState.ACCEPTED, 5, followup.Standing.ACCEPTED),
])
def test_late_is_waiting_for_the_unit_after_the_due_date(last_year, state, days_past_due, standing):
    recommendation = last_year.recommendation
    recommendation.followup_state = state
    today = recommendation.due_on + timedelta(days=days_past_due)
    assert followup.standing(recommendation, today) == standing


def test_without_a_due_date_nothing_is_late(last_year):
    last_year.recommendation.due_on = None
    assert followup.standing(last_year.recommendation, today_wib() + timedelta(days=999)) == followup.Standing.OPEN


# The unit reports, the reviewer answers

def test_a_report_with_files_waits_for_the_reviewer_who_accepts_it(app, last_year):
    unit = browser(app, last_year.opd)
    sent = report(unit, last_year.recommendation, files=[("sk-sop.pdf", tiny_pdf(["SK SOP"]))])
    assert sent.status_code == 302
    recommendation = fresh(last_year.recommendation)
    assert recommendation.followup_state == FollowUpState.REPORTED
    (entry,) = recommendation.followups
    assert entry.text == NOTE and entry.author_id == last_year.opd.id
    (attached,) = db.session.scalars(sa.select(EvidenceFile).where(EvidenceFile.attached_id == entry.id)).all()
    assert attached.attached_to == "followup" and attached.original_name == "sk-sop.pdf"
    assert attached not in recommendation.assessment.evidence  # not the form's bukti dukung
    page = unit.get(f"/tindak-lanjut/penilaian/{last_year.last_year.id}").text
    assert "Menunggu tanggapan" in page and "sk-sop.pdf" in page
    assert unit.get(f"/bukti/{attached.id}").status_code == 200

    reviewer = browser(app, last_year.reviewer)
    assert "Tanggapi laporan" in reviewer.get(f"/tindak-lanjut/penilaian/{last_year.last_year.id}").text
    assert answer(reviewer, recommendation, "terima").status_code == 302
    assert fresh(recommendation).followup_state == FollowUpState.ACCEPTED
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("followup.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["followup.evidence", "followup.report", "followup.accept"]
    again = report(unit, recommendation)
    assert again.status_code == 422 and "sudah diterima" in again.text


def test_asking_again_needs_a_note_and_gives_the_unit_its_turn_back(app, last_year):
    unit, reviewer = browser(app, last_year.opd), browser(app, last_year.reviewer)
    report(unit, last_year.recommendation)
    answer(reviewer, last_year.recommendation, "minta", "")
    assert fresh(last_year.recommendation).followup_state == FollowUpState.REPORTED  # refused: nothing changed
    answer(reviewer, last_year.recommendation, "minta", "Lampirkan foto pengumuman SOP di ruang layanan.")
    recommendation = fresh(last_year.recommendation)
    assert recommendation.followup_state == FollowUpState.ASKED_AGAIN
    page = unit.get("/tindak-lanjut/").text
    assert "Lampirkan foto pengumuman SOP" in page and "Diminta dilengkapi" in page
    assert report(unit, recommendation, "Foto terlampir.").status_code == 302
    assert fresh(recommendation).followup_state == FollowUpState.REPORTED
    assert [e.step for e in fresh(recommendation).followups] == ["report", "ask_again", "report"]


def test_a_refused_report_stores_nothing_and_keeps_what_was_typed(app, last_year):
    unit = browser(app, last_year.opd)
    refused = report(unit, last_year.recommendation, files=[("sk.pdf", b"bukan pdf sama sekali")])
    assert refused.status_code == 422
    assert "Laporan belum terkirim" in refused.text and NOTE in refused.text
    empty = report(unit, last_year.recommendation, text="   ")
    assert empty.status_code == 422 and "Tuliskan apa yang sudah dilakukan" in empty.text
    recommendation = fresh(last_year.recommendation)
    assert recommendation.followup_state == FollowUpState.OPEN and recommendation.followups == []
    assert db.session.scalars(sa.select(EvidenceFile)).all() == []


def test_only_the_unit_reports_and_only_its_reviewer_answers(app, last_year):
    recommendation = last_year.recommendation
    other = browser(app, last_year.other_opd)
    assert report(other, recommendation).status_code == 404
    assert other.get(f"/tindak-lanjut/penilaian/{last_year.last_year.id}").status_code == 404
    assert report(browser(app, last_year.reviewer), recommendation).status_code == 403
    unit = browser(app, last_year.opd)
    report(unit, recommendation)
    assert answer(unit, recommendation, "terima").status_code == 403
    assert unit.get("/tindak-lanjut/pemantauan").status_code == 403
    assert fresh(recommendation).followup_state == FollowUpState.REPORTED


def test_a_team_member_who_does_not_conclude_the_unit_cannot_answer(app, last_year):
    from tests.factories import add_member, assign

    member = make_user("anggota1", last_year.reviewer.role)
    period = last_year.last_year.period
    add_member(period, last_year.reviewer, "ketua")
    add_member(period, member)
    assign(period, last_year.unit, last_year.reviewer)  # the ketua holds the unit
    db.session.commit()
    report(browser(app, last_year.opd), last_year.recommendation)
    assert answer(browser(app, member), last_year.recommendation, "terima").status_code == 403
    assert answer(browser(app, last_year.reviewer), last_year.recommendation, "terima").status_code == 302


# Monitoring and the report for the leadership

def test_the_monitoring_page_counts_and_filters_without_changing_anything(app, last_year):
    recommendations = recommendations_of(last_year.last_year)
    for recommendation in recommendations:
        recommendation.due_on = today_wib() - timedelta(days=1)  # every one late ...
    recommendations[0].followup_state = FollowUpState.ACCEPTED  # ... but the one done
    db.session.commit()
    reviewer = browser(app, last_year.reviewer)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    page = reviewer.get(f"/tindak-lanjut/pemantauan?tahun={last_year.last_year.period.year}").text
    late = len(recommendations) - 1
    assert re.search(rf"Terlambat</div><div class=\"h4 mb-0\">{late}<", page)
    assert re.search(r"Selesai</div><div class=\"h4 mb-0\">1<", page)
    assert last_year.unit.short_name in page
    only_done = reviewer.get(f"/tindak-lanjut/pemantauan?tahun={last_year.last_year.period.year}&status=selesai").text
    assert "Tidak ada unit yang cocok" in only_done
    searched = reviewer.get(f"/tindak-lanjut/pemantauan?tahun={last_year.last_year.period.year}&q=tidakada").text
    assert "Tidak ada unit yang cocok" in searched
    assert reviewer.get("/tindak-lanjut/pemantauan?tahun=1999").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert fresh(recommendations[1]).followup_state == FollowUpState.OPEN


def test_the_laporan_pemantauan_prints_every_unit_and_the_late_recommendations(app, last_year):
    late = recommendations_of(last_year.last_year)[1]
    late.due_on = today_wib() - timedelta(days=3)
    db.session.commit()
    response = browser(app, last_year.reviewer).get(f"/tindak-lanjut/pemantauan/{last_year.last_year.period.year}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    year = last_year.last_year.period.year
    assert f"Laporan Pemantauan Tindak Lanjut Rekomendasi Hasil Evaluasi PEKPPP Tahun {year}" in text
    assert last_year.unit.name in text and "Rekomendasi yang terlambat ditindaklanjuti" in text
    assert late.indicator_code in text
    assert re.search(r"Terlambat (\d+)", text).group(1) == "1"


# Next year's form and review

def test_this_years_form_and_review_show_last_years_recommendation_and_its_follow_up(app, last_year):
    recommendation = last_year.recommendation
    code = recommendation.indicator_code
    aspect = last_year.last_year.instrument.item(code).aspect_code
    unit = browser(app, last_year.opd)
    report(unit, recommendation)
    fill(last_year.assessment, last_year.opd, codes={code})
    db.session.commit()
    page = unit.get(f"/penilaian/{last_year.assessment.id}/aspek/{aspect}").text
    assert f"Rekomendasi {last_year.last_year.period.year}:" in page and "Menunggu tanggapan" in page
    fill(last_year.assessment, last_year.opd)
    submit_assessment(last_year.assessment, last_year.opd, today_wib())
    db.session.commit()
    review = browser(app, last_year.reviewer).get(f"/organisasi/penilaian/{last_year.assessment.id}/verifikasi").text
    assert f"Rekomendasi {last_year.last_year.period.year}:" in review
    assert f"rekomendasi-{recommendation.id}" in review


def test_the_dashboard_shows_where_each_of_last_years_recommendations_stands(app, last_year):
    recommendations = recommendations_of(last_year.last_year)
    recommendations[0].due_on = today_wib() - timedelta(days=1)
    recommendations[1].followup_state = FollowUpState.ACCEPTED
    db.session.commit()
    page = browser(app, last_year.opd).get("/penilaian").text
    assert f"Rekomendasi Bagian Organisasi {last_year.last_year.period.year}" in page
    assert "Terlambat" in page and "Selesai" in page and "Belum dilaporkan" in page
    assert f'href="/tindak-lanjut/penilaian/{last_year.last_year.id}"' in page


def test_a_reopened_result_takes_no_report_until_it_is_final_again(app, last_year):
    last_year.last_year.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    refused = report(browser(app, last_year.opd), last_year.recommendation)
    assert refused.status_code == 422 and "setelah hasil evaluasinya final" in refused.text
    assert fresh(last_year.recommendation).followups == []


def test_the_database_applies_the_same_late_rule_as_the_pages(last_year):
    """The monitoring page counts in SQL (domain/followup.py _standing_on), each page reads ``standing``: the same
    answer for every state on both sides of the due date."""
    today = today_wib()
    cases = [(state, today - timedelta(days=days)) for state in FollowUpState for days in (-1, 0, 1)]
    recommendations = recommendations_of(last_year.last_year)
    while len(recommendations) < len(cases) + 1:  # one more, without a due date
        recommendations.append(Recommendation(assessment=last_year.last_year, text="Tambahan.",
                                              position=len(recommendations)))
        db.session.add(recommendations[-1])
    for recommendation, (state, due) in zip(recommendations, cases, strict=False):
        recommendation.followup_state, recommendation.due_on = state, due
    recommendations[len(cases)].due_on = None
    db.session.commit()
    (row,) = followup.monitoring(last_year.last_year.period, today)
    expected = Counter(followup.standing(r, today) for r in recommendations_of(last_year.last_year))
    assert row.counts == expected and row.late == 2  # open and asked again, a day past their due date
    late = followup.late_recommendations(last_year.last_year.period, today)
    assert len(late) == 2 and {item.due_on for item in late} == {today - timedelta(days=1)}
