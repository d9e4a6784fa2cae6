"""The loader refuses fact rules that leave an answer without a level or give it two, naming the place."""
import copy

import pytest
import yaml

from assessment.domain.instrument import LATEST_INSTRUMENT_PATH, InstrumentError, parse_instrument
from assessment.domain.instrument.loader import parse_instrument_text


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8"))


def indicator(data, code):
    return next(i for a in data["aspects"] for i in a["indicators"] if i["code"] == code)


def refused(raw, code, change) -> InstrumentError:
    data = copy.deepcopy(raw)
    change(indicator(data, code))
    with pytest.raises(InstrumentError) as excinfo:
        parse_instrument(data)
    return excinfo.value


def set_rule(rule):
    def change(item):
        item["rule"] = rule
    return change


def test_a_band_gap_is_refused_with_the_answer_left_without_a_level(raw):
    error = refused(raw, "18.c.K", set_rule({"count": "sarana", "bands": ["0", "1-2", "4-6", "7-9", "10-12", "13+"]}))
    assert "indikator '18.c.K', aturan: jawaban berikut tidak mendapat level" in str(error)
    assert "Kursi roda/tongkat/kruk; Pintu masuk yang mudah diakses; Step lobby" in str(error)  # the three ticked


def test_overlapping_bands_are_refused_naming_both_levels(raw):
    error = refused(raw, "18.c.K", set_rule({"count": "sarana", "bands": ["0", "1-4", "4-6", "7-9", "10-12", "13+"]}))
    assert "mendapat lebih dari satu level" in str(error) and "(level 1 dan 2)" in str(error)


def test_overlapping_conditions_are_refused(raw):
    def change(item):
        item["rule"]["levels"][4] = "lapor and persen >= 50"  # now 90% and more is level 4 and 5
    error = refused(raw, "28.e.Ak", change)
    assert "indikator '28.e.Ak', aturan: jawaban berikut mendapat lebih dari satu level" in str(error)
    assert "lapor = Ya, persen = 90%" in str(error) and "(level 4 dan 5)" in str(error)


def test_a_combination_nobody_thought_of_is_refused(raw):
    def change(item):  # forget units reviewing only some services every three years
        item["rule"]["levels"][0] = "frekuensi = tidak_berkala"
    error = refused(raw, "4.a.K", change)
    assert "frekuensi = Tiga tahun sekali atau lebih jarang, seluruh_layanan = Tidak" in str(error)
    assert "tidak mendapat level" in str(error)


def test_an_unreachable_level_is_refused(raw):
    """Five facilities can never make six: a band past the list's end is a mistake, not a harmless spare."""
    error = refused(raw, "25.e.P", set_rule({"count": "fasilitas", "bands": ["0", "1", "2", "3", "4", "6+"]}))
    assert "indikator '25.e.P', aturan: jawaban berikut tidak mendapat level" in str(error)
    error = refused(raw, "25.e.P", set_rule({"count": "fasilitas", "bands": ["0", "1", "2", "3", "4-5", "6+"]}))
    assert "indikator '25.e.P', aturan: level 5 tidak dapat dicapai oleh jawaban apa pun" in str(error)


