"""F-01 facts on the OPD's aspect pages (issue 13, item 2): the unit answers facts, the level follows the rule;
bad answers are refused with nothing stored; periods on the 2023 file keep the pick-a-level form."""
import html
import json
import re

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from assessment.domain.instrument import LATEST_INSTRUMENT_PATH
from assessment.domain.instrument_store import import_instrument
from assessment.domain.models import Answer, AuditEvent
from assessment.extensions import db
from assessment.web.form_fields import field_key
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


def rendered_post(opd, world) -> list[tuple[str, str]]:
    """What a browser without JavaScript posts from the page as loaded: hidden fields, checked boxes, texts."""
    page = opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
    data = [("action", "save")]
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\S+?)="([^"]*)"', tag))
        kind, name = attributes.get("type", "text"), attributes.get("name", "")
        if name and (kind in ("hidden", "text", "number") or (kind in ("radio", "checkbox") and " checked" in tag)):
            data.append((name, html.unescape(attributes.get("value", ""))))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+-justification)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data.append((name, html.unescape(text)))
    return data


def test_saving_the_page_as_loaded_changes_nothing(facts_world):
    world, opd = facts_world
    facts = {"unsur": {"items": ["pengguna", "ahli"]}}
    assert post(opd, world, fact_fields(UNSUR, facts, "Dua unsur."), headers=AUTOSAVE).status_code == 200
    version = stored(world, UNSUR).version
    reply = opd.post(f"/penilaian/{world.assessment.id}/aspek/a", data=MultiDict(rendered_post(opd, world)))
    assert reply.status_code == 302
    assert stored(world, UNSUR).version == version and stored(world, SP) is None  # untouched stays unanswered


def test_facts_saved_meanwhile_elsewhere_are_a_conflict_with_their_answers(facts_world):
    world, opd = facts_world
    first = {"ada": True}
    assert post(opd, world, fact_fields(SP, first), headers=AUTOSAVE).status_code == 200
    reply = post(opd, world, fact_fields(SP, {"ada": False}, version=0), headers=AUTOSAVE)
    assert reply.status_code == 409
    theirs = reply.get_json()["entries"]["1_a_Ak"]["theirs"]["values"]
    assert json.loads(theirs["facts"]) == first and stored(world, SP).facts == first


def test_a_ticked_lainnya_needs_its_name_and_keeps_it(facts_world):
    world, opd = facts_world
    code = "12.b.Ak"  # mekanisme motivasi kerja: a tick list with "lainnya"
    key = field_key(code)
    data = {f"{key}-version": "0", f"{key}-fakta-isian": "1", f"{key}-fakta-mekanisme": ["penghargaan", "lainnya"]}
    reply = post(opd, world, data, key="b")
    assert reply.status_code == 422 and "Sebutkan apa yang dimaksud" in reply.text
    assert stored(world, code) is None
    data[f"{key}-fakta-mekanisme-lainnya"] = "Apel pagi bersama pimpinan"
    assert post(opd, world, data, key="b").status_code == 302
    answer = stored(world, code)
    assert answer.facts == {"mekanisme": {"items": ["penghargaan", "lainnya"], "other": "Apel pagi bersama pimpinan"}}
    assert answer.level == 2
    page = opd.get(f"/penilaian/{world.assessment.id}/aspek/b").text
    assert 'value="Apel pagi bersama pimpinan"' in page


def test_a_page_loaded_before_another_persons_save_saved_as_loaded_keeps_their_answers(facts_world):
    """Two people on one aspect page: what the first one's page still shows unchanged is not a conflict."""
    world, opd = facts_world
    loaded = rendered_post(opd, world)  # the head's page, before the colleague answers
    theirs = {"unsur": {"items": ["pengguna", "ahli"]}}
    assert post(opd, world, fact_fields(UNSUR, theirs, "Dua unsur."), headers=AUTOSAVE).status_code == 200
    reply = opd.post(f"/penilaian/{world.assessment.id}/aspek/a", data=MultiDict(loaded))
    assert reply.status_code == 302, "diubah orang lain" in reply.text
    assert stored(world, UNSUR).facts == theirs and stored(world, UNSUR).justification == "Dua unsur."
