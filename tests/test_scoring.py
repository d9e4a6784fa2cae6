"""The index against worked examples computed by hand, and properties that must always hold."""
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.domain.instrument import load_default_instrument
from assessment.domain.scoring import Score, gain_per_level, levels_from_json, next_level_gains, predikat_for, round2, score

INSTRUMENT = load_default_instrument()
CODES = [i.code for i in INSTRUMENT.indicators]


def levels(default: int, **overrides: int) -> dict[str, int]:
    """All 30 indicators at ``default``; overrides use codes with '_' for '.' (1_a_Ak=5)."""
    result = dict.fromkeys(CODES, default)
    result.update({key.replace("_", "."): value for key, value in overrides.items()})
    return result


def aspect_at(aspect_code: str, level: int) -> dict[str, int]:
    return {i.code: level for i in INSTRUMENT.aspect(aspect_code).indicators}


def test_all_five_is_five_a():
    result = score(INSTRUMENT, levels(5))
    assert (result.ipp_shown, result.konversi) == (Decimal("5.00"), Decimal("100.00"))
    assert (result.predikat.letter, result.predikat.kategori) == ("A", "Pelayanan Prima")
    assert not result.is_provisional


def test_all_zero_is_zero_f():
    result = score(INSTRUMENT, levels(0))
    assert (result.ipp_shown, result.konversi, result.predikat.letter) == (Decimal("0.00"), Decimal("0.00"), "F")
    assert result.predikat.kategori == "Gagal"


def test_mixed_worked_example():
    # a: 1.a.Ak at 5, the other eight at 4 -> (17*5 + 83*4)/100 = 4.17
    # b: all 3 -> 3.00 ; c: all 5 -> 5.00 ; e: all 2 -> 2.00
    # d: 21.d.T 5, 22.d.B 4, 23.d.As 4, 24.d.T 3 -> (150 + 80 + 80 + 90)/100 = 4.00
    # f: 29.f.B 5, 30.f.B 2 -> (250 + 100)/100 = 3.50
    # IPP = (24*4.17 + 25*3 + 18*5 + 11*4 + 10*2 + 12*3.5)/100 = 371.08/100 = 3.7108
    answers = {
        **aspect_at("a", 4), "1.a.Ak": 5, **aspect_at("b", 3), **aspect_at("c", 5),
        "21.d.T": 5, "22.d.B": 4, "23.d.As": 4, "24.d.T": 3, **aspect_at("e", 2), "29.f.B": 5, "30.f.B": 2,
    }
    result = score(INSTRUMENT, answers)
    assert {code: result.aspect_shown(code) for code in "abcdef"} == {
        "a": Decimal("4.17"), "b": Decimal("3.00"), "c": Decimal("5.00"),
        "d": Decimal("4.00"), "e": Decimal("2.00"), "f": Decimal("3.50"),
    }
    assert result.ipp == Decimal("3.7108")
    assert result.ipp_shown == Decimal("3.71")
    assert result.konversi == Decimal("74.22")  # 74.216 rounded half up
    assert (result.predikat.letter, result.predikat.kategori) == ("B", "Baik")


def test_konversi_uses_unrounded_ipp_and_rounds_half_up():
    # All 4 (= 4.00) with 10.b.As raised to 5: + 25*10/10000 = 0.025 -> IPP 4.025.
    result = score(INSTRUMENT, levels(4, **{"10_b_As": 5}))
    assert result.ipp == Decimal("4.025")
    assert result.ipp_shown == Decimal("4.03")  # half up; half even would print 4,02
    assert result.konversi == Decimal("80.50")  # 4.025 x 20, not 4.03 x 20 = 80.60
    assert result.predikat.letter == "A-"


def test_border_450_is_a_minus_and_451_is_a():
    # All 4, aspects c, e, f at 5 (+0.18 +0.10 +0.12) and 10.b.As, 14.b.K at 5 (+25*40/10000 = 0.10) = 4.50
    at_450 = {**levels(4), **aspect_at("c", 5), **aspect_at("e", 5), **aspect_at("f", 5), "10.b.As": 5, "14.b.K": 5}
    # All 4 with aspects c, d, e, f at 5: 4 + (18 + 11 + 10 + 12)/100 = 4.51
    at_451 = {**levels(4), **aspect_at("c", 5), **aspect_at("d", 5), **aspect_at("e", 5), **aspect_at("f", 5)}
    low, high = score(INSTRUMENT, at_450), score(INSTRUMENT, at_451)
    assert (low.ipp, low.predikat.letter, low.predikat.kategori) == (Decimal("4.50"), "A-", "Sangat Baik")
    assert (high.ipp, high.predikat.letter, high.predikat.kategori) == (Decimal("4.51"), "A", "Pelayanan Prima")


def test_border_100_is_f_and_101_is_e():
    # Aspect a all at 4 contributes 24*4/100 = 0.96; everything else 0 except:
    # 25.e.P at 2: 10*20*2/10000 = 0.04 -> 1.00 ; or 10.b.As at 2: 25*10*2/10000 = 0.05 -> 1.01
    at_100 = {**levels(0), **aspect_at("a", 4), "25.e.P": 2}
    at_101 = {**levels(0), **aspect_at("a", 4), "10.b.As": 2}
    assert score(INSTRUMENT, at_100).ipp == Decimal("1.00")
    assert score(INSTRUMENT, at_100).predikat.letter == "F"
    assert score(INSTRUMENT, at_101).ipp == Decimal("1.01")
    assert score(INSTRUMENT, at_101).predikat.letter == "E"


