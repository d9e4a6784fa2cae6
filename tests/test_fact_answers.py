"""Answering through facts: reading answers, the level they give, the next step up with its IPP gain, and review."""
from decimal import Decimal

import pytest

from assessment.domain.fact_answers import (
    FactAnswerError,
    FactAnswers,
    answers_json,
    asked_of,
    level_for,
    missing_facts,
    next_step,
    read_answers,
    read_confirmations,
    verified_answers,
)
from assessment.domain.instrument import LATEST_INSTRUMENT_PATH, load_instrument_file
from assessment.domain.scoring import gain_per_level
from tests.test_instrument_2025 import every_answer

INSTRUMENT = load_instrument_file(LATEST_INSTRUMENT_PATH)


def item(code):
    return INSTRUMENT.item(code)


def ticks(*keys, other=None):
    return {"items": list(keys), **({"other": other} if other is not None else {})}


def test_every_kind_of_answer_is_read_and_written_back_unchanged():
    asked = item("28.e.Ak")
    answers = read_answers(asked, {"lapor": True, "persen": "87,5", "jumlah": "  40 masuk, 35 selesai "})
    assert answers.values == {"lapor": True, "persen": Decimal("87.5"), "jumlah": "40 masuk, 35 selesai"}
    assert answers_json(asked, answers) == {"lapor": True, "persen": "87.5", "jumlah": "40 masuk, 35 selesai"}
    assert read_answers(asked, answers_json(asked, answers)) == answers
    rentan = item("18.c.K")
    read = read_answers(rentan, {"sarana": ticks("laktasi", "ramp", "lainnya", other="Petugas  pemandu")})
    assert answers_json(rentan, read) == {"sarana": {"items": ["ramp", "laktasi", "lainnya"], "other": "Petugas pemandu"}}


@pytest.mark.parametrize(("code", "data", "problems"), [
    ("28.e.Ak", {"lapor": "ya"}, {"lapor": "Pilih Ya atau Tidak."}),
    ("28.e.Ak", {"persen": "101"}, {"persen": "Persentase harus antara 0 dan 100."}),
    ("28.e.Ak", {"persen": "87,555"}, {"persen": "Persentase paling banyak dua angka di belakang koma."}),
    ("28.e.Ak", {"persen": "banyak"}, {"persen": "Isi persentase berupa angka 0–100, misalnya 87,5."}),
    ("18.c.K", {"sarana": ticks("lainnya")}, {"sarana": "Sebutkan apa yang dimaksud dengan “Fasilitas lain bagi kelompok "
                                                        "rentan (misalnya petugas pemandu atau petugas yang mampu "
                                                        "berbahasa isyarat)”."}),
    ("18.c.K", {"sarana": ticks("eskalator")}, {"sarana": "Butir tidak dikenal: eskalator."}),
    ("18.c.K", {"sarana": ["ramp"]}, {"sarana": "Jawaban daftar centang tidak sah."}),
    ("9.a.Ak", {"waktu": "besok", "hujan": True}, {"waktu": "Pilih salah satu pilihan yang tersedia.",
                                                   "hujan": "Fakta ini tidak ada pada indikator."}),
])
def test_a_bad_answer_is_refused_fact_by_fact(code, data, problems):
    with pytest.raises(FactAnswerError) as excinfo:
        read_answers(item(code), data)
    assert excinfo.value.problems == problems


def test_the_level_waits_for_every_fact_it_depends_on():
    asked = item("1.a.Ak")
    partial = read_answers(asked, {"ada": True, "komponen_14": True, "ditetapkan": None})
    assert level_for(asked, partial) is None
    assert [f.key for f in missing_facts(asked, partial)] == ["ditetapkan", "melibatkan_masyarakat", "monev"]
    complete = read_answers(asked, {"ada": True, "komponen_14": True, "ditetapkan": True, "melibatkan_masyarakat": False,
                                    "monev": True})
    assert level_for(asked, complete) == 3  # monev without public involvement does not count yet: cumulative


def test_next_step_for_a_count_ladder_is_one_more_item_and_adds_its_exact_share_of_the_ipp():
    asked = item("18.c.K")
    answers = read_answers(asked, {"sarana": ticks("ramp", "laktasi", "kursi_roda")})
    step = next_step(INSTRUMENT, asked, answers)
    assert (step.level_from, step.level_to) == (1, 2)
    assert len(step.changes) == 1 and step.changes[0].description.startswith("Centang satu butir lagi")
    assert step.ipp_gain == Decimal("0.036") == gain_per_level(INSTRUMENT, "18.c.K")  # 18 % x 20 % of a level


