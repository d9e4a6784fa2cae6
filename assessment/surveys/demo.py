"""Demo surveys: Disdukcapil with enough responses for a full Laporan SKM, Puskesmas Cibeber with a few."""
from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from ..domain import f03
from ..domain.models import Channel, Period, Unit, User
from ..extensions import db
from .services import record_response, save_follow_up, save_settings, settings_for

# How often each answer 1..4 comes up, per unsur: complaints handling (U8) is the weak spot, most services are free.
SKM_ODDS = {"U1": (1, 3, 10, 8), "U2": (1, 4, 10, 6), "U3": (2, 6, 9, 4), "U4": (0, 1, 4, 15), "U5": (1, 2, 11, 7),
            "U6": (0, 2, 10, 9), "U7": (0, 1, 9, 11), "U8": (3, 7, 7, 3), "U9": (1, 4, 10, 5)}
F03_ODDS = (0, 1, 2, 5, 9, 5)
PROFILE = {"gender": ("L", "P"), "education": ("smp", "sma", "sma", "diploma", "s1", "s1", "s2"),
           "occupation": ("pns", "swasta", "swasta", "wirausaha", "lainnya", "lainnya")}
SUGGESTIONS = ("Antrean pagi terlalu panjang, mohon tambah loket.", "Petugas ramah dan cepat.",
               "Kotak pengaduan tidak pernah dibalas.", "Ruang tunggu panas, kipas angin rusak.",
               "Informasi persyaratan di laman resmi perlu diperbarui.")
DISDUKCAPIL_PLAN = """1. Penanganan pengaduan (U8): menjawab setiap pengaduan SP4N-LAPOR! dan kotak saran paling lambat \
3 hari kerja, dengan petugas khusus dan rekap bulanan yang dipasang di ruang tunggu (Januari–Maret).
2. Waktu penyelesaian (U3): antrean daring untuk KTP-el dan Kartu Keluarga, loket tambahan pada Senin pagi (Februari).
3. Sarana dan prasarana (U9): perbaikan pendingin ruang tunggu dan penambahan kursi (triwulan II).
Kemajuan tiap langkah dilaporkan kepada Kepala Dinas setiap bulan dan diukur kembali pada survei berikutnya."""


def load_demo_surveys(period: Period, units: dict[str, Unit], opd_of: dict[str, User], today: date) -> None:
    rng = random.Random(f"survei-{period.year}")
    capil, capil_opd = units["Disdukcapil"], opd_of["Disdukcapil"]
    settings = settings_for(capil, period)
    save_settings(settings, f03_form=f03.LURING, population=1500, service_types=[
        "KTP-el", "Kartu Keluarga", "Akta Kelahiran", "Pindah datang"], user=capil_opd)
    save_follow_up(settings, DISDUKCAPIL_PLAN, capil_opd)
    _respond(period, capil, settings, capil_opd, 140, rng, today)
    cibeber = units["Puskesmas Cibeber"]
    _respond(period, cibeber, settings_for(cibeber, period), opd_of["Puskesmas Cibeber"], 7, rng, today)


def _respond(period: Period, unit: Unit, settings, operator: User, count: int, rng: random.Random, today: date) -> None:
    statements = len(f03.items_of(settings.f03_form))
    for number in range(count):
        on_paper = number % 7 == 6  # one questionnaire in seven comes on paper
        record_response(
            unit, period, settings, channel=Channel.PAPER if on_paper else Channel.ONLINE,
            skm_answers=[_pick(rng, odds) for odds in SKM_ODDS.values()],
            f03_answers=[None if rng.random() < 0.05 else _pick(rng, F03_ODDS, start=0) for _ in range(statements)],
            profile={"age": rng.randint(18, 70), **{name: rng.choice(values) for name, values in PROFILE.items()},
                     "service_type": rng.choice(settings.service_types) if settings.service_types else None,
                     "suggestion": rng.choice(SUGGESTIONS) if rng.random() < 0.15 else None},
            answered_on=today - timedelta(days=rng.randint(0, 25)), nonce=None if on_paper else secrets.token_hex(16),
            entered_by=operator if on_paper else None,
        )
    db.session.flush()


def _pick(rng: random.Random, odds, start: int = 1) -> int:
    return rng.choices(range(start, start + len(odds)), weights=odds)[0]
