"""The reviewer checks a unit's F-01 facts one by one (issue 13, item 2): the verified level follows the rule;
a level set directly needs a note; bad checks are refused with nothing stored."""
import html
import json
import re

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from assessment.demo.facts import fact_answers
from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus, Review, ReviewDecision, Role
from assessment.domain.reviews import return_assessment
from assessment.extensions import db
from assessment.selfassessment.fact_saving import store_fact_answers
from tests import factories
from tests.clients import Browser
from tests.test_facts import on_2025

AUTOSAVE = {"X-Autosave": "1", "Accept": "application/json"}
SP = "1.a.Ak"
SP_FACTS = {"ada": True, "komponen_14": True, "ditetapkan": True, "melibatkan_masyarakat": False, "monev": False}
SP_SCORED = ("ada", "komponen_14", "ditetapkan", "melibatkan_masyarakat", "monev")


@pytest.fixture
def submitted(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        world = on_2025(factories.make_world())
        store_fact_answers(world.assessment, {SP: (SP_FACTS, "SP ditetapkan.")}, world.opd)
        world.assessment.status = AssessmentStatus.SUBMITTED
        db.session.commit()
        assert world.assessment.answers[SP].level == 3
        yield world, Browser(app).log_in("organisasi")


def checks_fields(checks, choice="", note="", version=0, code=SP):
    key = code.replace(".", "_")
    return {f"{key}-version": str(version), f"{key}-checks": json.dumps(checks), f"{key}-choice": choice,
            f"{key}-note": note}


def review_of(world, code=SP):
    db.session.expire_all()
    return db.session.scalar(sa.select(Review).where(Review.assessment_id == world.assessment.id,
                                                     Review.indicator_code == code))


def post(browser, world, fields, headers=None):
    return browser.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi", data=fields, headers=headers or {})


def all_confirmed(**overrides):
    return {key: overrides.get(key, {"confirmed": True}) for key in SP_SCORED}


def test_the_review_page_lists_the_facts_with_a_check_each(submitted):
    world, reviewer = submitted
    page = reviewer.get(f"/organisasi/penilaian/{world.assessment.id}/verifikasi").text
    assert "Apakah Standar Pelayanan sudah ditetapkan" in page and "Jawaban unit:</strong> Ya" in page
    assert 'name="1_a_Ak-cek-ditetapkan"' in page and 'name="1_a_Ak-catatan-ditetapkan"' in page
    assert "Ikuti fakta yang diperiksa" in page and 'name="1_a_Ak-choice"' in page


def test_checks_one_by_one_give_the_verified_level_by_the_rule(submitted):
    world, reviewer = submitted
    partly = {"ada": {"confirmed": True}}
    reply = post(reviewer, world, checks_fields(partly), AUTOSAVE)
    assert reply.status_code == 200 and reply.get_json()["entries"]["1_a_Ak"]["status"] == "saved"
    review = review_of(world)
    assert review.decision is None and review.fact_checks == partly  # not every fact checked yet
    assert "belum ada" in reply.get_json()["panels"]["1_a_Ak"]
    not_set = {"confirmed": False, "value": False, "note": "Keputusan penetapan belum ditandatangani."}
    reply = post(reviewer, world, checks_fields(all_confirmed(ditetapkan=not_set), version=review.version), AUTOSAVE)
    assert reply.status_code == 200, reply.get_json()
    review = review_of(world)
    assert (review.decision, review.verified_level, review.level_set) == (ReviewDecision.CHANGE, 2, False)
    assert world.assessment.verified_levels()[SP] == 2
    assert "Level terverifikasi" in reply.get_json()["panels"]["1_a_Ak"]


def test_every_fact_confirmed_agrees_with_the_unit(submitted):
    world, reviewer = submitted
    assert post(reviewer, world, checks_fields(all_confirmed())).status_code == 302
    review = review_of(world)
    assert review.decision == ReviewDecision.AGREE and world.assessment.verified_levels()[SP] == 3


def test_a_level_set_directly_needs_a_note(submitted):
    world, reviewer = submitted
    reply = post(reviewer, world, checks_fields({}, choice="1"), AUTOSAVE)
    assert reply.status_code == 422 and "Catatan wajib diisi" in reply.get_json()["entries"]["1_a_Ak"]["message"]
    assert review_of(world) is None
    assert post(reviewer, world, checks_fields({}, choice="1", note="SP belum memuat 14 komponen.")).status_code == 302
    review = review_of(world)
    assert (review.decision, review.verified_level, review.level_set) == (ReviewDecision.CHANGE, 1, True)
    page = reviewer.get(f"/organisasi/penilaian/{world.assessment.id}/verifikasi").text
    assert '<option value="1" selected>' in page and "ditetapkan langsung" in page


@pytest.mark.parametrize("check", [{"confirmed": False, "value": False}, {"confirmed": False, "note": "Tidak ada."},
                                   {"confirmed": "ya"}, {"confirmed": False, "value": "mungkin", "note": "x"}])
def test_bad_checks_are_refused_in_indonesian_and_nothing_is_stored(submitted, check):
    world, reviewer = submitted
    reply = post(reviewer, world, checks_fields(all_confirmed(ditetapkan=check)))
    assert reply.status_code == 422
    assert "Apakah Standar Pelayanan sudah ditetapkan" in reply.text and "Belum tersimpan" in reply.text
    assert review_of(world) is None


def test_the_page_without_javascript_sends_the_check_controls(submitted):
    world, reviewer = submitted
    key = "1_a_Ak"
    fields = {f"{key}-version": "0", f"{key}-checks": "", f"{key}-cek-isian": "1", f"{key}-choice": "", f"{key}-note": ""}
    for fact in SP_SCORED:
        fields[f"{key}-cek-{fact}"] = "sesuai"
    fields |= {f"{key}-cek-monev": "tidak", f"{key}-nilai-monev": "ya", f"{key}-catatan-monev": "Laporan monev ada."}
    assert post(reviewer, world, fields).status_code == 302
    review = review_of(world)
    assert review.fact_checks["monev"] == {"confirmed": False, "value": True, "note": "Laporan monev ada."}
    # monev without melibatkan_masyarakat: the cumulative ladder stops at 3, as the unit's own answer
    assert review.decision == ReviewDecision.AGREE


def test_verify_needs_every_indicator_checked(submitted):
    world, reviewer = submitted
    assert post(reviewer, world, checks_fields(all_confirmed())).status_code == 302
    done = reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir", data={"confirm": "y"},
                         follow_redirects=True)
    assert "Belum dapat diverifikasi" in done.text  # the other indicators have no check yet
    db.session.expire_all()
    assert world.assessment.status == AssessmentStatus.SUBMITTED


