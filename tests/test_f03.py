"""The F-03 numbers against worked examples and a Fraction oracle."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.domain import f03
from tests.factories import INSTRUMENT

WEIGHTS = {aspect.code: aspect.weight for aspect in INSTRUMENT.aspects}


def test_the_official_forms():
    luring, daring = f03.items_of(f03.LURING), f03.items_of(f03.DARING)
    assert (len(luring), len(daring)) == (14, 11)
    assert [i.aspect for i in luring] == list("aaaabbbccccdde")
    assert [i.aspect for i in daring] == list("aaaabccccde")
    assert luring[12].code == "14.d.T" and daring[-1].code == "11.e.T"
    with pytest.raises(ValueError):
        f03.items_of("campuran")


def test_the_instrument_weights_scaled_to_100():
    weights = f03.scaled_weights(WEIGHTS)
    assert weights == {"a": Fraction(2400, 88), "b": Fraction(2500, 88), "c": Fraction(1800, 88),
                       "d": Fraction(1100, 88), "e": Fraction(1000, 88)}
    assert sum(weights.values()) == 100


def test_every_answer_five_gives_five_and_every_answer_zero_gives_zero():
    for form in (f03.LURING, f03.DARING):
        size = len(f03.items_of(form))
        assert f03.result(f03.tally(form, [[5] * size] * 10), WEIGHTS).index == 5
        assert f03.result(f03.tally(form, [[0] * size] * 10), WEIGHTS).index == 0


def test_worked_example_luring():
    """Two respondents. Aspect a: items 4,4 / 3,3 / 5,5 / 4,4 -> means 4, 3, 5, 4 -> 4. b: 3, 3, 4 -> 10/3.
    c: 2, 3, 4, 5 -> 7/2. d: 4, 4 -> 4. e: 5 -> 5.
    Index = (24 x 4 + 25 x 10/3 + 18 x 7/2 + 11 x 4 + 10 x 5) / 88 = (96 + 250/3 + 63 + 44 + 50) / 88."""
    rows = [[4, 3, 5, 4, 3, 3, 4, 2, 3, 4, 5, 4, 4, 5],
            [4, 3, 5, 4, 3, 3, 4, 2, 3, 4, 5, 4, 4, 5]]
    result = f03.result(f03.tally(f03.LURING, rows), WEIGHTS)
    assert result.aspect_means == {"a": 4, "b": Fraction(10, 3), "c": Fraction(7, 2), "d": 4, "e": 5}
    expected = (96 + Fraction(250, 3) + 63 + 44 + 50) / 88
    assert result.index == expected
    assert result.index_shown == Decimal("3.82")  # 336,33… / 88 = 3,8220…
    assert result.aspect_shown("b") == Decimal("3.33") and result.item_shown("8.c.As") == Decimal("2.00")


def test_skipped_statements_are_left_out_of_the_means():
    """Item 1 skipped by one respondent: its mean is over one answer; the aspect mean is the mean of item means."""
    size = 11
    first = [None, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]
    second = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    result = f03.result(f03.tally(f03.DARING, [first, second]), WEIGHTS)
    assert result.tally.counts == (1,) + (2,) * (size - 1)
    assert result.item_means["1.a.K1"] == 2
    assert result.aspect_means["a"] == (2 + 3 + 3 + 3) / Fraction(4)


def test_no_index_while_an_aspect_has_no_answer():
    row = [4] * 13 + [None]
    result = f03.result(f03.tally(f03.LURING, [row]), WEIGHTS)
    assert result.aspect_means["e"] is None and result.index is None and result.index_shown is None


def test_a_response_with_no_f03_answer_counts_but_adds_no_answer():
    counted = f03.tally(f03.DARING, [[None] * 11, [3] * 11])
    assert counted.respondents == 2 and counted.counts == (1,) * 11


def test_answers_outside_0_to_5_are_refused():
    for bad in (6, -1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="0–5"):
            f03.tally(f03.DARING, [[bad] + [3] * 10])


@pytest.mark.parametrize(("ipp", "index", "share", "combined"), [
    (Decimal("4.22"), Fraction(4), 0, Fraction(422, 100)),
    (Decimal("4.22"), Fraction(4), 100, Fraction(4)),
    (Decimal("4"), Fraction(3), 25, Fraction(375, 100)),
    (Decimal("4.7375"), Fraction(9, 2), 25, Fraction(47375 * 3 + 45000, 40000)),
])
def test_combined_index(ipp, index, share, combined):
    assert f03.combined_index(ipp, index, share) == combined


def test_combined_share_must_be_a_percentage():
    with pytest.raises(ValueError):
        f03.combined_index(Decimal(4), Fraction(4), 101)


def oracle(form, rows):
    items = f03.items_of(form)
    means = {}
    for position, item in enumerate(items):
        answers = [row[position] for row in rows if row[position] is not None]
        means[item.code] = Fraction(sum(answers), len(answers)) if answers else None
    total_weight, weighted = 0, Fraction(0)
    for aspect in "abcde":
        answered = [means[i.code] for i in items if i.aspect == aspect and means[i.code] is not None]
        if not answered:
            return means, None
        total_weight += Fraction(WEIGHTS[aspect])
        weighted += Fraction(WEIGHTS[aspect]) * sum(answered) / len(answered)
    return means, weighted / total_weight


@st.composite
def responses(draw):
    form = draw(st.sampled_from([f03.LURING, f03.DARING]))
    size = len(f03.items_of(form))
    row = st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=size, max_size=size)
    return form, draw(st.lists(row, min_size=1, max_size=40))


@given(responses())
def test_matches_the_fraction_oracle(drawn):
    form, rows = drawn
    means, index = oracle(form, rows)
    result = f03.result(f03.tally(form, rows), WEIGHTS)
    assert dict(result.item_means) == means
    assert result.index == index
    if index is not None:
        assert 0 <= result.index <= 5