@pytest.mark.parametrize(("code", "rule", "message"), [
    ("1.a.Ak", {"cumulative": ["ada", "komponen_14", "ditetapkan", "monev"]}, "'cumulative' harus berisi 5 butir, ditemukan 4"),
    ("1.a.Ak", {"cumulative": ["ada", "komponen_14", "ditetapkan", "melibatkan_masyarakat", "audit"]},
     "langkah 5: fakta 'audit' tidak ada pada indikator ini"),
    ("1.a.Ak", {"cumulative": ["ada", "komponen_14", "ditetapkan", "melibatkan_masyarakat", "ada"]},
     "fakta tidak dipakai aturan: monev"),
    ("3.a.T", {"levels": ["count(media) = 0 and", "x", "x", "x", "x", "x"]}, "syarat level 0: diharapkan name"),
    ("3.a.T", {"levels": ["media = 0"] * 6}, "tidak dapat dipakai sendiri"),
    ("3.a.T", {"levels": ["media.koran"] * 6}, "butir 'koran' tidak ada dalam daftar 'media'"),
    ("9.a.Ak", {"levels": ["waktu = kemarin"] * 6}, "pilihan 'kemarin' tidak ada pada fakta 'waktu'"),
    ("9.a.Ak", {"levels": ["waktu > satu_bulan"] * 6}, "hanya dibandingkan dengan = atau !="),
    ("28.e.Ak", {"levels": ["persen in 90..50"] * 6}, "rentang 90..50 terbalik"),
    ("28.e.Ak", {"levels": ["jumlah = 3"] * 6}, "fakta keterangan 'jumlah' tidak boleh menentukan level"),
    ("18.c.K", {"count": "sarana", "bands": ["0", "1-3", "x", "7-9", "10-12", "13+"]}, "rentang level 2: tulis rentang"),
    ("18.c.K", {"count": "sarana", "bands": ["-", "1-3", "4-6", "7-9", "10-12", "13+"]},
     "rentang level 0 hanya boleh '-' bila ada 'gate'"),
    ("18.c.K", {"count": "ramp", "bands": ["0", "1-3", "4-6", "7-9", "10-12", "13+"]}, "'count' harus menyebut"),
    ("18.c.K", {"bands": ["0"] * 6}, "tulis salah satu bentuk"),
])
def test_broken_rules_are_refused_by_name(raw, code, rule, message):
    error = refused(raw, code, set_rule(rule))
    assert f"indikator '{code}', aturan" in str(error) and message in str(error)


@pytest.mark.parametrize(("change", "message"), [
    (lambda item: item.pop("rule"), "'facts' dan 'rule' harus ada bersama"),
    (lambda item: item["facts"].append({"key": "ada", "kind": "yes_no", "question": "Lagi?"}),
     "kunci fakta dipakai lebih dari sekali: ada"),
    (lambda item: item["facts"].append({"key": "dan", "kind": "text", "question": "?"}), "'dan' adalah kata kunci aturan"),
    (lambda item: item["facts"][0].update(kind="maybe"), "fakta 'ada': 'kind' harus salah satu dari"),
    (lambda item: item["facts"][0].update(items=[{"key": "a", "label": "A"}]), "tidak memakai 'items'"),
])
def test_broken_facts_are_refused_by_name(raw, change, message):
    error = refused(raw, "1.a.Ak", change)
    assert "indikator '1.a.Ak'" in str(error) and message in str(error)


def test_a_file_with_several_problems_lists_every_one(raw):
    data = copy.deepcopy(raw)
    indicator(data, "2.a.P")["levels"].pop()
    indicator(data, "18.c.K")["rule"]["bands"][1] = "1-2"
    indicator(data, "26.e.P")["daring"]["colour"] = "blue"
    data["aspects"][5]["weight"] = 13
    with pytest.raises(InstrumentError) as excinfo:
        parse_instrument(data)
    problems = excinfo.value.problems
    assert any(p.startswith("indikator '2.a.P': 'levels' harus berisi 6 kriteria") for p in problems)
    assert any(p.startswith("indikator '18.c.K', aturan: jawaban berikut tidak mendapat level") for p in problems)
    assert any(p.startswith("indikator '26.e.P', varian daring: kunci tidak dikenal: colour") for p in problems)
    assert "instrumen: jumlah bobot keenam aspek harus 100, bukan 101" in problems  # checked despite the broken items
    assert len(problems) == 4


def test_a_daring_variant_needs_its_own_ladder_and_may_not_carry_a_weight(raw):
    def change(item):
        item["daring"]["weight"] = 15
    assert "varian daring: kunci tidak dikenal: weight" in str(refused(raw, "15.c.K", change))

    def drop_levels(item):
        item["daring"].pop("levels")
    assert "varian daring: kunci wajib tidak ada: levels" in str(refused(raw, "15.c.K", drop_levels))


def test_rules_compare_by_meaning_of_the_text_so_a_stored_file_reads_back_equal():
    text = LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8")
    assert parse_instrument_text(text) == parse_instrument(yaml.safe_load(text))
