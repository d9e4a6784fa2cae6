"""F-01 facts on the OPD's aspect pages (issue 13, item 2): the unit answers facts, the level follows the rule;
bad answers are refused with nothing stored; periods on the 2023 file keep the pick-a-level form."""
import json

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.instrument import LATEST_INSTRUMENT_PATH
from assessment.instruments import import_instrument
from assessment.models import Answer, AuditEvent
from tests import factories
from tests.clients import Browser
from tests.factories import answer_fields

AUTOSAVE = {"X-Autosave": "1", "Accept": "application/json"}
SP = "1.a.Ak"  # cumulative: ada -> komponen_14 -> ditetapkan -> melibatkan_masyarakat -> monev
UNSUR = "2.a.P"  # a tick list counted: 0, 1, 2, 3, 4, 5+


def on_2025(world):
    version, _ = import_instrument(LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    world.period.instrument_version = version
    db.session.commit()
    return world


@pytest.fixture
def facts_world(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        world = on_2025(factories.make_world())
        yield world, Browser(app).log_in("dpmptsp")


def fact_fields(code, facts, justification=None, version=0):
    key = code.replace(".", "_")
    fields = {f"{key}-version": str(version), f"{key}-facts": json.dumps(facts)}
    if justification is not None:
        fields[f"{key}-justification"] = justification
    return fields


def stored(world, code):
    db.session.expire_all()
    return db.session.scalar(sa.select(Answer).where(Answer.assessment_id == world.assessment.id,
                                                     Answer.indicator_code == code))


def post(browser, world, *parts, headers=None, key="a"):
    data = {"action": "autosave" if headers else "save"}
    for part in parts:
        data |= part
    return browser.post(f"/penilaian/{world.assessment.id}/aspek/{key}", data=data, headers=headers or {})


def test_the_page_asks_the_facts_instead_of_the_levels(facts_world):
    world, opd = facts_world
    page = opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
    assert 'name="1_a_Ak-fakta-ada"' in page and 'value="ya"' in page
    assert 'name="2_a_P-fakta-unsur"' in page and 'value="__none__"' in page
    assert 'name="1_a_Ak-level"' not in page
    assert "Level: belum dapat ditentukan" in page and "Bukti dukung harus menunjukkan" in page
    assert "Keputusan penetapan Standar Pelayanan" in page  # the evidence of one fact


def test_autosaved_facts_store_the_level_the_rule_gives_and_reply_with_the_panel(facts_world):
    world, opd = facts_world
    facts = {"ada": True, "komponen_14": True, "ditetapkan": False, "melibatkan_masyarakat": False, "monev": False}
    reply = post(opd, world, fact_fields(SP, facts, "SP ada."), headers=AUTOSAVE)
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    assert body["entries"]["1_a_Ak"]["status"] == "saved"
    answer = stored(world, SP)
    assert (answer.level, answer.facts, answer.justification) == (2, facts, "SP ada.")
    panel = body["panels"]["1_a_Ak"]
    assert "Level menurut fakta" in panel and ">2<" in panel and "naik ke level 3" in panel
    assert "Apakah Standar Pelayanan sudah ditetapkan" in panel and "Menambah IPP sebesar" in panel
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "answer.facts")) == 1


def test_the_page_without_javascript_sends_the_controls_and_they_count(facts_world):
    world, opd = facts_world
    key = "2_a_P"
    data = {f"{key}-version": "0", f"{key}-facts": "", f"{key}-fakta-isian": "1",
            f"{key}-fakta-unsur": ["pengguna", "ahli", "media"], f"{key}-justification": "Tiga unsur."}
    assert post(opd, world, data).status_code == 302
    answer = stored(world, UNSUR)
    assert answer.level == 3 and answer.facts == {"unsur": {"items": ["pengguna", "ahli", "media"]}}
    page = opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
    assert 'id="2_a_P-fakta-unsur-ahli" value="ahli" checked' in page


def test_none_ticked_is_an_answer_giving_level_0(facts_world):
    world, opd = facts_world
    data = {"2_a_P-version": "0", "2_a_P-fakta-isian": "1", "2_a_P-fakta-unsur": "__none__"}
    assert post(opd, world, data).status_code == 302
    assert stored(world, UNSUR).level == 0


def test_incomplete_facts_are_kept_without_a_level(facts_world):
    world, opd = facts_world
    assert post(opd, world, fact_fields(SP, {"ada": True}), headers=AUTOSAVE).status_code == 200
    answer = stored(world, SP)
    assert answer.facts == {"ada": True} and answer.level is None


@pytest.mark.parametrize("facts", [{"ada": "mungkin"}, {"tidak_ada": True}, "[1, 2]", {"unsur": {"items": ["x"]}}])
def test_bad_answers_are_refused_in_indonesian_and_nothing_is_stored(facts_world, facts):
    world, opd = facts_world
    code = UNSUR if "unsur" in str(facts) else SP
    key = code.replace(".", "_")
    fields = {f"{key}-version": "0", f"{key}-facts": facts if isinstance(facts, str) else json.dumps(facts)}
    reply = post(opd, world, fields, answer_fields("3.a.T", None, "Tersimpan?"), headers=AUTOSAVE)
    assert reply.status_code == 422
    assert reply.get_json()["entries"][key]["status"] == "invalid"
    message = reply.get_json()["entries"][key]["message"]
    assert any(word in message for word in ("Pilih", "tidak ada", "tidak dikenal", "objek"))
    assert stored(world, code) is None and stored(world, "3.a.T") is None


def test_a_bad_count_comes_back_as_typed_with_its_message(facts_world):
    world, opd = facts_world
    data = {"2_a_P-version": "0", "2_a_P-fakta-isian": "1", "2_a_P-fakta-unsur": ["pengguna", "tak-dikenal"],
            "2_a_P-justification": "Ketikan saya"}
    reply = post(opd, world, data)
    assert reply.status_code == 422 and "Butir tidak dikenal" in reply.text and "Ketikan saya" in reply.text
    assert 'value="pengguna" checked' in reply.text
    assert stored(world, UNSUR) is None


def test_periods_on_the_2023_file_keep_the_level_form(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        world = factories.make_world()
        opd = Browser(app).log_in("dpmptsp")
        page = opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
        assert 'name="1_a_Ak-level"' in page and "-fakta-" not in page and "js/facts" not in page
        assert post(opd, world, answer_fields(SP, 4, "SK."), headers=AUTOSAVE).get_json()["panels"] == {}
        answer = stored(world, SP)
        assert (answer.level, answer.facts) == (4, None)
