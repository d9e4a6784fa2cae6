"""The demo's evaluation for the current period: the team (an SK, a ketua and an anggota, who examines what) and
one unit in its verification window, a returned unit answering a note."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..domain import conversation, objections, team
from ..domain.answers import assessment_for
from ..domain.models import Period, TeamRole, Unit, User
from ..domain.reviews import AGREE, save_review

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
