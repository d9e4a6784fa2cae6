"""The PEKPPP index, exactly as PermenPANRB 29/2022 defines it, in exact decimals.

- aspect score (0..5) = sum of indicator weight x level / 100
- IPP (0..5)          = sum of aspect weight x aspect score / 100
- konversi (0..100)   = IPP x 20, from the *unrounded* IPP (Madiun 2025: 4,7375 -> 94,75)
- the IPP is shown with 2 decimals rounded half up, and the predikat is read off
  that shown value, so a printed number and its predikat never disagree.

Every number the app prints comes from here. Pure Python: no Flask import.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .instrument import Instrument

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_LEVEL = 5
KONVERSI_FACTOR = Decimal(20)


@dataclass(frozen=True)
class Predikat:
    letter: str
    kategori: str


# Upper bound of each band, inclusive, on the IPP shown with 2 decimals.
PREDIKAT_BANDS: tuple[tuple[Decimal, Predikat], ...] = (
    (Decimal("1.00"), Predikat("F", "Gagal")),
    (Decimal("1.50"), Predikat("E", "Sangat Buruk")),
    (Decimal("2.00"), Predikat("D", "Buruk")),
    (Decimal("2.50"), Predikat("C-", "Cukup (dengan catatan)")),
    (Decimal("3.00"), Predikat("C", "Cukup")),
    (Decimal("3.50"), Predikat("B-", "Baik (dengan catatan)")),
    (Decimal("4.00"), Predikat("B", "Baik")),
    (Decimal("4.50"), Predikat("A-", "Sangat Baik")),
    (Decimal("5.00"), Predikat("A", "Pelayanan Prima")),
)


def round2(value: Decimal) -> Decimal:
    """Two decimals, half up (4,735 -> 4,74), as the regulation's tables print."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def predikat_for(ipp: Decimal) -> Predikat:
    shown = round2(ipp)
    if shown < 0 or shown > MAX_LEVEL:
        raise ValueError(f"IPP {ipp} di luar rentang 0–5")
    for upper, predikat in PREDIKAT_BANDS:
        if shown <= upper:
            return predikat
    raise AssertionError("unreachable: the last band ends at 5,00")


@dataclass(frozen=True)
class Score:
    """The index of one set of levels; unanswered indicators count as level 0."""

    aspects: Mapping[str, Decimal]
    answered_by_aspect: Mapping[str, int]
    ipp: Decimal
    answered: int
    total: int

    @property
    def ipp_shown(self) -> Decimal:
        return round2(self.ipp)

    @property
    def konversi(self) -> Decimal:
        return round2(self.ipp * KONVERSI_FACTOR)

    @property
    def predikat(self) -> Predikat:
        return predikat_for(self.ipp)

    @property
    def is_provisional(self) -> bool:
        """True while some indicator is unanswered: the IPP is then a floor, not a result."""
        return self.answered < self.total

    def aspect_shown(self, code: str) -> Decimal:
        return round2(self.aspects[code])

    def as_json(self) -> dict:
        """Exact decimals as strings, so a stored score reads back equal to the one computed."""
        return {
            "aspects": {code: str(value) for code, value in self.aspects.items()},
            "answered_by_aspect": dict(self.answered_by_aspect),
            "ipp": str(self.ipp),
            "answered": self.answered,
            "total": self.total,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Score:
        return cls(
            aspects={code: Decimal(value) for code, value in data["aspects"].items()},
            answered_by_aspect=dict(data["answered_by_aspect"]),
            ipp=Decimal(data["ipp"]),
            answered=data["answered"],
            total=data["total"],
        )


def check_level(code: str, level: object) -> int:
    """Return the level if it is an integer 0..5, else raise ValueError naming the indicator."""
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
        raise ValueError(f"level untuk {code} harus bilangan bulat 0–5, bukan {level!r}")
    return level


def score(instrument: Instrument, levels: Mapping[str, int | None]) -> Score:
    """Score the scored indicators found in ``levels``; other keys (additional items) are ignored."""
    aspect_scores: dict[str, Decimal] = {}
    answered: dict[str, int] = {}
    for aspect in instrument.aspects:
        total = Decimal(0)
        answered[aspect.code] = 0
        for indicator in aspect.indicators:
            level = levels.get(indicator.code)
            if level is None:
                continue
            answered[aspect.code] += 1
            total += indicator.weight * check_level(indicator.code, level)
        aspect_scores[aspect.code] = total / HUNDRED
    ipp = sum((a.weight * aspect_scores[a.code] for a in instrument.aspects), Decimal(0)) / HUNDRED
    return Score(
        aspects=aspect_scores,
        answered_by_aspect=answered,
        ipp=ipp,
        answered=sum(answered.values()),
        total=len(instrument.indicators),
    )


def aspect_contribution(instrument: Instrument, result: Score, aspect_code: str) -> Decimal:
    """What one aspect adds to the IPP (aspect weight x aspect score / 100), unrounded."""
    return instrument.aspect(aspect_code).weight * result.aspects[aspect_code] / HUNDRED


def gain_per_level(instrument: Instrument, indicator_code: str) -> Decimal:
    """How much one more level on this indicator adds to the IPP (exact)."""
    indicator = instrument.item(indicator_code)
    if not indicator.aspect_code:
        return Decimal(0)
    aspect = instrument.aspect(indicator.aspect_code)
    return aspect.weight * indicator.weight / (HUNDRED * HUNDRED)


def next_level_gains(instrument: Instrument, levels: Mapping[str, int | None]) -> dict[str, Decimal]:
    """For each scored indicator not yet at 5, the IPP gained by raising it one level."""
    return {
        ind.code: gain_per_level(instrument, ind.code)
        for ind in instrument.indicators
        if (levels.get(ind.code) or 0) < MAX_LEVEL
    }


def levels_from_json(instrument: Instrument, data: object) -> dict[str, int]:
    """Validate a complete answer set (code -> level) for one assessment, as ``flask score`` reads it.

    Every scored code must be present with an integer 0..5; additional items
    (e.g. the queue system) may be present and are checked but not scored;
    any other key is an error. Raises ValueError with one clear sentence.
    """
    if not isinstance(data, dict):
        raise ValueError(
            "isi berkas harus objek JSON yang memetakan kode indikator ke level")
    result: dict[str, int] = {}
    for key, level in data.items():
        item = instrument.find_item(str(key))
        if item is None:
            raise ValueError(f"kode indikator tidak dikenal: {key}")
        checked = check_level(str(key), level)
        if item.aspect_code:
            result[item.code] = checked
    missing = [ind.code for ind in instrument.indicators if ind.code not in result]
    if missing:
        raise ValueError(f"kode indikator tidak ada: {', '.join(missing)}")
    return result
