"""``flask demo``: demonstration units, accounts and an open period. Safe to run again."""
from __future__ import annotations

from datetime import timedelta

import click
import sqlalchemy as sa

from ..extensions import db
from ..formatting import today_wib
from ..instrument import DEFAULT_INSTRUMENT_PATH
from ..instruments import import_instrument
from ..models import Period, Role, Unit, UnitKind, User
from ..selfassessment.services import assessment_for, save_answers

DEMO_PASSWORD = "demo-pekppp"

UNITS = [
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", UnitKind.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", UnitKind.DINAS),
    ("Dinas Kesehatan", "Dinas Kesehatan", UnitKind.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan", UnitKind.DINAS),
    ("Dinas Sosial", "Dinas Sosial", UnitKind.DINAS),
    ("Dinas Komunikasi, Informatika, Sandi dan Statistik", "Diskominfo", UnitKind.DINAS),
    ("UPTD Puskesmas Cibeber", "Puskesmas Cibeber", UnitKind.PUSKESMAS),
    ("UPTD Puskesmas Pulomerak", "Puskesmas Pulomerak", UnitKind.PUSKESMAS),
]

# username, full name, NIP, role, unit short name
ACCOUNTS = [
    ("admin", "Rina Marlina, S.Kom.", "198703122010012004", Role.ADMIN, None),
    ("organisasi", "Drs. Ahmad Fauzi, M.Si.", "197405161998031003", Role.REVIEWER, None),
    ("dpmptsp", "Hj. Siti Nurjanah, S.E., M.M.", "197209071997032002", Role.OPD, "DPMPTSP"),
    ("disdukcapil", "Bambang Hermawan, S.STP., M.Si.", "197811252000121001", Role.OPD, "Disdukcapil"),
]

# Half of Disdukcapil's form: aspects a and b and the first indicator of c.
DISDUKCAPIL_ANSWERS = {
    "1.a.Ak": (5, "SP 14 komponen ditetapkan dengan SK Kepala Dinas, disusun bersama forum konsultasi publik, "
                  "dimonev tiap semester."),
    "2.a.P": (4, "Forum konsultasi publik melibatkan pengguna layanan, akademisi Untirta, kecamatan dan media lokal."),
    "3.a.T": (4, "Dipublikasikan di papan informasi, laman resmi, Instagram dan SIPP Nasional."),
    "4.a.K": (3, "SP ditinjau setiap dua tahun untuk seluruh jenis layanan; terakhir tahun 2025."),
    "5.a.K": (5, "Maklumat pelayanan ditetapkan, dipasang di ruang tunggu dan diunggah di laman resmi."),
    "6.a.B": (4, "SKM sesuai PermenPANRB 14/2017, hasil dipasang di ruang tunggu dan laman resmi."),
    "7.a.T": (3, "Hasil SKM dipublikasikan di papan informasi, laman resmi dan Instagram."),
    "8.a.Ak": (4, "Dari 6 rencana tindak lanjut SKM, 5 sudah selesai (83%)."),
    "9.a.Ak": (3, "Tindak lanjut dimulai paling lambat 6 bulan setelah laporan SKM."),
    "10.b.As": (4, "Layanan tanpa istirahat, Sabtu pagi, dan jemput bola di kecamatan."),
    "11.b.K": (3, "Kode etik memuat hak dan kewajiban, anti-KKN, anti-diskriminasi dan sanksi."),
    "12.b.Ak": (3, "Penghargaan pegawai teladan, diklat teknis dan konseling."),
    "13.b.K": (4, "Kriteria penghargaan: kinerja, disiplin, inovasi dan kepuasan masyarakat."),
    "14.b.K": (5, "Seragam, ID card, pin, penerapan 5S dan moto 'Cepat, Tepat, Ramah'."),
    "15.c.K": (3, "Parkir roda dua dan empat terpisah, juru parkir, dan CCTV."),
}


@click.command("demo")
def demo_command() -> None:
    """Isi basis data dengan data contoh (unit, akun, periode). Aman dijalankan ulang."""
    period = _demo_period()
    units = {short: _unit(name, short, kind) for name, short, kind in UNITS}
    users = {acc[0]: _account(*acc, units=units) for acc in ACCOUNTS}
    assessment = assessment_for(units["Disdukcapil"], period)
    if not assessment.answers:
        entries = {code: (level, text) for code, (level, text) in DISDUKCAPIL_ANSWERS.items()}
        save_answers(assessment, entries, users["disdukcapil"], today_wib())
    db.session.commit()
    click.echo(f"Data contoh siap: {len(units)} unit, {len(users)} akun (kata sandi '{DEMO_PASSWORD}'), "
               f"periode {period.year}.")


def _demo_period() -> Period:
    today = today_wib()
    version, _ = import_instrument(DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    period = db.session.scalar(sa.select(Period).where(Period.year == today.year))
    if period is None:
        period = Period(
            year=today.year,
            title=f"Penilaian Mandiri PEKPPP Tahun {today.year}",
            instrument_version=version,
            opens_on=today - timedelta(days=30),
            deadline=today + timedelta(days=21),
            is_open=True,
        )
        db.session.add(period)
    return period


def _unit(name: str, short_name: str, kind: UnitKind) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.short_name == short_name))
    if unit is None:
        unit = Unit(name=name, short_name=short_name, kind=kind, active=True)
        db.session.add(unit)
    return unit


def _account(username: str, full_name: str, nip: str, role: Role, unit_short: str | None, units: dict) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=full_name, nip=nip, role=role,
                    unit=units[unit_short] if unit_short else None, active=True)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user
