"""PEKPPP-2025: every F-01 rule, enumerated over every answer a unit can give, against the F-02 ladder.

Each ladder below is written again in plain Python from the official F-02 level texts (see
docs/instrument-sources.md), independently of the conditions in the instrument file, and the two
must agree on every combination: every subset of every tick list, every yes/no and option, and
counts and percentages on, just below and just above every border of the ladder.
"""
import itertools
from decimal import Decimal

import pytest

from assessment.domain.instrument import (
    LATEST_INSTRUMENT_PATH,
    FactKind,
    Ticks,
    load_default_instrument,
    load_instrument_file,
)
from tests import test_scoring

LATEST = load_instrument_file(LATEST_INSTRUMENT_PATH)
OLD = load_default_instrument()


def n(value: Ticks) -> int:
    return len(value.items)


def has(value: Ticks, *keys: str) -> bool:
    return set(keys) <= value.items


def cumulative(*steps: bool) -> int:
    level = 0
    for met in steps:
        if not met:
            break
        level += 1
    return level


def count_ladder(count: int, bands: list[range]) -> int:
    return next(level for level, band in enumerate(bands) if count in band)


ONE_EACH = [range(0, 1), range(1, 2), range(2, 3), range(3, 4), range(4, 5), range(5, 10_000)]


def media_3(v):
    media, sippn, complete = n(v["media"]), v["sippn"], v["komponen_lengkap"]
    if media == 0 and not sippn:
        return 0  # not published
    if not complete:
        return 1  # only part of the components
    channels = media + sippn  # SIPP Nasional is one of the channels where the ladder counts "2 or more media"
    if not sippn:
        return 2 if media >= 2 else 1
    return {1: 1, 2: 2, 3: 3, 4: 4}.get(channels, 5)


def review_4(v):
    frequency, everything = v["frekuensi"], v["seluruh_layanan"]
    if frequency == "tiga_tahun":
        return 1 if everything else 0  # level 1 asks for all services
    return {"tidak_berkala": 0, "dua_tahun": 2, "tahunan": 4}[frequency] + (everything and frequency != "tidak_berkala")


def follow_up_8(v):
    if not v["rencana"]:
        return 0
    share = v["persen"]
    if share == 0 or not v["laporan"]:
        return 1  # nothing done, or nothing proven by a report
    if share < 30:
        return 2
    if share <= 80:
        return 3
    return 4 if share < 100 else 5


def rewards_13(v):
    count, performance = n(v["kriteria"]), "kinerja" in v["kriteria"].items
    if count == 0:
        return 0
    if not performance:
        return 1 if count <= 2 else 2
    return 3 if count <= 2 else 4 if count <= 4 else 5


def information_21(v):
    electronic, offline = v["elektronik"].items, v["nonelektronik"].items
    if "daring" in electronic:
        return 5 if v["sippn"] else 4
    if "belum_daring" in electronic:
        return 3
    if "lisan" not in offline:
        return 0
    return 2 if {"papan", "cetak"} <= offline else 1


def channels_26(v):
    face, online = v["tatap_muka"], v["daring"].items
    if face == "tidak_ada":
        return 0
    if face == "menyatu":
        return 3 if online else 1
    if "lapor" in online:
        return 5
    return 4 if online else 2


def complaints_28(v):
    share, lapor = v["persen"], v["lapor"]
    if share == 0:
        return 0
    if not lapor:
        return 1 if share < 50 else 2
    return 3 if share < 50 else 4 if share < 90 else 5


def innovation_29(v):
    stage = v["tahap"]
    if stage == "tidak_ada":
        return 0
    if stage == "pembelajaran":
        return 1
    if v["prestasi"]:
        return 5  # any level of achievement
    if stage == "kurang_setahun":
        return 2
    return 4 if v["kompetisi"] else 3


def resources_30(v):
    basis = v["payung_hukum"]
    return {"tidak_ada": 0, "rancangan": 1}.get(basis, 2 + n(v["kondisi"]) if basis == "ditetapkan" else 0)