@pytest.mark.parametrize(
    ("ipp", "letter"),
    [
        ("0", "F"), ("1.00", "F"), ("1.0049", "F"), ("1.005", "E"), ("1.50", "E"), ("1.51", "D"),
        ("2.00", "D"), ("2.01", "C-"), ("2.50", "C-"), ("2.51", "C"), ("3.00", "C"), ("3.01", "B-"),
        ("3.50", "B-"), ("3.51", "B"), ("4.00", "B"), ("4.01", "A-"), ("4.5049", "A-"), ("4.505", "A"),
        ("5", "A"),
    ],
)
def test_predikat_is_read_off_the_shown_value(ipp, letter):
    assert predikat_for(Decimal(ipp)).letter == letter


@pytest.mark.parametrize("ipp", ["-0.01", "5.01"])
def test_predikat_outside_range_is_refused(ipp):
    with pytest.raises(ValueError):
        predikat_for(Decimal(ipp))


def test_round2_is_half_up():
    assert [round2(Decimal(v)) for v in ("4.225", "4.215", "4.2249")] == [
        Decimal("4.23"), Decimal("4.22"), Decimal("4.22")]


def test_partial_form_is_provisional_and_counts_missing_as_zero():
    half = {code: 5 for code in CODES[:15]}
    result = score(INSTRUMENT, half)
    assert result.is_provisional
    assert (result.answered, result.total) == (15, 30)
    assert result.ipp == score(INSTRUMENT, {**levels(0), **half}).ipp
    assert result.answered_by_aspect["a"] == 9


def test_gain_per_level_is_aspect_weight_times_indicator_weight():
    assert gain_per_level(INSTRUMENT, "14.b.K") == Decimal("0.075")  # 25 x 30 / 10000
    assert gain_per_level(INSTRUMENT, "antrian") == 0
    gains = next_level_gains(INSTRUMENT, levels(5, **{"1_a_Ak": 2}))
    assert gains == {"1.a.Ak": Decimal("0.0408")}  # 24 x 17 / 10000


answer_sets = st.fixed_dictionaries({code: st.integers(0, 5) for code in CODES})


def oracle_ipp(answers: dict[str, int]) -> Fraction:
    """The regulation's formula again, in exact fractions, independent of the module."""
    total = Fraction(0)
    for aspect in INSTRUMENT.aspects:
        aspect_score = sum(Fraction(str(i.weight)) * answers[i.code] for i in aspect.indicators) / 100
        total += Fraction(str(aspect.weight)) * aspect_score / 100
    return total


@given(answer_sets)
def test_ipp_matches_the_formula_and_stays_in_bounds(answers):
    result = score(INSTRUMENT, answers)
    assert Fraction(result.ipp) == oracle_ipp(answers)
    assert 0 <= result.ipp <= 5
    assert result.predikat == predikat_for(result.ipp_shown)


@given(st.fixed_dictionaries({}, optional={code: st.integers(0, 5) for code in CODES}))
def test_a_score_stored_as_json_reads_back_equal(answers):
    """What an assessment row stores (assessment/domain/stored_scores.py) is exactly what was computed."""
    result = score(INSTRUMENT, answers)
    stored = json.loads(json.dumps(result.as_json()))
    assert Score.from_json(stored) == result
    assert Score.from_json(stored).ipp_shown == result.ipp_shown


@given(answer_sets, st.sampled_from(CODES))
def test_raising_one_level_adds_exactly_its_weighted_gain(answers, code):
    if answers[code] == 5:
        return
    raised = {**answers, code: answers[code] + 1}
    before, after = score(INSTRUMENT, answers), score(INSTRUMENT, raised)
    assert after.ipp - before.ipp == gain_per_level(INSTRUMENT, code) > 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "objek JSON"),
        ({**levels(3), "99.z.X": 1}, "tidak dikenal: 99.z.X"),
        ({c: 3 for c in CODES[1:]}, "tidak ada: 1.a.Ak"),
        (levels(3, **{"2_a_P": 6}), "2.a.P"),
        (levels(3, **{"2_a_P": -1}), "2.a.P"),
        ({**levels(3), "2.a.P": True}, "2.a.P"),
        ({**levels(3), "2.a.P": 4.0}, "2.a.P"),
        ({**levels(3), "2.a.P": "4"}, "2.a.P"),
        ({**levels(3), "antrian": 9}, "antrian"),
    ],
)
def test_levels_from_json_rejects_bad_input(data, message):
    with pytest.raises(ValueError, match=message):
        levels_from_json(INSTRUMENT, data)


@pytest.mark.parametrize("queue_key", ["antrian", "sistem_antrian", "Sistem Antrian", "informasi_tambahan"])
def test_levels_from_json_accepts_and_ignores_the_queue_item(queue_key):
    parsed = levels_from_json(INSTRUMENT, {**levels(4), queue_key: 5})
    assert parsed == levels(4)