def test_facts_changed_after_a_return_must_be_checked_again_even_at_the_same_level(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        world = on_2025(factories.make_world())
        assessment, instrument = world.assessment, world.assessment.instrument
        levels = {item.code: (2, "Ada.") for item in instrument.indicators}
        store_fact_answers(assessment, fact_answers(instrument, levels, world.unit.delivery), world.opd)
        store_fact_answers(assessment, {SP: (SP_FACTS, "SP ditetapkan.")}, world.opd)
        submit_assessment(assessment, world.opd, today_wib())
        db.session.commit()
        reviewer = Browser(app).log_in("organisasi")
        assert post(reviewer, world, checks_fields(all_confirmed())).status_code == 302
        assert review_of(world).decision == ReviewDecision.AGREE
        return_assessment(assessment, world.reviewer, "Lengkapi bukti monev.")
        store_fact_answers(assessment, {SP: ({**SP_FACTS, "monev": True}, "SP ditetapkan.")}, world.opd)
        assert assessment.answers[SP].level == 3  # monev without the public's involvement: still 3
        submit_assessment(assessment, world.opd, today_wib())
        db.session.commit()
        assert review_of(world).decision is None and review_of(world).fact_checks is not None


def test_the_unit_sees_which_facts_the_evidence_did_not_bear_out_once_returned(submitted):
    world, reviewer = submitted
    not_set = {"confirmed": False, "value": False, "note": "Keputusan penetapan belum ditandatangani."}
    assert post(reviewer, world, checks_fields(all_confirmed(ditetapkan=not_set))).status_code == 302
    opd = Browser(reviewer.app).log_in("dpmptsp")
    assert "Keputusan penetapan belum ditandatangani" not in opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
    return_assessment(world.assessment, world.reviewer, "Perbaiki.")
    db.session.commit()
    page = opd.get(f"/penilaian/{world.assessment.id}/aspek/a").text
    assert "Evaluator: tidak sesuai bukti.</strong> Keputusan penetapan belum ditandatangani." in page


def test_agreeing_with_the_rest_confirms_their_facts(submitted):
    world, reviewer = submitted
    assert reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/setujui-sisa").status_code == 302
    review = review_of(world)
    assert review.fact_checks == {key: {"confirmed": True} for key in SP_SCORED}
    assert review.decision == ReviewDecision.AGREE and world.assessment.verified_levels()[SP] == 3


def test_agreeing_with_the_rest_confirms_only_the_members_part(submitted):
    """With a team in force the ketua's "agree with the rest" leaves the aspect given to an anggota to her, as it
    does on a form without facts (it used to confirm every indicator not yet reviewed)."""
    world, ketua = submitted
    anggota = factories.make_user("budi", Role.REVIEWER)
    factories.add_member(world.period, world.reviewer, "ketua")
    factories.add_member(world.period, anggota)
    factories.assign(world.period, world.unit, anggota, "a", by=world.reviewer)  # SP is in aspect A
    db.session.commit()
    aspect_a = {indicator.code for indicator in world.assessment.instrument.aspect("a").indicators}
    assert ketua.post(f"/organisasi/penilaian/{world.assessment.id}/setujui-sisa").status_code == 302
    assert review_of(world) is None
    touched = set(world.assessment.reviews)  # the ketua's part (unanswered there: no level follows)
    assert touched and not touched & aspect_a
    budi = Browser(ketua.app).log_in("budi")
    assert budi.post(f"/organisasi/penilaian/{world.assessment.id}/setujui-sisa").status_code == 302
    assert review_of(world).decision == ReviewDecision.AGREE


def test_a_review_page_loaded_before_another_reviewers_save_saved_as_loaded_keeps_their_checks(submitted):
    """Two reviewers on one form: what the first one's page still shows unchanged is not a conflict."""
    world, reviewer = submitted
    page = reviewer.get(f"/organisasi/penilaian/{world.assessment.id}/verifikasi").text
    loaded = [("action", "save")]  # what a browser posts from the page as loaded
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\S+?)="([^"]*)"', tag))
        kind, name = attributes.get("type", "text"), attributes.get("name", "")
        if name and (kind in ("hidden", "text") or (kind in ("radio", "checkbox") and " checked" in tag)):
            loaded.append((name, html.unescape(attributes.get("value", ""))))
    loaded += [(name, "") for name in re.findall(r'<select[^>]*name="([^"]+-choice)"', page)]
    loaded += [(name, html.unescape(text)) for name, text in
               re.findall(r'<textarea[^>]*name="([^"]+-note)"[^>]*>\n?(.*?)</textarea>', page, re.S)]
    theirs = all_confirmed()
    assert post(reviewer, world, checks_fields(theirs), headers=AUTOSAVE).status_code == 200
    reply = reviewer.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi", data=MultiDict(loaded))
    assert reply.status_code == 302, reply.text
    assert review_of(world).fact_checks == theirs and review_of(world).decision == ReviewDecision.AGREE


def test_a_form_returned_with_facts_not_borne_out_leads_the_unit_to_them(submitted):
    """The reviewer's findings are the notes of facts not borne out (no note on the indicator itself): the unit's
    dashboard still names them per aspect and offers "Perbaiki sesuai catatan" to the first one."""
    world, reviewer = submitted
    not_set = {"confirmed": False, "value": False, "note": "Keputusan penetapan belum ditandatangani."}
    assert post(reviewer, world, checks_fields(all_confirmed(ditetapkan=not_set))).status_code == 302
    return_assessment(world.assessment, world.reviewer, "Perbaiki.")
    db.session.commit()
    page = Browser(reviewer.app).log_in("dpmptsp").get("/penilaian").text
    assert f'href="/penilaian/{world.assessment.id}/aspek/a#ind-1_a_Ak">Perbaiki sesuai catatan</a>' in page
    assert "1 catatan evaluator" in page