def test_next_step_on_a_cumulative_ladder_is_the_first_step_not_met():
    asked = item("23.d.As")
    answers = read_answers(asked, {"daring": True, "mudah_dioperasikan": True, "mudah_diakses": True, "kompatibel": False,
                                   "go_id": True, "navigasi": True})
    step = next_step(INSTRUMENT, asked, answers)
    assert [c.description for c in step.changes] == [
        "Jawab Ya: Apakah SIPP elektronik kompatibel di berbagai perangkat dan peramban?"]
    assert (step.level_from, step.level_to) == (2, 5)  # .go.id and navigation were already there
    assert step.ipp_gain == 3 * gain_per_level(INSTRUMENT, "23.d.As") == Decimal("0.066")


def test_next_step_may_need_two_changes_and_names_the_threshold_of_a_percentage():
    waiting = item("16.c.As")
    answers = read_answers(waiting, {"wajib": ticks(), "pelengkap": ticks("wifi")})
    step = next_step(INSTRUMENT, waiting, answers)
    assert len(step.changes) == 2 and (step.level_from, step.level_to) == (0, 2)
    follow_up = item("8.a.Ak")
    step = next_step(INSTRUMENT, follow_up, read_answers(follow_up, {"rencana": True, "persen": "75", "laporan": True}))
    assert step.changes[0].description.endswith("→ lebih dari 80%") and step.level_to == 4


def test_no_next_step_at_the_top_or_while_incomplete_and_none_gains_on_the_queue_item():
    asked = item("24.d.T")
    assert next_step(INSTRUMENT, asked, read_answers(asked, {"frekuensi": "harian"})) is None
    assert next_step(INSTRUMENT, asked, read_answers(asked, {})) is None
    queue = item("antrian")
    step = next_step(INSTRUMENT, queue, read_answers(queue, {"tersedia": True, "fasilitas": ticks("nomor_antrian")}))
    assert step.level_to == 2 and step.ipp_gain == 0


@pytest.mark.parametrize("code", ["3.a.T", "13.b.K", "21.d.T", "26.e.P", "29.f.B", "30.f.B"])
def test_every_next_step_really_raises_the_level_and_is_the_lowest_rung_one_change_reaches(code):
    asked = item(code)
    for values in every_answer(asked.facts):
        level = asked.rule.level(values)
        step = next_step(INSTRUMENT, asked, read_answers(asked, answers_json(asked, FactAnswers(values))))
        if level == 5:
            assert step is None
            continue
        after = dict(values)
        for change in step.changes:
            after[change.fact.key] = change.value
        assert asked.rule.level(after) == step.level_to > level == step.level_from, values


def test_the_daring_variant_is_asked_of_daring_units_and_a_pending_one_gains_nothing():
    parking = item("15.c.K")
    assert asked_of(parking) is parking and asked_of(parking, "daring") is parking.daring
    assert asked_of(item("1.a.Ak"), "daring") is item("1.a.Ak")  # asked alike
    online = parking.daring
    step = next_step(INSTRUMENT, parking, read_answers(online, {"kondisi": 2}), mode="daring")
    assert (step.level_from, step.level_to, step.ipp_gain) == (2, 3, 0)


def test_the_verified_level_follows_the_confirmed_facts_by_the_same_rule():
    asked = item("18.c.K")
    answers = read_answers(asked, {"sarana": ticks("ramp", "laktasi", "kursi_roda", "guiding_block")})
    assert level_for(asked, answers) == 2
    assert level_for(asked, verified_answers(asked, answers, {})) is None  # nothing confirmed yet
    all_there = read_confirmations(asked, {"sarana": {"confirmed": True}})
    assert level_for(asked, verified_answers(asked, answers, all_there)) == 2
    one_missing = read_confirmations(asked, {"sarana": {"confirmed": False, "value": ticks("ramp", "laktasi", "kursi_roda"),
                                                        "note": "Guiding block belum terpasang saat verlap."}})
    assert one_missing["sarana"].note == "Guiding block belum terpasang saat verlap."
    assert level_for(asked, verified_answers(asked, answers, one_missing)) == 1


@pytest.mark.parametrize(("data", "problems"), [
    ({"sarana": {"confirmed": False, "value": ticks("ramp")}},
     {"sarana": "Catatan wajib diisi untuk fakta yang tidak sesuai bukti."}),
    ({"sarana": {"confirmed": False, "note": "Tidak ada."}},
     {"sarana": "Isi keadaan yang ditunjukkan bukti untuk fakta yang tidak sesuai."}),
    ({"sarana": {"confirmed": False, "value": ticks("lift_kaca"), "note": "x"}}, {"sarana": "Butir tidak dikenal: lift_kaca."}),
    ({"sarana": "ok"}, {"sarana": "Tandai fakta ini sesuai atau tidak sesuai bukti."}),
    ({"catatan": {"confirmed": True}}, {"catatan": "Fakta ini tidak ada (atau tidak dinilai) pada indikator."}),
])
def test_a_bad_confirmation_is_refused_fact_by_fact(data, problems):
    with pytest.raises(FactAnswerError) as excinfo:
        read_confirmations(item("18.c.K"), data)
    assert excinfo.value.problems == problems
