"""The bundled instrument is complete, and the loader rejects each kind of broken file by name."""
import copy
import json
from decimal import Decimal

import pytest
import yaml

from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH, InstrumentError, load_default_instrument, parse_instrument
from assessment.domain.instrument.loader import parse_instrument_text

EXPECTED_WEIGHTS = {
    "a": (24, {"1.a.Ak": 17, "2.a.P": 14, "3.a.T": 7, "4.a.K": 14, "5.a.K": 10, "6.a.B": 17, "7.a.T": 7,
               "8.a.Ak": 7, "9.a.Ak": 7}),
    "b": (25, {"10.b.As": 10, "11.b.K": 20, "12.b.Ak": 20, "13.b.K": 20, "14.b.K": 30}),
    "c": (18, {"15.c.K": 15, "16.c.As": 23, "17.c.As": 20, "18.c.K": 20, "19.c.As": 11, "20.c.B": 11}),
    "d": (11, {"21.d.T": 30, "22.d.B": 20, "23.d.As": 20, "24.d.T": 30}),
    "e": (10, {"25.e.P": 20, "26.e.P": 25, "27.e.Ak": 25, "28.e.Ak": 30}),
    "f": (12, {"29.f.B": 50, "30.f.B": 50}),
}


@pytest.fixture
def raw():
    return yaml.safe_load(DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"))


def test_bundled_instrument_has_the_regulations_weights():
    instrument = load_default_instrument()
    found = {
        a.code: (int(a.weight), {i.code: int(i.weight) for i in a.indicators}) for a in instrument.aspects
    }
    assert found == EXPECTED_WEIGHTS
    assert [i.number for i in instrument.indicators] == list(range(1, 31))


def test_every_indicator_has_six_levels_and_evidence():
    instrument = load_default_instrument()
    for item in instrument.all_items:
        assert len(item.levels) == 6 and all(item.levels)
        assert item.evidence and item.title and item.question


def test_queue_item_is_additional_with_weight_zero():
    instrument = load_default_instrument()
    (queue,) = instrument.additional
    assert queue.weight == Decimal(0)
    assert instrument.find_item("Sistem Antrian") is queue


def test_json_instrument_is_accepted(raw):
    assert parse_instrument_text(json.dumps(raw)) == load_default_instrument()


def _break(raw, change):
    broken = copy.deepcopy(raw)
    change(broken)
    return broken


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


BROKEN = {
    "aspect weights": (_set(["aspects", 0, "weight"], 25), "jumlah bobot keenam aspek harus 100, bukan 101"),
    "indicator weights": (_set(["aspects", 1, "indicators", 0, "weight"], 11),
                          "aspek 'b': jumlah bobot indikator harus 100, bukan 101"),
    "five levels": (lambda d: d["aspects"][0]["indicators"][1]["levels"].pop(),
                    "indikator '2.a.P': 'levels' harus berisi 6 kriteria (level 0–5), ditemukan 5"),
    "empty level": (_set(["aspects", 0, "indicators", 0, "levels", 3], " "), "indikator '1.a.Ak': kriteria level 3 kosong"),
    "duplicate code": (_set(["aspects", 0, "indicators", 1, "code"], "1.a.Ak"), "kode '1.a.Ak' dipakai lebih dari sekali"),
    "wrong aspect letter": (_set(["aspects", 0, "indicators", 0, "code"], "1.b.Ak"), "huruf aspek pada kode"),
    "bad code": (_set(["aspects", 0, "indicators", 0, "code"], "satu"), "nomor.aspek.prinsip"),
    "unknown key": (_set(["aspects", 0, "colour"], "red"), "aspek ke-1: kunci tidak dikenal: colour"),
    "missing key": (lambda d: d["aspects"][2]["indicators"][0].pop("evidence"), "kunci wajib tidak ada: evidence"),
    "weight text": (_set(["aspects", 5, "weight"], "dua belas"), "bobot 'dua belas' bukan angka"),
    "negative weight": (_set(["aspects", 5, "indicators", 0, "weight"], -50), "bobot harus angka 0 atau lebih"),
    "weighted additional": (_set(["additional", 0, "weight"], 5), "bobot informasi tambahan harus 0"),
    "no aspects": (_set(["aspects"], []), "daftar aspek yang tidak kosong"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_instrument_is_rejected_with_a_named_problem(raw, case):
    change, message = BROKEN[case]
    with pytest.raises(InstrumentError) as excinfo:
        parse_instrument(_break(raw, change))
    assert message in str(excinfo.value)


def test_not_yaml_is_rejected():
    with pytest.raises(InstrumentError, match="bukan YAML/JSON"):
        parse_instrument_text("aspects: [unclosed")
    with pytest.raises(InstrumentError, match="harus berupa objek"):
        parse_instrument_text("- just\n- a list\n")
