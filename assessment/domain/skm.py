"""The Survei Kepuasan Masyarakat of PermenPANRB 14/2017, in exact fractions.

- nine unsur, each asked with the regulation's standard question and four answers scored 1..4;
- NRR of an unsur = sum of its answers / number of answers to it (a skipped question is no answer);
- IKM = the mean of the nine NRR, each weighted exactly 1/9 (the regulation prints the weight as 0,11);
- nilai SKM = IKM x 25, from the unrounded IKM;
- NRR and IKM are shown with 4 decimals, nilai with 2, all rounded half up, and the mutu and kinerja
  are read off the nilai as shown (A >= 88,31 Sangat Baik, B >= 76,61 Baik, C >= 65,00 Kurang Baik, else D);
- the sample size for a population is the regulation's Krejcie-Morgan table.

Every SKM number the app prints comes from here. Pure Python: no Flask import.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

MIN_ANSWER, MAX_ANSWER = 1, 4
NILAI_FACTOR = 25


@dataclass(frozen=True)
class Unsur:
    code: str  # "U1" .. "U9"
    name: str
    question: str
    answers: tuple[str, str, str, str]  # the texts of answers 1..4


UNSUR: tuple[Unsur, ...] = (
    Unsur("U1", "Persyaratan", "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
          "pelayanannya?", ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Unsur("U2", "Sistem, mekanisme, dan prosedur", "Bagaimana pemahaman Saudara tentang kemudahan prosedur "
          "pelayanan di unit ini?", ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Unsur("U3", "Waktu penyelesaian", "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan "
          "pelayanan?", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Unsur("U4", "Biaya/tarif", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
          ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Unsur("U5", "Produk spesifikasi jenis pelayanan", "Bagaimana pendapat Saudara tentang kesesuaian produk "
          "pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
          ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Unsur("U6", "Kompetensi pelaksana", "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam "
          "pelayanan?", ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Unsur("U7", "Perilaku pelaksana", "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
          "kesopanan dan keramahan?", ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
                                       "Sangat sopan dan ramah")),
    Unsur("U8", "Penanganan pengaduan, saran dan masukan", "Bagaimana pendapat Saudara tentang penanganan pengaduan "
          "pengguna layanan?", ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
                                "Dikelola dengan baik")),
    Unsur("U9", "Sarana dan prasarana", "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
          ("Buruk", "Cukup", "Baik", "Sangat baik")),
)
UNSUR_CODES = tuple(u.code for u in UNSUR)
UNSUR_BY_CODE = {u.code: u for u in UNSUR}
UNSUR_COUNT = len(UNSUR)


@dataclass(frozen=True)
class Mutu:
    letter: str
    kinerja: str


# Lower bound of each band, inclusive, on the nilai shown with 2 decimals; the first that fits wins.
MUTU_BANDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu("A", "Sangat Baik")),
    (Decimal("76.61"), Mutu("B", "Baik")),
    (Decimal("65.00"), Mutu("C", "Kurang Baik")),
    (Decimal("25.00"), Mutu("D", "Tidak Baik")),
)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """An exact fraction to ``places`` decimals, half up (3,12345 -> 3,1235), with no float or context rounding."""
    scale = 10 ** places
    scaled = value * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2)
    return Decimal(rounded).scaleb(-places)


def mutu_for(nilai_shown: Decimal) -> Mutu:
    if not Decimal(25) <= nilai_shown <= Decimal(100):
        raise ValueError(f"nilai SKM {nilai_shown} di luar rentang 25–100")
    return next(mutu for lower, mutu in MUTU_BANDS if nilai_shown >= lower)


@dataclass(frozen=True)
class Tally:
    """What the numbers need from a set of responses: per unsur the sum and the number of its answers."""

    respondents: int
    sums: tuple[int, ...]
    counts: tuple[int, ...]

    @classmethod
    def empty(cls) -> Tally:
        return cls(0, (0,) * UNSUR_COUNT, (0,) * UNSUR_COUNT)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.respondents + other.respondents,
                     tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
                     tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))


def check_answer(position: int, value: object) -> int | None:
    """An answer 1..4, or None for a skipped question; anything else raises ValueError naming the unsur."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_ANSWER <= value <= MAX_ANSWER:
        raise ValueError(f"jawaban {UNSUR_CODES[position]} harus bilangan bulat 1–4 atau null, bukan {shown(value)}")
    return value


def shown(value: object) -> str:
    """A rejected value for a message: its JSON-like form, cut short (a number may have thousands of digits)."""
    text = repr(value)
    return text if len(text) <= 20 else text[:17] + "…"


