"""The SKM numbers (PermenPANRB 14/2017) against worked examples and a Fraction oracle."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.domain import skm


def responses_with_total(respondents: int, total: int) -> list[list[int]]:
    """``respondents`` complete responses whose 9 × respondents answers add up to ``total``."""
    answers = 9 * respondents
    base, extra = divmod(total, answers)
    flat = [base + (1 if position < extra else 0) for position in range(answers)]
    return [flat[row * 9:(row + 1) * 9] for row in range(respondents)]


def test_the_nine_unsur_follow_the_regulation():
    assert skm.UNSUR_CODES == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert skm.UNSUR[0].name == "Persyaratan"
    assert skm.UNSUR[3].answers == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert skm.UNSUR[7].answers[-1] == "Dikelola dengan baik"
    assert all(len(u.answers) == 4 and u.question.endswith("?") for u in skm.UNSUR)


def test_worked_example_with_every_answer_three():
    result = skm.score([[3] * 9] * 25)
    assert result.respondents == 25
    assert all(result.nrr_shown(code) == Decimal("3.0000") for code in skm.UNSUR_CODES)
    assert (result.ikm_shown, result.nilai_shown, result.mutu) == (Decimal("3.0000"), Decimal("75.00"),
                                                                    skm.Mutu("C", "Kurang Baik"))


def test_worked_example_by_hand():
    """Four respondents; U1 answered 4, 3, 3, 3 -> NRR 13/4 = 3,25; the IKM is the plain mean of the nine NRR."""
    rows = [[4, 3, 2, 4, 3, 3, 4, 2, 3],
            [3, 3, 3, 4, 3, 4, 4, 3, 3],
            [3, 2, 3, 4, 3, 3, 4, 2, 4],
            [3, 3, 3, 4, 4, 3, 4, 3, 3]]
    result = skm.score(rows)
    sums = [13, 11, 11, 16, 13, 13, 16, 10, 13]
    assert result.nrr == {code: Fraction(total, 4) for code, total in zip(skm.UNSUR_CODES, sums, strict=True)}
    assert result.ikm == Fraction(116, 36)  # 29/9 = 3,2222…
    assert (result.ikm_shown, result.nilai_shown) == (Decimal("3.2222"), Decimal("80.56"))
    assert result.mutu == skm.Mutu("B", "Baik")
    assert result.weakest() == ["U8"]


def test_skipped_answers_are_no_answers():
    """U4 skipped by two of three respondents: its NRR is over the one answer only, not over three."""
    rows = [[4, 4, 4, None, 4, 4, 4, 4, 4], [2, 2, 2, None, 2, 2, 2, 2, 2], [3, 3, 3, 1, 3, 3, 3, 3, 3]]
    result = skm.score(rows)
    assert result.tally.counts == (3, 3, 3, 1, 3, 3, 3, 3, 3)
    assert result.nrr["U4"] == 1 and result.nrr["U1"] == 3
    assert result.ikm == Fraction(3 * 8 + 1, 9)
    assert result.weakest() == ["U4"]


def test_a_response_without_any_answer_counts_but_adds_no_answer():
    result = skm.score([[None] * 9, [4] * 9])
    assert result.respondents == 2 and result.tally.counts == (1,) * 9 and result.ikm == 4


def test_an_unsur_nobody_answered_leaves_no_ikm():
    result = skm.score([[4, 4, 4, None, 4, 4, 4, 4, 4]])
    assert result.nrr["U4"] is None and not result.complete
    assert (result.ikm, result.nilai_shown, result.mutu) == (None, None, None)


def test_half_up_not_half_even():
    """NRR 97/32 = 3,03125: half up gives 3,0313 (half even would print 3,0312)."""
    rows = [[3] * 9 for _ in range(31)] + [[4] * 9]
    result = skm.score(rows)
    assert result.nrr["U1"] == Fraction(97, 32)
    assert result.nrr_shown("U1") == Decimal("3.0313")
    assert skm.round_half_up(Fraction(78085, 1000), 2) == Decimal("78.09")
    assert skm.round_half_up(Fraction(312345, 100000), 4) == Decimal("3.1235")


def test_the_weight_is_exactly_one_ninth():
    """With the printed weight 0,11 the nine NRR of 4 would give 3,96 and 99,00; with 1/9 they give 4 and 100."""
    result = skm.score([[4] * 9])
    assert (result.ikm_shown, result.nilai_shown, result.mutu.letter) == (Decimal("4.0000"), Decimal("100.00"), "A")


@pytest.mark.parametrize(("respondents", "total", "exact", "shown", "letter", "kinerja"), [
    (24, 763, "88.310185", "88.31", "A", "Sangat Baik"),
    (19, 604, "88.304093", "88.30", "B", "Baik"),
    (19, 524, "76.608187", "76.61", "B", "Baik"),  # below 76,61 exactly, but shown as 76,61: the shown value decides
    (26, 717, "76.602564", "76.60", "C", "Kurang Baik"),
    (5, 117, "65.000000", "65.00", "C", "Kurang Baik"),
    (38, 889, "64.985380", "64.99", "D", "Tidak Baik"),
    (1, 9, "25.000000", "25.00", "D", "Tidak Baik"),
])
def test_both_sides_of_every_mutu_border(respondents, total, exact, shown, letter, kinerja):
    result = skm.score(responses_with_total(respondents, total))
    assert result.nilai == Fraction(25 * total, 9 * respondents)
    assert abs(result.nilai - Fraction(exact)) < Fraction(1, 10**6)
    assert result.nilai_shown == Decimal(shown)
    assert result.mutu == skm.Mutu(letter, kinerja)


def test_mutu_bands_on_the_shown_value():
    for value, letter in (("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
                          ("65.00", "C"), ("64.99", "D"), ("25.00", "D")):
        assert skm.mutu_for(Decimal(value)).letter == letter
    with pytest.raises(ValueError):
        skm.mutu_for(Decimal("24.99"))


def test_tallies_add_up():
    first, second = [[1] * 9, [2] * 9], [[None, 4, 4, 4, 4, 4, 4, 4, 4]]
    assert skm.tally(first) + skm.tally(second) == skm.tally(first + second)


@pytest.mark.parametrize(("population", "sample"), [
    (1, 1), (9, 9), (10, 10), (11, 14), (100, 80), (101, 86), (300, 169), (500, 217), (2000, 322),
    (2001, 327), (10000, 370), (100000, 384), (2_000_000, 384),
])
def test_sample_size_from_the_krejcie_morgan_table(population, sample):
    assert skm.sample_size(population) == sample


def test_the_sample_table_rises_with_the_population():
    populations = [p for p, _ in skm.KREJCIE_MORGAN]
    samples = [s for _, s in skm.KREJCIE_MORGAN]
    assert populations == sorted(populations) and samples == sorted(samples)
    assert all(s <= p for p, s in skm.KREJCIE_MORGAN)
    with pytest.raises(ValueError):
        skm.sample_size(0)


@pytest.mark.parametrize(("data", "message"), [
    ([], "objek JSON"),
    ({"jawaban": []}, "objek JSON"),
    ({"responses": {}}, "daftar"),
    ({"responses": []}, "tidak ada responden"),
    ({"responses": [[4] * 8]}, "tepat 9 jawaban"),
    ({"responses": [[4] * 10]}, "tepat 9 jawaban"),
    ({"responses": ["4444"]}, "tepat 9 jawaban"),
    ({"responses": [[4] * 8 + [5]]}, "U9 harus bilangan bulat 1–4"),
    ({"responses": [[0] + [4] * 8]}, "U1"),
    ({"responses": [[3.5] + [4] * 8]}, "U1"),
    ({"responses": [[True] + [4] * 8]}, "U1"),
    ({"responses": [["4"] + [4] * 8]}, "U1"),
])
def test_bad_json_is_refused_with_a_reason(data, message):
    with pytest.raises(ValueError, match=message):
        skm.responses_from_json(data)


# --- a Fraction oracle, written independently of the module -----------------------------------------------------

def oracle(rows):
    columns = list(zip(*rows, strict=True))
    nrr = []
    for column in columns:
        answers = [value for value in column if value is not None]
        nrr.append(Fraction(sum(answers), len(answers)) if answers else None)
    if None in nrr:
        return nrr, None, None, None
    ikm = sum(nrr[i] * Fraction(1, 9) for i in range(9))
    with localcontext() as context:
        context.prec = 60
        nilai = (Decimal(ikm.numerator) * 25 / Decimal(ikm.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        ikm_shown = (Decimal(ikm.numerator) / Decimal(ikm.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    letter = "A" if nilai >= Decimal("88.31") else "B" if nilai >= Decimal("76.61") else "C" if nilai >= 65 else "D"
    return nrr, ikm_shown, nilai, letter


answer = st.one_of(st.none(), st.integers(1, 4))
responses = st.lists(st.lists(answer, min_size=9, max_size=9), min_size=1, max_size=60)


@given(responses)
def test_matches_the_fraction_oracle(rows):
    nrr, ikm_shown, nilai, letter = oracle(rows)
    result = skm.score(rows)
    assert [result.nrr[code] for code in skm.UNSUR_CODES] == nrr
    assert result.ikm_shown == ikm_shown
    assert result.nilai_shown == nilai
    assert (result.mutu.letter if result.mutu else None) == letter


@given(responses, responses)
def test_the_order_and_split_of_responses_do_not_matter(first, second):
    assert skm.tally(first + second) == skm.tally(second + first) == skm.tally(first) + skm.tally(second)


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=40))
def test_the_nilai_stays_within_25_and_100(rows):
    result = skm.score(rows)
    assert 25 <= result.nilai <= 100 and 1 <= result.ikm <= 4
