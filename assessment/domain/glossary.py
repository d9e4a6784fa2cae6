"""The short glossary the pages link to: how an indicator code reads, the words of the form, the predikat bands.

The bands are derived from scoring.PREDIKAT_BANDS, so the glossary can never disagree with the scores shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .scoring import PREDIKAT_BANDS, TWO_PLACES, Predikat

# The last part of a code such as 1.a.Ak: the principle of public service the indicator looks at.
PRINCIPLES: tuple[tuple[str, str], ...] = (
    ("Ak", "akuntabel"),
    ("P", "partisipatif"),
    ("T", "transparan"),
    ("K", "berkelanjutan"),
    ("B", "tidak diskriminatif"),
    ("As", "efektif dan efisien"),
)

TERMS: tuple[tuple[str, str], ...] = (
    ("IPP", "Indeks Pelayanan Publik, 0,00–5,00: jumlah nilai aspek dikali bobot aspeknya. Nilai aspek adalah "
            "jumlah level indikatornya dikali bobot indikator."),
    ("Nilai konversi", "IPP dikali 20, pada skala 0–100."),
    ("Predikat", "Huruf A sampai F menurut IPP (lihat tabel di bawah)."),
    ("Level", "Jawaban satu indikator, 0 sampai 5, menurut kriterianya."),
    ("Bukti dukung", "Dokumen atau foto yang membuktikan level yang dipilih; diperiksa evaluator."),
    ("IPP sementara", "IPP selama masih ada indikator yang belum dijawab (dihitung 0)."),
    ("Verifikasi", "Pemeriksaan Bagian Organisasi per indikator; level terverifikasi menjadi dasar IPP akhir."),
    ("Dikembalikan", "Formulir dikirim balik ke unit untuk diperbaiki sesuai catatan evaluator."),
    ("SKM", "Survei Kepuasan Masyarakat (PermenPANRB 14/2017) yang diisi pengguna layanan."),
    ("Berita Acara", "Dokumen hasil verifikasi yang ditandatangani kedua pihak."),
)


@dataclass(frozen=True)
class Band:
    predikat: Predikat
    lowest: Decimal
    highest: Decimal


def predikat_bands() -> list[Band]:
    """Each predikat with the IPP range (as shown, two decimals) that earns it, best first."""
    bands, lowest = [], Decimal("0.00")
    for highest, predikat in PREDIKAT_BANDS:
        bands.append(Band(predikat, lowest, highest))
        lowest = highest + TWO_PLACES
    return bands[::-1]


def glossary() -> dict[str, Any]:
    """What templates/_glossary.html shows."""
    return {"principles": PRINCIPLES, "terms": TERMS, "bands": predikat_bands()}
