"""The demo's evaluator team for the current period: an SK, a ketua and an anggota, and who examines what."""
from __future__ import annotations

from datetime import date, timedelta

from ..domain import team
from ..models import Period, TeamRole, Unit, User

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
