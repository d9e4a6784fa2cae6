"""Review and verification through the test client: decisions, return, resubmission, verify, reopen."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus, AuditEvent, Recommendation, ReviewDecision
from assessment.domain.recommendations import suggest
from assessment.domain.scoring import score
from assessment.extensions import db
from tests.factories import INSTRUMENT, answer_fields, fill, mark_verified, review_fields, version_of


def review_url(assessment, suffix="verifikasi"):
    return f"/organisasi/penilaian/{assessment.id}/{suffix}"


def review(client, assessment, **choices):
    """Post the review page: every indicator "agree" unless given, e.g. review(c, a, **{"14.b.K": ("2", "note")})."""
    return client.post(review_url(assessment), data=decisions(refreshed(assessment), **choices))


def decisions(assessment, **choices):
    """Form data: every indicator "agree" unless overridden, e.g. decisions(a, **{"14.b.K": ("2", "note")}),
    based on the stored versions of the reviews."""
    data = {}
    for indicator in INSTRUMENT.indicators:
        choice, note = choices.get(indicator.code, ("agree", ""))
        data |= review_fields(indicator.code, choice, note, version_of(assessment.reviews, indicator.code))
    return data


@pytest.fixture
def submitted(world):
    fill(world.assessment, world.opd)  # every indicator at level 4
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    return world


@pytest.fixture
def reviewer(client, auth, submitted):
    auth.login("organisasi")
    return submitted


def refreshed(assessment):
    db.session.expire_all()
    return assessment


def test_opd_cannot_open_review_pages(client, auth, submitted):
    auth.login("dpmptsp")
    assert client.get(review_url(submitted.assessment)).status_code == 403
    assert client.get("/organisasi/").status_code == 403


def test_changed_level_needs_a_note_and_nothing_is_saved_without_it(client, reviewer):
    response = review(client, reviewer.assessment, **{"14.b.K": ("2", "")})
    assert "Catatan wajib diisi" in response.text
    assert refreshed(reviewer.assessment).reviews == {}


def test_forged_choice_is_refused(client, reviewer):
    response = review(client, reviewer.assessment, **{"1.a.Ak": ("9", "")})
    assert "Pilihan verifikasi tidak sah" in response.text
    assert refreshed(reviewer.assessment).reviews == {}


def test_verified_ipp_comes_from_verified_levels(client, reviewer):
    # All at 4 (IPP 4,00); 14.b.K verified at 2: 4 - 25 x 30 x 2 / 10000 = 3,85
    data = decisions(reviewer.assessment, **{"14.b.K": ("2", "Pin dan slogan tidak terlihat pada foto.")})
    client.post(review_url(reviewer.assessment), data=data)
    assessment = refreshed(reviewer.assessment)
    assert assessment.reviews["14.b.K"].decision == ReviewDecision.CHANGE
    assert assessment.reviews["1.a.Ak"].decision == ReviewDecision.AGREE
    verified = score(INSTRUMENT, assessment.verified_levels())
    assert verified.ipp == Decimal("3.85")
    page = client.get(review_url(assessment)).text
    assert "3,85" in page and "4,00" in page and "\u22120,15" in page  # a true minus sign, as on every page


def test_choosing_the_opds_own_level_counts_as_agreeing(client, reviewer):
    review(client, reviewer.assessment, **{"1.a.Ak": ("4", "")})
    assert refreshed(reviewer.assessment).reviews["1.a.Ak"].decision == ReviewDecision.AGREE


def test_half_done_review_is_kept_and_verify_is_refused_until_complete(client, reviewer):
    data = decisions(reviewer.assessment)
    data["30_f_B-choice"] = ""
    client.post(review_url(reviewer.assessment), data=data)
    response = client.post(review_url(reviewer.assessment, "verifikasi-akhir"), data={"confirm": "y"}, follow_redirects=True)
    assert "1 indikator belum diperiksa (30.f.B)" in response.text
    assessment = refreshed(reviewer.assessment)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert sum(review.decision is not None for review in assessment.reviews.values()) == 29


def test_agree_with_the_rest_keeps_decisions_taken(client, reviewer):
    data = decisions(reviewer.assessment, **{"14.b.K": ("2", "Kurang bukti.")})
    data.update({f"{i.code.replace('.', '_')}-choice": "" for i in INSTRUMENT.indicators if i.code != "14.b.K"})
    client.post(review_url(reviewer.assessment), data=data)
    client.post(review_url(reviewer.assessment, "setujui-sisa"))
    assessment = refreshed(reviewer.assessment)
    assert assessment.reviews["14.b.K"].verified_level == 2
    assert sum(r.decision == ReviewDecision.AGREE for r in assessment.reviews.values()) == 29


def test_return_resubmit_shows_what_changed_then_verify(client, auth, reviewer):
    assessment = reviewer.assessment
    review(client, assessment, **{"14.b.K": ("2", "Pin dan slogan tidak terlihat.")})
    assert "Alasan wajib" in client.post(review_url(assessment, "kembalikan"), data={"reason": " "},
                                         follow_redirects=True).text
    client.post(review_url(assessment, "kembalikan"), data={"reason": "Lengkapi bukti budaya pelayanan."})
    assert refreshed(assessment).status == AssessmentStatus.RETURNED

    auth.logout()
    auth.login("dpmptsp")
    page = client.get(f"/penilaian/{assessment.id}/aspek/b").text
    assert "Lengkapi bukti budaya pelayanan." in page and "Pin dan slogan tidak terlihat." in page
    form = {"action": "save", **answer_fields("14.b.K", 3, "Foto pin ditambahkan.", version=1)}
    assert client.post(f"/penilaian/{assessment.id}/aspek/b", data=form).status_code == 302
    client.post(f"/penilaian/{assessment.id}/kirim", data={"confirm": "y"})
    assessment = refreshed(assessment)
    assert assessment.status == AssessmentStatus.SUBMITTED and len(assessment.submissions) == 2
    assert assessment.reviews["14.b.K"].decision is None  # changed answer: to be reviewed again
    assert assessment.reviews["1.a.Ak"].decision == ReviewDecision.AGREE

    auth.logout()
    auth.login("organisasi")
    page = client.get(review_url(assessment)).text
    assert "1 indikator berubah" in page and "Berubah: level 4 → 3" in page and "Foto pin ditambahkan." in page
    client.post(review_url(assessment, "setujui-sisa"))
    response = client.post(review_url(assessment, "verifikasi-akhir"), data={"confirm": "y"}, follow_redirects=True)
    assert "terverifikasi" in response.text.lower()
    assessment = refreshed(assessment)
    assert assessment.status == AssessmentStatus.VERIFIED and assessment.verified_by == reviewer.reviewer


def test_verified_assessment_is_locked(client, reviewer):
    review(client, reviewer.assessment)
    client.post(review_url(reviewer.assessment, "verifikasi-akhir"), data={"confirm": "y"})
    response = review(client, reviewer.assessment, **{"1.a.Ak": ("0", "Ubah")})
    assert response.status_code == 422 and "hanya dapat diisi saat penilaian berstatus dikirim" in response.text
    assert refreshed(reviewer.assessment).reviews["1.a.Ak"].decision == ReviewDecision.AGREE


def test_only_admin_reopens_with_a_reason(client, auth, submitted):
    mark_verified(submitted.assessment, submitted.reviewer)
    db.session.commit()
    auth.login("organisasi")
    assert client.post(review_url(submitted.assessment, "buka-kembali"), data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login("admin")
    client.post(review_url(submitted.assessment, "buka-kembali"), data={"reason": "Salah input level 5.a.K."})
    assessment = refreshed(submitted.assessment)
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.verified_at is None
    history = client.get(review_url(assessment, "riwayat")).text
    assert "Dibuka kembali" in history and "Salah input level 5.a.K." in history


def test_every_level_change_is_in_the_audit_log(client, reviewer):
    review(client, reviewer.assessment, **{"14.b.K": ("2", "Kurang bukti.")})
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.assessment_id == reviewer.assessment.id)).all()
    opd_changes = [e for e in events if e.action == "answer.level"]
    assert len(opd_changes) == 30 and {(e.old_value, e.new_value) for e in opd_changes} == {(None, "4")}
    (review_change,) = [e for e in events if e.action == "review.level" and e.indicator_code == "14.b.K"]
    assert (review_change.old_value, review_change.new_value, review_change.user) == (None, "2", reviewer.reviewer)
    history = client.get(review_url(reviewer.assessment, "riwayat")).text
    assert "Level verifikasi" in history and "Dikirim" in history


def test_recommendations_follow_weight_times_gap_and_can_be_edited(client, auth, reviewer):
    review(client, reviewer.assessment, **{"29.f.B": ("1", "Inovasi belum berjalan.")})
    client.post(review_url(reviewer.assessment, "verifikasi-akhir"), data={"confirm": "y"})
    recs = db.session.scalars(sa.select(Recommendation).order_by(Recommendation.position)).all()
    # 29.f.B at 1: 12 x 50 x 4 / 10000 = 0,24 ahead of 14.b.K at 4: 25 x 30 x 1 / 10000 = 0,075
    assert [r.indicator_code for r in recs][:2] == ["29.f.B", "14.b.K"]
    assert "dari level 1 ke level 2" in recs[0].text

    client.post(f"/organisasi/rekomendasi/{recs[1].id}/ubah", data={"text": "Pasang pin dan slogan."})
    client.post(f"/organisasi/rekomendasi/{recs[2].id}/hapus")
    client.post(review_url(reviewer.assessment, "rekomendasi"), data={"indicator_code": "", "text": "Perbarui SOP."})
    texts = [r.text for r in db.session.scalars(sa.select(Recommendation).order_by(Recommendation.position))]
    assert texts[1] == "Pasang pin dan slogan." and texts[-1] == "Perbarui SOP." and len(texts) == 5

    auth.logout()
    auth.login("dpmptsp")
    dashboard = client.get("/penilaian").text
    assert "Pasang pin dan slogan." in dashboard and "Perbarui SOP." in dashboard
    assert client.post(f"/organisasi/rekomendasi/{recs[0].id}/hapus").status_code == 403


def test_suggest_orders_by_potential_and_skips_level_five():
    levels = {i.code: 5 for i in INSTRUMENT.indicators} | {"1.a.Ak": 3, "21.d.T": 0}
    ranked = suggest(INSTRUMENT, levels)
    # 21.d.T: 11 x 30 x 5 = 1650 ; 1.a.Ak: 24 x 17 x 2 = 816 (both / 10000)
    assert [(s.indicator.code, s.potential) for s in ranked] == [("21.d.T", Decimal("0.165")), ("1.a.Ak", Decimal("0.0816"))]


def test_queue_filters_and_sorts(client, auth, world):
    fill(world.assessment, world.opd)
    fill(world.other_assessment, world.other_opd, level_of=lambda ind: 2)
    submit_assessment(world.other_assessment, world.other_opd, today_wib())
    db.session.commit()
    auth.login("organisasi")
    submitted_only = client.get("/organisasi/?status=submitted").text
    assert "Disdukcapil" in submitted_only and "DPMPTSP" not in submitted_only
    by_ipp = client.get("/organisasi/?urut=ipp_mandiri&arah=turun").text
    assert by_ipp.index("DPMPTSP") < by_ipp.index("Disdukcapil")
    by_ipp_up = client.get("/organisasi/?urut=ipp_mandiri&arah=naik").text
    assert by_ipp_up.index("Disdukcapil") < by_ipp_up.index("DPMPTSP")
    assert client.get("/organisasi/?urut=nonsense&status=zzz&jenis=zzz&tahun=1900").status_code == 200