def tally(responses: Iterable[Sequence[int | None]]) -> Tally:
    """Count a list of responses (nine answers each, None where skipped). Every response counts as a
    respondent; the caller leaves out those that answered no unsur (the survey pages do, in SQL)."""
    respondents, sums, counts = 0, [0] * UNSUR_COUNT, [0] * UNSUR_COUNT
    for response in responses:
        respondents += 1
        for position, value in enumerate(response):
            if check_answer(position, value) is not None:
                sums[position] += value
                counts[position] += 1
    return Tally(respondents, tuple(sums), tuple(counts))


@dataclass(frozen=True)
class SkmResult:
    tally: Tally
    nrr: Mapping[str, Fraction | None]  # None for an unsur nobody answered

    @property
    def respondents(self) -> int:
        return self.tally.respondents

    @property
    def complete(self) -> bool:
        """Whether every unsur has an answer: only then do IKM, nilai and mutu exist."""
        return all(value is not None for value in self.nrr.values())

    @property
    def ikm(self) -> Fraction | None:
        if not self.complete:
            return None
        return sum(self.nrr.values(), Fraction(0)) / UNSUR_COUNT

    @property
    def nilai(self) -> Fraction | None:
        return None if self.ikm is None else self.ikm * NILAI_FACTOR

    def nrr_shown(self, code: str) -> Decimal | None:
        value = self.nrr[code]
        return None if value is None else round_half_up(value, 4)

    @property
    def ikm_shown(self) -> Decimal | None:
        return None if self.ikm is None else round_half_up(self.ikm, 4)

    @property
    def nilai_shown(self) -> Decimal | None:
        return None if self.nilai is None else round_half_up(self.nilai, 2)

    @property
    def mutu(self) -> Mutu | None:
        return None if self.nilai_shown is None else mutu_for(self.nilai_shown)

    def nrr_nilai_shown(self, code: str) -> Decimal | None:
        """One unsur on the nilai scale (its unrounded NRR x 25, 2 decimals), for the tables of the report."""
        value = self.nrr[code]
        return None if value is None else round_half_up(value * NILAI_FACTOR, 2)

    def nrr_mutu(self, code: str) -> Mutu | None:
        """The band of one unsur, read off its NRR x 25 as shown."""
        shown = self.nrr_nilai_shown(code)
        return None if shown is None else mutu_for(shown)

    def below_b(self) -> list[str]:
        """The unsur whose own band is C or D."""
        return [code for code in self.nrr if (mutu := self.nrr_mutu(code)) is not None and mutu.letter in ("C", "D")]

    def weakest(self) -> list[str]:
        """The unsur with the lowest NRR (all of them when tied): the first candidates for improvement."""
        answered = {code: value for code, value in self.nrr.items() if value is not None}
        if not answered:
            return []
        lowest = min(answered.values())
        return [code for code, value in answered.items() if value == lowest]


def result(counted: Tally) -> SkmResult:
    nrr = {code: (Fraction(total, count) if count else None)
           for code, total, count in zip(UNSUR_CODES, counted.sums, counted.counts, strict=True)}
    return SkmResult(counted, nrr)


def score(responses: Iterable[Sequence[int | None]]) -> SkmResult:
    return result(tally(responses))


def responses_from_json(data: object) -> list[list[int | None]]:
    """Validate ``{"responses": [[u1, ..., u9], ...]}`` as ``flask skm score`` reads it; ValueError says what is wrong."""
    if not isinstance(data, dict) or "responses" not in data:
        raise ValueError('isi berkas harus objek JSON {"responses": [[u1, …, u9], …]}')
    rows = data["responses"]
    if not isinstance(rows, list):
        raise ValueError('"responses" harus daftar jawaban responden')
    if not rows:
        raise ValueError("tidak ada responden")
    checked = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != UNSUR_COUNT:
            raise ValueError(f"responden ke-{number} harus berisi tepat {UNSUR_COUNT} jawaban (U1–U9)")
        try:
            checked.append([check_answer(position, value) for position, value in enumerate(row)])
        except ValueError as problem:
            raise ValueError(f"responden ke-{number}: {problem}") from None
    return checked


# The regulation's sample table (Krejcie and Morgan, 1970): population -> minimum number of respondents.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44), (55, 48),
    (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76), (100, 80), (110, 86),
    (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132),
    (210, 136), (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165),
    (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254), (800, 260), (850, 265),
    (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335),
    (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364),
    (8000, 367), (9000, 368), (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (100000, 384),
)
_POPULATIONS = [population for population, _ in KREJCIE_MORGAN]


def sample_size(population: int) -> int:
    """Respondents needed for a population served in the survey period.

    A population between two rows takes the larger row (never fewer respondents than the table asks); below
    10 every user is asked; above 100.000 the table's last value, 384, holds.
    """
    if population < 1:
        raise ValueError("jumlah populasi harus bilangan bulat positif")
    if population < _POPULATIONS[0]:
        return population
    row = bisect_left(_POPULATIONS, population)
    return KREJCIE_MORGAN[min(row, len(KREJCIE_MORGAN) - 1)][1]
