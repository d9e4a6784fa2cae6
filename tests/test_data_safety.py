"""No lost updates: versions on answers and reviews (two tabs, two people), and the autosave endpoint."""
import re

import pytest

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AssessmentStatus
from assessment.extensions import db
from tests.factories import answer_fields, fill, review_fields

AUTOSAVE = {"X-Autosave": "1"}


def page_url(assessment, key="a"):
    return f"/penilaian/{assessment.id}/aspek/{key}"


def answer(level, text, version=0, action="save"):
    return {"action": action, **answer_fields("1.a.Ak", level, text, version)}


def saved(assessment, code="1.a.Ak"):
    db.session.expire_all()
    found = assessment.answers.get(code)
    return (found.level, found.justification, found.version) if found else None


@pytest.fixture
def opd(client, auth, world):
    auth.login("dpmptsp")
    return world


def test_second_tab_cannot_silently_overwrite_the_first(client, opd):
    assert client.post(page_url(opd.assessment), data=answer(3, "Tab pertama")).status_code == 302
    stale = client.post(page_url(opd.assessment), data=answer(5, "Tab kedua"))
    assert stale.status_code == 409
    assert "telah diubah orang lain" in stale.text and "Tab pertama" in stale.text  # the other change is shown
    assert "Tab kedua" in stale.text  # what this tab typed is still on screen
    assert saved(opd.assessment) == (3, "Tab pertama", 1)
    assert 'name="1_a_Ak-version" value="1"' in stale.text  # the next save is a deliberate overwrite
    again = client.post(page_url(opd.assessment), data=answer(5, "Tab kedua", version=1))
    assert again.status_code == 302 and saved(opd.assessment) == (5, "Tab kedua", 2)


def test_stale_version_with_the_same_content_is_not_a_conflict(client, opd):
    client.post(page_url(opd.assessment), data=answer(3, "Sama"))
    assert client.post(page_url(opd.assessment), data=answer(3, "Sama")).status_code == 302


def test_autosave_answers_json_with_versions_and_the_new_score(client, opd):
    response = client.post(page_url(opd.assessment), data=answer(5, "Otomatis", action="autosave"), headers=AUTOSAVE)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "saved" and body["entries"]["1_a_Ak"]["status"] == "saved"
    assert body["entries"]["1_a_Ak"]["version"] == 1
    # 1.a.Ak at 5: aspect a = 17 x 5 / 100 = 0,85 ; IPP = 24 x 0,85 / 100 = 0,204 -> 0,20
    assert body["texts"]["aspect"] == "0,85" and body["texts"]["answered"] == "1"
    assert '<div class="score-value">0,20</div>' in body["cards"]["self"]  # the card as the page renders it
    assert body["saved_at"].endswith("WIB")
    assert saved(opd.assessment) == (5, "Otomatis", 1)


def test_autosave_conflict_and_refusals_are_json_and_change_nothing(client, opd):
    client.post(page_url(opd.assessment), data=answer(3, "Pertama"))
    conflict = client.post(page_url(opd.assessment), data=answer(1, "Basi", action="autosave"), headers=AUTOSAVE)
    assert conflict.status_code == 409
    reply = conflict.get_json()["entries"]["1_a_Ak"]
    assert reply["status"] == "conflict" and reply["theirs"]["values"] == {"level": "3", "justification": "Pertama"}
    invalid = client.post(page_url(opd.assessment), data=answer(9, "x", version=1, action="autosave"), headers=AUTOSAVE)
    assert invalid.status_code == 422 and invalid.get_json()["entries"]["1_a_Ak"]["status"] == "invalid"
    assert saved(opd.assessment) == (3, "Pertama", 1)


def test_autosave_after_submit_is_refused(client, opd):
    fill(opd.assessment, opd.opd)
    submit_assessment(opd.assessment, opd.opd, today_wib())
    db.session.commit()
    response = client.post(page_url(opd.assessment), data=answer(0, "Terlambat", 1, "autosave"), headers=AUTOSAVE)
    assert response.status_code == 422 and "tidak dapat diubah lagi" in response.get_json()["message"]
    assert saved(opd.assessment)[0] == 4


def test_page_works_without_javascript_and_loads_our_own_script(client, opd):
    page = client.get(page_url(opd.assessment)).text
    script_address = re.search(r'"(/static/js/autosave(-[0-9a-f]{32})?\.js)"', page)  # fingerprinted once built
    assert 'data-autosave' in page and script_address and 'name="action" value="save"' in page
    assert "<script>" not in page  # no inline script
    script = client.get(script_address.group(1))
    assert script.status_code == 200 and b"X-Autosave" in script.data


def test_two_reviewers_cannot_overwrite_each_other(client, auth, world):
    fill(world.assessment, world.opd)
    world.assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    auth.login("organisasi")
    url = f"/organisasi/penilaian/{world.assessment.id}/verifikasi"
    client.post(url, data=review_fields("1.a.Ak", "2", "Pertama"))
    response = client.post(url, data=review_fields("1.a.Ak", "agree", ""))
    assert response.status_code == 409 and "telah diubah evaluator lain" in response.text
    db.session.expire_all()
    review = world.assessment.reviews["1.a.Ak"]
    assert (review.verified_level, review.note) == (2, "Pertama")