LADDERS = {
    "1.a.Ak": lambda v: cumulative(v["ada"], v["komponen_14"], v["ditetapkan"], v["melibatkan_masyarakat"], v["monev"]),
    "2.a.P": lambda v: count_ladder(n(v["unsur"]), ONE_EACH),
    "3.a.T": media_3,
    "4.a.K": review_4,
    "5.a.K": lambda v: cumulative(v["ada"], v["ditetapkan"], v["isi_sesuai"], has(v["publikasi"], "nonelektronik"),
                                  has(v["publikasi"], "elektronik")),
    "6.a.B": lambda v: cumulative(v["dilaksanakan"], v["sesuai_permen"], has(v["publikasi"], "nonelektronik"),
                                  has(v["publikasi"], "elektronik"), v["ditindaklanjuti"]),
    "7.a.T": lambda v: count_ladder(n(v["media"]), ONE_EACH),
    "8.a.Ak": follow_up_8,
    "9.a.Ak": lambda v: ["tidak", "satu_tahun", "sembilan_bulan", "enam_bulan", "tiga_bulan", "satu_bulan"].index(v["waktu"]),
    "10.b.As": lambda v: 0 if not v["kebijakan_jam"] else 1 + min(n(v["unsur"]), 4),
    "11.b.K": lambda v: 0 if not (v["ada"] and has(v["unsur"], "hak_kewajiban")) else n(v["unsur"]),
    "12.b.Ak": lambda v: count_ladder(n(v["mekanisme"]), ONE_EACH),
    "13.b.K": rewards_13,
    "14.b.K": lambda v: n(v["unsur"]),
    "15.c.K": lambda v: min(n(v["fasilitas"]), 5) if v["tersedia"] else 0,
    "16.c.As": lambda v: 1 + min(n(v["pelengkap"]), 4) if n(v["wajib"]) == 2 else 0,  # both required facilities
    "17.c.As": lambda v: min(n(v["kondisi"]), 5) if v["tersedia"] else 0,
    "18.c.K": lambda v: count_ladder(n(v["sarana"]), [range(0, 1), range(1, 4), range(4, 7), range(7, 10),
                                                      range(10, 13), range(13, 15)]),
    "19.c.As": lambda v: min(n(v["penunjang"]), 5),
    "20.c.B": lambda v: min(n(v["fasilitas"]), 5),
    "21.d.T": information_21,
    "22.d.B": lambda v: cumulative(*(has(v["unsur"], key) for key in ("data_sp", "lapor", "skm", "kinerja")),
                                   bool(v["unsur"].items & {"faq", "keuangan", "lainnya"})),
    "23.d.As": lambda v: cumulative(v["daring"] and v["mudah_dioperasikan"], v["mudah_diakses"], v["kompatibel"],
                                    v["go_id"], v["navigasi"]),
    "24.d.T": lambda v: ["tidak", "tahunan", "semesteran", "bulanan", "mingguan", "harian"].index(v["frekuensi"]),
    "25.e.P": lambda v: n(v["fasilitas"]),
    "26.e.P": channels_26,
    "27.e.Ak": lambda v: cumulative(v["dokumentasi"] and v["diarsipkan"], v["laporan"], v["monev"], v["tindak_lanjut"],
                                    v["publikasi"]),
    "28.e.Ak": complaints_28,
    "29.f.B": innovation_29,
    "30.f.B": resources_30,
    "antrian": lambda v: min(n(v["fasilitas"]), 5) if v["tersedia"] else 0,
}

DARING_LADDERS = {
    "10.b.As": lambda v: min(v["bentuk"], 5),
    "15.c.K": lambda v: min(v["kondisi"], 5),
    "16.c.As": lambda v: 1 + min(v["pelengkap"], 4) if v["wajib"] else 0,
    "17.c.As": lambda v: min(v["fitur"], 5),
    "18.c.K": lambda v: min(v["unsur"], 5),
    "19.c.As": lambda v: min(v["media"], 5),
    "20.c.B": lambda v: ["tidak_ada", "gratis", "bersama", "pihak_ketiga", "server_sendiri",
                         "server_dan_cloud"].index(v["penyimpanan"]),
    "25.e.P": lambda v: min(v["media"], 5),
    "26.e.P": lambda v: ["lebih_14_hari", "hari_14", "hari_7", "hari_5", "hari_3", "hari_1"].index(v["respons"]),
}

PERCENTAGES = sorted({Decimal(p) for p in range(0, 101)}
                     | {Decimal(edge) + d for edge in (0, 30, 50, 80, 90, 100) for d in (Decimal("-0.01"), 0, Decimal("0.01"))
                        if 0 <= Decimal(edge) + d <= 100})


