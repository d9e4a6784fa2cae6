"""The demo's evaluation: for the current period the team (an SK, a ketua and an anggota, who examines what),
one unit in its verification window after a field visit and a returned unit answering a note; for last year, the
follow-up of its recommendations."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..domain import conversation, field_visits, followup, objections, team
from ..domain.answers import assessment_for
from ..domain.evidence.services import Upload
from ..domain.models import Assessment, AssessmentStatus, FindingKind, Period, Recommendation, TeamRole, Unit, User
from ..domain.reviews import AGREE, save_review
from ..extensions import db
from .evidence import tiny_pdf, tiny_png

SK_NUMBER = "800/{number}/Kep.Wali/{year}"
# username, role in the team, jabatan as the SK writes it
MEMBERS = [
    ("organisasi", TeamRole.KETUA, "Kepala Subbagian Kelembagaan dan Analisis Jabatan, Bagian Organisasi Setda"),
    ("admin", TeamRole.ANGGOTA, "Pranata Komputer Ahli Muda, Bagian Organisasi Setda"),
]
# The ketua holds every unit; the Pemda gives the Inovasi aspect (F) of one unit to the other member, as some
# Pemda hand single aspects to the OPD that knows them best.
ASPECT_GIVEN = ("Dinas Kesehatan", "f", "admin")


def load_demo_team(period: Period, units: dict[str, Unit], users: dict[str, User], today: date) -> None:
    ketua = users["organisasi"]
    team.save_decree(period, SK_NUMBER.format(number=112, year=period.year), today - timedelta(days=35), ketua)
    members = {username: team.save_member(period, users[username], role, jabatan, users[username].nip or "", ketua)
               for username, role, jabatan in MEMBERS}
    for unit in units.values():
        team.assign(period, unit, "", members["organisasi"].id, ketua)
    unit_name, aspect_code, username = ASPECT_GIVEN
    team.assign(period, units[unit_name], aspect_code, members[username].id, ketua)


# One unit in its masa sanggah: reviewed, sent as hasil sementara two days ago, one objection waiting for its answer.
# The demo period itself verifies at once (objection_days 0), so the walk-through of a whole year
# (tests/browser/test_full_year.py) still ends verified in one step; this window was opened for seven days.
WINDOW_UNIT, WINDOW_DAYS = "Dinas Kesehatan", 7
def load_demo_window(period: Period, unit: Unit, opd: User, reviewer: User, today: date) -> None:
    assessment = assessment_for(unit, period)
    levels = assessment.levels()
    lowered = next(i for i in period.instrument.indicators if i.aspect_code == "b" and (levels.get(i.code) or 0) > 1)
    evidence = lowered.evidence[0]
    lowered_level = levels[lowered.code]
    assert lowered_level is not None, "chosen above for a level above 1"
    decisions = {indicator.code: (AGREE, "") for indicator in period.instrument.indicators}
    decisions[lowered.code] = (str(lowered_level - 1), f"Bukti dukung belum memadai: {evidence} belum lengkap.")
    save_review(assessment, decisions, reviewer)
    sent_on = today - timedelta(days=2)
    window = objections.open_window(assessment, reviewer, sent_on, days=WINDOW_DAYS)
    window.opened_at = datetime.combine(sent_on, time(2, 0))  # 09.00 WIB
    objection = objections.file_objection(
        assessment, lowered.code, f"{evidence} sudah lengkap dan terlampir sejak pengiriman; mohon level "
        f"{levels[lowered.code]} dipertahankan.", opd, today - timedelta(days=1))
    objection.filed_at = datetime.combine(today - timedelta(days=1), time(3, 30))


# The returned unit has answered one of the reviewer's notes (the conversation on a returned form).
CONVERSATION_UNIT = "Dinas Sosial"


def load_demo_conversation(period: Period, unit: Unit, opd: User) -> None:
    assessment = assessment_for(unit, period)
    code = conversation.noted_codes(assessment)[0]
    conversation.post(assessment, code, "Dokumen tersebut sudah ada dalam arsip kami; kami unggah ulang hari ini "
                      "bersama SK penetapannya. Mohon diperiksa kembali setelah formulir kami kirim ulang.", opd)


# Last year's recommendations, followed up in every state the monitoring page knows: done, waiting for the
# reviewer, asked again, not reported (late by now). This year's verified units have theirs still in time.
# unit -> the steps of each of its recommendations, in order: r = the unit reports, a = accepted, m = asked again
FOLLOWUP_STEPS = {
    "Disdukcapil": ["ra", "ra", "ra", "ra", "ra"],
    "Diskominfo": ["ra", "ra", "ra", "r", "r"],
    "Dinas Kesehatan": ["ra", "r", "rm", "", "rmr"],
    "Puskesmas Cibeber": ["rm", "", "r", "", ""],
}
FIRST_REPORT = ("Sudah kami tindak lanjuti: dokumennya kami susun, tetapkan dengan SK Kepala, dan terapkan di ruang "
                "layanan sejak bulan lalu. Bukti terlampir.")
NEXT_REPORT = "Kekurangan sudah kami lengkapi dengan dokumentasi penerapannya; mohon diperiksa kembali."
ASK_AGAIN = "Bukti belum menunjukkan pelaksanaannya; lampirkan dokumentasi penerapan (foto, daftar hadir, tautan)."


def load_demo_followup(past: Period, units: dict[str, Unit], opd_of: dict[str, User], reviewer: User) -> None:
    for assessment in followup_results(past):
        # The past year's steps were dated after the fact (scenario._play): give its recommendations the due dates
        # of that date.
        recommendations = followup.recommendations_to_follow(assessment)
        for recommendation in recommendations:
            recommendation.due_on = None
        followup.set_due_dates(assessment, recommendations)
        steps = FOLLOWUP_STEPS.get(assessment.unit.short_name, [])
        for recommendation, plan in zip(recommendations, steps, strict=False):
            _follow(recommendation, plan, opd_of[assessment.unit.short_name], reviewer)


def followup_results(period: Period) -> list[Assessment]:
    return list(db.session.scalars(sa.select(Assessment).where(Assessment.period_id == period.id,
                                                               Assessment.status == AssessmentStatus.VERIFIED)))


def _follow(recommendation: Recommendation, plan: str, opd: User, reviewer: User) -> None:
    assert recommendation.due_on is not None, "given above"
    day = recommendation.due_on - timedelta(days=12)  # reports and answers dated inside the follow-up period
    for n, step in enumerate(plan):
        if step == "r":
            first = not recommendation.followups
            files = [Upload(recommendation.indicator_code or "", f"tindak-lanjut-{recommendation.indicator_code}.pdf",
                            tiny_pdf([f"Bukti tindak lanjut {recommendation.indicator_code}", opd.full_name]))]
            entry = followup.report(recommendation, FIRST_REPORT if first else NEXT_REPORT, files if first else [], opd)
        else:
            entry = followup.answer(recommendation, step == "a", "" if step == "a" else ASK_AGAIN, reviewer)
        entry.created_at = datetime.combine(day + timedelta(days=3 * n), time(3, 0))


# The unit in its masa sanggah was visited before its hasil sementara: both members went, four indicators of the
# facilities and complaints aspects were looked at, one was not as the form claims.
VISIT_OFFICIALS = ("dr. Ratna Dewi Kartika, M.K.M. — Kepala Dinas Kesehatan\n"
                   "Hj. Nurlela, S.K.M. — Sekretaris Dinas Kesehatan\n"
                   "Agus Salim, S.Kom. — Kepala Subbagian Umum dan Kepegawaian")
VISIT_EXIT_NOTES = ("Tim menyampaikan bahwa sarana parkir, ruang tunggu dan sarana pengaduan sesuai dengan penilaian "
                    "mandiri. Toilet bagi pengguna layanan belum memenuhi seluruh kondisi yang diklaim.\n"
                    "Sekretaris Dinas menerima temuan tersebut dan menyatakan akan melengkapinya pada triwulan berikut.")


def load_demo_visit(period: Period, unit: Unit, users: dict[str, User], today: date) -> None:
    assessment = assessment_for(unit, period)
    ketua = users["organisasi"]
    field_visits.save_visit(assessment, today - timedelta(days=3), [ketua.id, users["admin"].id], VISIT_OFFICIALS,
                            VISIT_EXIT_NOTES, ketua, today)
    instrument = period.instrument
    parking, waiting, toilets = instrument.aspect("c").indicators[:3]
    complaints = instrument.aspect("e").indicators[0]
    field_visits.set_findings(assessment, {
        parking.code: (FindingKind.CONFIRMED, "Parkir roda dua dan roda empat terpisah, ada petugas dan kanopi."),
        waiting.code: (FindingKind.CONFIRMED, "Ruang tunggu berpendingin, ada layar antrean dan air minum."),
        toilets.code: (FindingKind.NOT_AS_CLAIMED, "Toilet terpisah pria/wanita, tetapi belum ada toilet untuk "
                                                  "penyandang disabilitas dan jadwal pemeriksaan kebersihan."),
        complaints.code: (FindingKind.CONFIRMED, "Kotak pengaduan dan petugas di ruang pelayanan terpadu."),
    }, ketua)
    field_visits.add_photos(assessment, [Upload(waiting.code, "ruang-tunggu.png", tiny_png())], ketua)
