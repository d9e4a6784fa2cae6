"""The OPD's form through the test client: fill, draft, errors keep input, submit, read-only, isolation."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assessment.domain.models import Answer, AssessmentStatus
from assessment.extensions import db
from tests.factories import INSTRUMENT, answer_fields, fill, page_as_rendered, set_status, version_of


def section_url(assessment, key="a"):
    return f"/penilaian/{assessment.id}/aspek/{key}"


def aspect_data(aspect_code, level=3, text="Ada SK dan foto.", action="save", assessment=None):
    """Every indicator of the aspect, based on the stored versions of ``assessment`` (none: a first save)."""
    data = {"action": action}
    for indicator in INSTRUMENT.aspect(aspect_code).indicators:
        version = version_of(assessment.answers, indicator.code) if assessment else 0
        data |= answer_fields(indicator.code, level, text, version)
    return data


def saved_answers(assessment):
    db.session.expire_all()
    return {a.indicator_code: (a.level, a.justification)
            for a in db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment.id))}


@pytest.fixture
def opd(client, auth, world):
    auth.login("dpmptsp")
    return world


def test_dashboard_shows_period_deadline_and_provisional_ipp(client, opd):
    page = client.get("/penilaian").text
    assert opd.period.title in page
    assert "Batas pengisian" in page and "14 hari lagi" in page
    assert "Belum dimulai" in page and "0,00" not in page  # no score, no predikat before the first answer
    assert "Kebijakan Pelayanan" in page
    fill(opd.assessment, opd.opd, codes={"1.a.Ak"})
    db.session.commit()
    page = client.get("/penilaian").text
    # 1.a.Ak at 4: aspect a = 17 x 4 / 100 = 0,68; IPP = 24 x 0,68 / 100 = 0,1632 -> 0,16
    assert "IPP sementara" in page and "0,68" in page and "0,16" in page



def test_aspect_page_shows_levels_criteria_and_evidence(client, opd):
    page = client.get(section_url(opd.assessment)).text
    indicator = INSTRUMENT.item("1.a.Ak")
    assert indicator.title in page
    assert all(criterion in page for criterion in indicator.levels)
    assert indicator.evidence[0] in page
    assert page.count('type="radio"') == 6 * 9


def test_save_draft_stores_answers_and_updates_the_score(client, opd):
    response = client.post(section_url(opd.assessment), data=aspect_data("a", level=5), follow_redirects=True)
    assert "Draf tersimpan." in response.text
    answers = saved_answers(opd.assessment)
    assert len(answers) == 9 and answers["1.a.Ak"] == (5, "Ada SK dan foto.")
    # aspect a at 5 contributes 24 x 5 / 100 = 1,20 to the provisional IPP
    assert "1,20" in client.get("/penilaian").text


def test_next_and_previous_move_between_aspects(client, opd):
    forward = client.post(section_url(opd.assessment, "a"), data=aspect_data("a", action="next"))
    assert forward.headers["Location"].endswith("/aspek/b")
    back = client.post(section_url(opd.assessment, "b"), data=aspect_data("b", action="prev"))
    assert back.headers["Location"].endswith("/aspek/a")
    last = client.post(section_url(opd.assessment, "tambahan"), data={"action": "next"})
    assert last.headers["Location"].endswith("/ringkasan")


def test_validation_error_keeps_what_was_typed_and_saves_nothing(client, opd):
    data = aspect_data("a", level=4, text="Penjelasan yang diketik dengan susah payah.")
    data["2_a_P-justification"] = "x" * 2001
    response = client.post(section_url(opd.assessment), data=data)
    assert response.status_code == 422
    assert "Belum tersimpan" in response.text and "paling banyak 2000 karakter" in response.text
    assert "Penjelasan yang diketik dengan susah payah." in response.text
    assert response.text.count('value="4" checked') == 9
    assert saved_answers(opd.assessment) == {}


def test_forged_level_is_refused(client, opd):
    data = aspect_data("a")
    data["1_a_Ak-level"] = "9"
    response = client.post(section_url(opd.assessment), data=data)
    assert "Pilihan level tidak sah" in response.text
    assert saved_answers(opd.assessment) == {}


def test_a_page_that_showed_no_level_never_clears_one_chosen_since(client, opd):
    """A browser cannot un-tick a radio, so a level missing from the post is what the page showed: none."""
    page = page_as_rendered(client, section_url(opd.assessment))
    fill(opd.assessment, opd.other_opd, level_of=lambda indicator: 2, codes={"1.a.Ak"})  # chosen elsewhere meanwhile
    db.session.commit()
    assert client.post(section_url(opd.assessment), data=page).status_code == 302  # untouched: left alone
    assert saved_answers(opd.assessment)["1.a.Ak"] == (2, "Penjelasan 1.a.Ak")
    changed = client.post(section_url(opd.assessment), data=page | {"1_a_Ak-justification": "Diperbarui"})
    assert changed.status_code == 409 and saved_answers(opd.assessment)["1.a.Ak"] == (2, "Penjelasan 1.a.Ak")


def test_summary_lists_what_is_missing_and_submit_is_refused_until_complete(client, opd):
    client.post(section_url(opd.assessment), data=aspect_data("a"))
    summary = client.get(f"/penilaian/{opd.assessment.id}/ringkasan").text
    assert "21 indikator belum dijawab" in summary and "10.b.As" in summary
    refused = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={"confirm": "y"}, follow_redirects=True)
    assert "Belum dapat dikirim: 21 indikator belum dijawab" in refused.text
    assert opd.assessment.status == AssessmentStatus.DRAFT


def test_submit_needs_the_confirmation(client, opd):
    fill(opd.assessment, opd.opd)
    db.session.commit()
    response = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={}, follow_redirects=True)
    assert "Centang pernyataan" in response.text
    db.session.refresh(opd.assessment)
    assert opd.assessment.status == AssessmentStatus.DRAFT


def test_full_flow_submit_then_read_only(client, opd):
    for aspect in INSTRUMENT.aspects:
        client.post(section_url(opd.assessment, aspect.code), data=aspect_data(aspect.code, level=4))
    summary = client.get(f"/penilaian/{opd.assessment.id}/ringkasan").text
    assert "Seluruh 30 indikator sudah dijawab" in summary and "4,00" in summary
    response = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={"confirm": "y"}, follow_redirects=True)
    assert "berhasil dikirim" in response.text
    db.session.refresh(opd.assessment)
    assert opd.assessment.status == AssessmentStatus.SUBMITTED and opd.assessment.submitted_at

    page = client.get(section_url(opd.assessment)).text
    assert "<fieldset disabled>" in page and "Simpan draf" not in page
    changed = client.post(section_url(opd.assessment), data=aspect_data("a", level=1, assessment=opd.assessment))
    assert "tidak dapat diubah lagi" in changed.text
    assert saved_answers(opd.assessment)["1.a.Ak"][0] == 4
    again = client.post(f"/penilaian/{opd.assessment.id}/kirim", data={"confirm": "y"}, follow_redirects=True)
    assert "tidak dapat diubah lagi" in again.text


def test_deadline_passed_makes_the_form_read_only(client, opd):
    opd.period.deadline = opd.period.opens_on + timedelta(days=1)
    db.session.commit()
    response = client.post(section_url(opd.assessment), data=aspect_data("a"), follow_redirects=True)
    assert "Batas waktu pengisian" in response.text
    assert saved_answers(opd.assessment) == {}


@pytest.mark.parametrize("path", ["/aspek/a", "/ringkasan"])
def test_other_units_assessment_is_not_found(client, opd, path):
    assert client.get(f"/penilaian/{opd.other_assessment.id}{path}").status_code == 404


def test_other_unit_cannot_post_answers_or_submit(client, opd):
    fill(opd.other_assessment, opd.other_opd)
    db.session.commit()
    assert client.post(section_url(opd.other_assessment), data=aspect_data("a", level=0)).status_code == 404
    assert client.post(f"/penilaian/{opd.other_assessment.id}/kirim", data={"confirm": "y"}).status_code == 404
    assert saved_answers(opd.other_assessment)["1.a.Ak"][0] == 4
    assert opd.other_assessment.status == AssessmentStatus.DRAFT


def test_unknown_section_is_not_found(client, opd):
    assert client.get(section_url(opd.assessment, "z")).status_code == 404


def test_reviewer_reads_but_cannot_change_an_assessment(client, auth, world):
    auth.login("organisasi")
    assert client.get(f"/penilaian/{world.assessment.id}/ringkasan").status_code == 200
    assert client.post(section_url(world.assessment), data=aspect_data("a")).status_code == 403
    assert client.get("/penilaian").status_code == 403
    assert saved_answers(world.assessment) == {}


def test_overview_lists_units_with_status(client, auth, world):
    fill(world.other_assessment, world.other_opd)
    set_status(world.other_assessment, AssessmentStatus.SUBMITTED)
    auth.login("organisasi")
    page = client.get("/organisasi/").text
    assert "DPMPTSP" in page and "Disdukcapil" in page and "Dikirim" in page and "4,00" in page


def test_opd_cannot_open_the_overview(client, opd):
    assert client.get("/organisasi/").status_code == 403