def every_answer(facts):
    """The full product of every scored fact's answers (tick lists: every subset, not a reduction)."""
    scored = [fact for fact in facts if fact.scored]
    domains = []
    for fact in scored:
        if fact.kind == FactKind.YES_NO:
            domains.append([False, True])
        elif fact.kind == FactKind.CHOICE:
            domains.append([o.key for o in fact.options])
        elif fact.kind == FactKind.TICK_LIST:
            keys = [o.key for o in fact.options]
            domains.append([Ticks(frozenset(subset)) for size in range(len(keys) + 1)
                            for subset in itertools.combinations(keys, size)])
        elif fact.kind == FactKind.COUNT:
            domains.append(list(range(0, 12)))
        else:
            domains.append(PERCENTAGES)
    for combination in itertools.product(*domains):
        yield dict(zip([f.key for f in scored], combination, strict=True))


@pytest.mark.parametrize("code", list(LADDERS))
def test_every_answer_gets_the_f02_level(code):
    item = LATEST.item(code)
    checked = 0
    for values in every_answer(item.facts):
        assert item.rule.level(values) == LADDERS[code](values), values
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("code", list(DARING_LADDERS))
def test_every_daring_answer_gets_the_daring_f02_level(code):
    variant = LATEST.item(code).daring
    for values in every_answer(variant.facts):
        assert variant.rule.level(values) == DARING_LADDERS[code](values), values


def test_every_item_of_the_new_version_is_answered_with_facts():
    assert LATEST.has_facts and set(LADDERS) == {item.code for item in LATEST.all_items}
    assert {item.code for item in LATEST.daring_variants} == set(DARING_LADDERS)


def test_the_new_version_keeps_every_weight_and_code():
    def weights(instrument):
        return [(a.code, a.weight, [(i.code, i.weight) for i in a.indicators]) for a in instrument.aspects]

    assert weights(LATEST) == weights(OLD)
    assert [i.code for i in LATEST.additional] == [i.code for i in OLD.additional] == ["antrian"]
    assert LATEST.find_item("Sistem Antrian").weight == 0


def test_level_texts_follow_the_official_f02_where_2023_differed():
    """Spot checks of the materially different ladders (official-sources.md): 18, 22, 23 and 13."""
    assert LATEST.item("18.c.K").fact("sarana").option("ramp").label.startswith("Step lobby/ramp")
    assert len(LATEST.item("18.c.K").fact("sarana").options) == 14
    assert "SP4N-LAPOR!" in LATEST.item("22.d.B").levels[2] and "survei kepuasan" in LATEST.item("22.d.B").levels[3]
    assert LATEST.item("23.d.As").levels[3].endswith("dan kompatibel.")
    assert LATEST.item("23.d.As").levels[5].endswith("navigasinya mudah dipahami.")
    assert "integritas" not in " ".join(o.label.lower() for o in LATEST.item("13.b.K").fact("kriteria").options)
    assert [o.key for o in LATEST.item("25.e.P").fact("fasilitas").options] == [
        "kotak_saran", "petugas_khusus", "konsumsi", "register", "publikasi_mekanisme"]


def test_daring_is_pending_while_weights_are_unpublished():
    pending = [item.code for item in LATEST.daring_variants if item.daring.pending]
    assert pending == ["15.c.K", "16.c.As", "17.c.As", "18.c.K", "19.c.As", "20.c.B", "25.e.P", "26.e.P"]
    assert not LATEST.item("10.b.As").daring.pending
    assert LATEST.mode_ready("luring") and LATEST.mode_ready("luring_daring") and not LATEST.mode_ready("daring")


GOLDEN_CASES = [
    test_scoring.test_all_five_is_five_a,
    test_scoring.test_all_zero_is_zero_f,
    test_scoring.test_mixed_worked_example,
    test_scoring.test_konversi_uses_unrounded_ipp_and_rounds_half_up,
    test_scoring.test_border_450_is_a_minus_and_451_is_a,
    test_scoring.test_border_100_is_f_and_101_is_e,
    test_scoring.test_partial_form_is_provisional_and_counts_missing_as_zero,
    test_scoring.test_gain_per_level_is_aspect_weight_times_indicator_weight,
]


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=[case.__name__ for case in GOLDEN_CASES])
def test_the_golden_scoring_cases_hold_for_the_new_version(case, monkeypatch):
    monkeypatch.setattr(test_scoring, "INSTRUMENT", LATEST)
    case()
