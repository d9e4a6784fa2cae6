"""F-03, the service users' questionnaire of the PEKPPP instrument (PermenPANRB 29/2022 art. 4(1)), in exact fractions.

Two official forms: 14 statements for services delivered face to face (jenis A, luring) and 11 for online
services (jenis B, daring), each answered 0..5 and grouped by the instrument's aspects a..e.

- item mean   = sum of its answers / number of answers to it (a skipped statement is no answer);
- aspect mean = the mean of the item means of the aspect's answered items;
- F-03 index (0..5) = sum of aspect weight x aspect mean / 100, the weights being the instrument's aspect
  weights of the aspects F-03 asks about (a..e: 24, 25, 18, 11, 10 = 88), scaled to add up to 100 so that
  the index, like the IPP, runs from 0 to 5; there is no index while an aspect has no answer;
- combined index = IPP x (100 - share) / 100 + F-03 index x share / 100, with the period's share of F-03
  (the ministry publishes none: it is the Pemda's choice, 0 % by default, when nothing is combined).

Every F-03 number the app prints comes from here. Pure Python: no Flask import.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .skm import round_half_up, shown

MIN_ANSWER, MAX_ANSWER = 0, 5
LURING, DARING = "luring", "daring"
FORM_LABELS = {LURING: "Luring (tatap muka), 14 pernyataan", DARING: "Daring (layanan elektronik), 11 pernyataan"}
MAX_ITEMS = 14


@dataclass(frozen=True)
class Item:
    code: str  # as the official form numbers it
    aspect: str  # the instrument's aspect letter
    statement: str


ITEMS: dict[str, tuple[Item, ...]] = {
    LURING: (
        Item("1.a.K1", "a", "Persyaratan yang diperlukan untuk memperoleh layanan mudah dipenuhi."),
        Item("2.a.K1", "a", "Prosedur yang dilalui untuk memperoleh layanan mudah."),
        Item("3.a.K1", "a", "Tarif yang diinformasikan sesuai dengan yang dibayarkan."),
        Item("4.a.K1", "a", "Lama waktu pelayanan yang diinformasikan sesuai dengan waktu penyelesaian."),
        Item("5.b.Ak", "b", "Waktu pelayanan (jam kerja layanan tanpa jeda waktu istirahat, layanan informasi, "
                            "konsultasi dan pengaduan, customer service) sesuai dengan yang ditetapkan."),
        Item("6.b.Ak", "b", "Petugas layanan responsif dalam memberikan pelayanan."),
        Item("7.b.Ak", "b", "Sikap petugas mencerminkan pelayanan yang berkualitas."),
        Item("8.c.As", "c", "Tempat parkir yang disediakan memadai."),
        Item("9.c.K", "c", "Sarana ruang tunggu layanan nyaman."),
        Item("10.c.As", "c", "Sarana toilet khusus pengguna layanan bersih dan memadai."),
        Item("11.c.As", "c", "Ketersediaan sarana prasarana penunjang lainnya yang memadai (contoh: ruang "
                             "laktasi/nursery, arena bermain anak, kantin/fotocopy/toko ATK, wifi, prioritas lansia, dst)."),
        Item("12.d.T", "d", "Akses informasi layanan secara daring mudah (website, aplikasi, media sosial dan sejenisnya)."),
        Item("14.d.T", "d", "Kemudahan akses informasi di lokasi layanan (tatap muka)."),
        Item("15.e.K", "e", "Tersedia konsultasi dan pengaduan layanan yang memadai dan mudah diakses."),
    ),
    DARING: (
        Item("1.a.K1", "a", "Persyaratan yang diperlukan untuk memperoleh layanan mudah dipenuhi."),
        Item("2.a.K1", "a", "Prosedur yang dilalui untuk memperoleh layanan mudah."),
        Item("3.a.K1", "a", "Tarif yang diinformasikan sesuai dengan yang dibayarkan."),
        Item("4.a.K1", "a", "Lama waktu pelayanan yang diinformasikan sesuai dengan waktu penyelesaian."),
        Item("5.b.Ak", "b", "Petugas pengelola layanan elektronik responsif dalam memberikan tanggapan/penyelesaian."),
        Item("6.c.As", "c", "Layanan daring mudah diakses."),
        Item("7.c.As", "c", "Interaksi dengan penyedia layanan mudah dilakukan."),
        Item("8.c.As", "c", "Layanan daring secara visual memudahkan pengguna layanan."),
        Item("9.c.Ak", "c", "Keamanan layanan daring terjamin."),
        Item("10.d.T", "d", "Akses informasi layanan daring mudah diakses (informasi layanan melalui website, "
                            "aplikasi, media sosial, dll)."),
        Item("11.e.T", "e", "Informasi mengenai layanan konsultasi dan pengaduan mudah diakses."),
    ),
}
ASPECTS = ("a", "b", "c", "d", "e")


def items_of(form: str) -> tuple[Item, ...]:
    if form not in ITEMS:
        raise ValueError(f"jenis formulir F-03 tidak dikenal: {form!r}")
    return ITEMS[form]


@dataclass(frozen=True)
class Tally:
    """Per item (in the form's order) the sum and the number of answers, and the respondents."""

    form: str
    respondents: int
    sums: tuple[int, ...]
    counts: tuple[int, ...]


def check_answer(item: Item, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_ANSWER <= value <= MAX_ANSWER:
        raise ValueError(f"jawaban F-03 {item.code} harus bilangan bulat 0–5 atau kosong, bukan {shown(value)}")
    return value


def tally(form: str, responses: Iterable[Sequence[int | None]]) -> Tally:
    """Count responses given as one answer per item of the form (None where skipped); every response counts
    as a respondent (the survey pages leave out, in SQL, those that answered no statement)."""
    items = items_of(form)
    respondents, sums, counts = 0, [0] * len(items), [0] * len(items)
    for response in responses:
        respondents += 1
        for position, (item, value) in enumerate(zip(items, response, strict=True)):
            if check_answer(item, value) is not None:
                sums[position] += value
                counts[position] += 1
    return Tally(form, respondents, tuple(sums), tuple(counts))


@dataclass(frozen=True)
class F03Result:
    tally: Tally
    item_means: Mapping[str, Fraction | None]
    aspect_means: Mapping[str, Fraction | None]
    aspect_weights: Mapping[str, Fraction]  # scaled to add up to 100

    @property
    def respondents(self) -> int:
        return self.tally.respondents

    @property
    def index(self) -> Fraction | None:
        if any(mean is None for mean in self.aspect_means.values()):
            return None
        return sum((self.aspect_weights[a] * mean for a, mean in self.aspect_means.items()), Fraction(0)) / 100

    @property
    def index_shown(self) -> Decimal | None:
        return None if self.index is None else round_half_up(self.index, 2)

    def item_shown(self, code: str) -> Decimal | None:
        mean = self.item_means[code]
        return None if mean is None else round_half_up(mean, 2)

    def aspect_shown(self, aspect: str) -> Decimal | None:
        mean = self.aspect_means[aspect]
        return None if mean is None else round_half_up(mean, 2)


def scaled_weights(instrument_weights: Mapping[str, int | Decimal]) -> dict[str, Fraction]:
    """The instrument's weights of aspects a..e, scaled to add up to 100 (24/88 x 100, ...)."""
    total = sum(Fraction(instrument_weights[a]) for a in ASPECTS)
    return {a: Fraction(instrument_weights[a]) * 100 / total for a in ASPECTS}


def result(counted: Tally, instrument_weights: Mapping[str, int | Decimal]) -> F03Result:
    items = items_of(counted.form)
    item_means = {item.code: (Fraction(total, count) if count else None)
                  for item, total, count in zip(items, counted.sums, counted.counts, strict=True)}
    aspect_means: dict[str, Fraction | None] = {}
    for aspect in ASPECTS:
        answered = [item_means[i.code] for i in items if i.aspect == aspect and item_means[i.code] is not None]
        aspect_means[aspect] = sum(answered, Fraction(0)) / len(answered) if answered else None
    return F03Result(counted, item_means, aspect_means, scaled_weights(instrument_weights))


def combined_index(ipp: Decimal | Fraction, f03_index: Fraction, share_percent: int) -> Fraction:
    """IPP and F-03 index (both 0..5, unrounded) weighted by the period's F-03 share in percent."""
    if not 0 <= share_percent <= 100:
        raise ValueError("porsi F-03 harus 0–100 %")
    return (Fraction(ipp) * (100 - share_percent) + f03_index * share_percent) / 100
