"""Issue 14 item 4, finding one's way in the OPD's form: the jump list, compact indicators, the evaluator's notes
marked on a returned form, the instructions, the verified dashboard."""
from __future__ import annotations

import re

from assessment.extensions import db
from assessment.formatting import today_wib
from assessment.models import Review, ReviewDecision
from assessment.review.services import return_assessment
from assessment.selfassessment.services import submit_assessment
from tests.factories import INSTRUMENT, fill

ASPECT_A = [i.code for i in INSTRUMENT.aspect("a").indicators]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


def _jump_list(page: str) -> str:
    return page.split('aria-label="Indikator di halaman ini"')[1].split("</nav>")[0]


def test_an_aspect_page_jumps_to_each_indicator_and_ticks_the_answered(client, auth, world):
    fill(world.assessment, world.opd, codes=ASPECT_A[:2])
    db.session.commit()
    auth.login("dpmptsp")
    page = _page(client, f"/penilaian/{world.assessment.id}/aspek/a")
    jumps = _jump_list(page)
    for code in ASPECT_A:
        key = code.replace(".", "_")
        assert f'href="#ind-{key}"' in jumps and f'id="ind-{key}"' in page
    assert jumps.count("jump-chip answered") == 2 and jumps.count(", terjawab") == 2
    assert jumps.count(", belum dijawab") == len(ASPECT_A) - 2
    # answered indicators are compact, yet every level stays there to change
    assert page.count("card indicator shadow-sm mb-4 answered") == 2
    assert page.count('type="radio"') == 6 * len(ASPECT_A)


def test_a_read_only_page_shows_the_chosen_level_and_folds_the_others(client, auth, world):
    fill(world.assessment, world.opd, level_of=lambda ind: 3)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    auth.login("dpmptsp")
    page = _page(client, f"/penilaian/{world.assessment.id}/aspek/a")
    assert page.count('type="radio"') == len(ASPECT_A)  # one level each: the chosen one
    first = INSTRUMENT.item(ASPECT_A[0])
    assert f'<span class="level-num">3</span><span>{first.levels[3]}</span>' in page
    assert page.count("Lihat semua level (0–5)") == len(ASPECT_A)
    assert first.levels[0] in page.split('class="other-levels')[1]  # the other levels, folded


def _returned_with_a_note(world, code: str = "1.a.Ak"):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    world.assessment.reviews[code] = Review(indicator_code=code, decision=ReviewDecision.CHANGE, verified_level=2,
                                            note="SK penetapan belum dilampirkan.", reviewer=world.reviewer)
    return_assessment(world.assessment, world.reviewer, "Lengkapi bukti dukung.")
    db.session.commit()


def test_a_returned_form_marks_the_noted_indicators_in_steps_cards_and_summary(client, auth, world):
    _returned_with_a_note(world)
    auth.login("dpmptsp")
    page = _page(client, f"/penilaian/{world.assessment.id}/aspek/a")
    steps = page.split('aria-label="Halaman formulir"')[1].split("</nav>")[0]
    assert re.search(r'class="step-noted"[^>]*>1<span class="visually-hidden"> catatan evaluator', steps)
    assert steps.count("step-noted") == 1  # only aspect A has a note
    assert "jump-chip answered noted" in _jump_list(page) and ", ada catatan evaluator" in _jump_list(page)
    card = page.split('id="ind-1_a_Ak"')[1].split("</section>")[0]
    assert "Ada catatan evaluator" in card and "SK penetapan belum dilampirkan." in card
    assert page.count("Ada catatan evaluator</span>") == 1
    summary = _page(client, f"/penilaian/{world.assessment.id}/ringkasan")
    noted = summary.split('class="alert alert-danger noted-list"')[1].split("</div>")[0]
    assert "Catatan evaluator pada 1 indikator" in noted and "#ind-1_a_Ak" in noted
    assert summary.count('note-badge d-block mt-1">Catatan') == 1
