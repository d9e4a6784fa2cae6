"""Issue 14 item 4, finding one's way in the OPD's form: the jump list, compact indicators, the evaluator's notes
marked on a returned form, the instructions, the verified dashboard."""
from __future__ import annotations

import re

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import angka, selisih, tanggal, today_wib
from assessment.domain.models import Review, ReviewDecision
from assessment.domain.reviews import return_assessment
from assessment.domain.scoring import score
from assessment.extensions import db
from tests.factories import INSTRUMENT, fill, mark_verified

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


def _buttons(page: str) -> set[str]:
    """The texts of the buttons and button-like links of a page, tags and spaces flattened."""
    found = re.findall(r'<(?:button|a)\b[^>]*class="[^"]*\bbtn\b[^"]*"[^>]*>(.*?)</(?:button|a)>', page, re.S)
    return {" ".join(re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("›", "").split()) for text in found}


def test_the_instructions_come_first_and_name_only_buttons_that_exist(client, auth, world):
    fill(world.assessment, world.opd, codes=ASPECT_A[:1])
    db.session.commit()
    auth.login("dpmptsp")
    dashboard = _page(client, "/penilaian")
    howto = dashboard.split('class="card shadow-sm mb-4 how-to"')[1].split("</details>")[0]
    assert dashboard.index("Cara mengisi") < dashboard.index("Kemajuan per aspek")
    named = {" ".join(re.sub(r"<[^>]+>", "", name).replace("&amp;", "&").split())
             for name in re.findall(r"<strong>(.*?)</strong>", howto)}
    assert "Simpan draf" in named and "Kirim penilaian" in named
    every_button = set().union(_buttons(dashboard), _buttons(_page(client, f"/penilaian/{world.assessment.id}/aspek/b")))
    fill(world.assessment, world.opd)  # the send button shows once everything is answered (evidence aside)
    for answer in world.assessment.answers.values():
        answer.level = 0  # level 0 needs no evidence: the summary offers "Kirim penilaian"
    db.session.commit()
    every_button |= _buttons(_page(client, f"/penilaian/{world.assessment.id}/ringkasan"))
    assert named - {"Isi"} <= every_button, named - every_button
    assert "Isi" in every_button
    assert 'href="/instrumen/#istilah"' in howto


def test_the_glossary_explains_codes_terms_and_the_bands_of_the_scoring(client, auth, world):
    auth.login("dpmptsp")
    page = _page(client, "/instrumen/")
    glossary = page.split('id="istilah"')[1]
    for text in ("1.a.Ak", "<dt>Ak</dt><dd>akuntabel</dd>", "<dt>As</dt>", "<dt>IPP</dt>", "Pelayanan Prima",
                 "4,51 – 5,00", "0,00 – 1,00", "2,01 – 2,50"):
        assert text in glossary, text
    for url in (f"/penilaian/{world.assessment.id}/aspek/a", f"/penilaian/{world.assessment.id}/ringkasan"):
        assert 'href="/instrumen/#istilah"' in _page(client, url)


def test_the_reviewers_pages_link_to_the_glossary(client, auth, world):
    auth.login("organisasi")
    assert 'href="/instrumen/#istilah"' in _page(client, "/organisasi/")
    assert 'href="/instrumen/#istilah"' in _page(client, "/organisasi/hasil/")


def test_the_verified_dashboard_shows_the_date_both_scores_per_aspect_and_the_berita_acara(client, auth, world):
    fill(world.assessment, world.opd, level_of=lambda ind: 4)
    mark_verified(world.assessment, world.reviewer, changes={"1.a.Ak": 2})
    db.session.commit()
    auth.login("dpmptsp")
    page = _page(client, "/penilaian")
    assert "Kemajuan" not in page and "Hasil verifikasi per aspek" in page
    assert f"Diverifikasi Bagian Organisasi pada {tanggal(world.assessment.verified_at)}." in page
    assert f'href="/laporan/penilaian/{world.assessment.id}/berita-acara.pdf"' in page
    table = page.split('class="table align-middle mb-0 aspect-table verified-aspects"')[1].split("</table>")[0]
    self_score = score(INSTRUMENT, world.assessment.levels())
    verified = score(INSTRUMENT, world.assessment.verified_levels())
    row_a = table.split("<tr>")[2]
    assert angka(self_score.aspects["a"]) in row_a and angka(verified.aspects["a"]) in row_a
    assert selisih(verified.aspect_shown("a") - self_score.aspect_shown("a")) in row_a
    assert selisih(verified.aspect_shown("b") - self_score.aspect_shown("b")) == "0,00"


def test_closing_a_period_asks_first_and_says_what_it_locks(client, auth, world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    auth.login("admin")
    edit = _page(client, f"/admin/periode/{world.period.id}")
    assert f'href="/admin/periode/{world.period.id}/tutup"' in edit and "/status" not in edit  # no one-click close
    confirm = _page(client, f"/admin/periode/{world.period.id}/tutup")
    db.session.expire_all()
    assert world.period.is_open  # the GET changes nothing
    assert "<strong>1</strong> unit masih berupa draf" in confirm  # Disdukcapil's form, not sent
    assert "<strong>1</strong> unit sudah mengirim" in confirm
    assert f'action="/admin/periode/{world.period.id}/status"' in confirm and "Ya, tutup periode" in confirm
    client.post(f"/admin/periode/{world.period.id}/status", data={})
    db.session.expire_all()
    assert not world.period.is_open
    assert client.get(f"/admin/periode/{world.period.id}/tutup").status_code == 302  # nothing left to close


def test_date_inputs_show_the_date_in_words_beside_them(client, auth, world):
    auth.login("admin")
    page = _page(client, f"/admin/periode/{world.period.id}")
    for name, day in (("opens_on", world.period.opens_on), ("deadline", world.period.deadline)):
        tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page).group(0)
        assert 'type="date"' in tag and f'aria-describedby="{name}-kata"' in tag and f'data-date-words="{name}-kata"' in tag
        assert f'<div class="form-text date-words" id="{name}-kata">{tanggal(day)}</div>' in page
    assert '<div class="form-text date-words" id="new_deadline-kata"></div>' in page  # nothing chosen yet
    assert "js/date_words" in page
    refused = client.post(f"/admin/periode/{world.period.id}", data={"opens_on": "2026-02-31"}).text
    assert '<div class="form-text date-words" id="opens_on-kata"></div>' in refused  # no words for a bad date


def test_a_recommendation_reads_as_an_evaluator_would_write_it():
    from assessment.domain.recommendations import suggest

    innovation, standard = INSTRUMENT.item("29.f.B"), INSTRUMENT.item("1.a.Ak")
    texts = {s.indicator.code: s.text for s in suggest(INSTRUMENT, {"29.f.B": 2, "1.a.Ak": 0}, count=40)}
    assert texts["29.f.B"] == (
        f"{innovation.title}: untuk naik dari level 2 ke level 3, yang perlu dicapai adalah "
        f"{innovation.criterion(3)[0].lower()}{innovation.criterion(3)[1:].rstrip('.')}. "
        f"Siapkan buktinya, antara lain {innovation.evidence[0][0].lower()}{innovation.evidence[0][1:]}.")
    assert texts["1.a.Ak"].startswith(f"{standard.title} belum terpenuhi. Untuk naik dari level 0 ke level 1, yang")
    assert "yang perlu dicapai adalah Standar Pelayanan" in texts["1.a.Ak"]  # a document's name keeps its capitals
    assert not any(".." in text or ": ." in text for text in texts.values())


def test_before_the_first_answer_every_page_says_belum_dimulai_and_shows_no_predikat(client, auth, world):
    auth.login("dpmptsp")
    started = world.assessment.id  # a form with no answer yet
    for url in ("/penilaian", f"/penilaian/{started}/aspek/a", f"/penilaian/{started}/ringkasan"):
        page = _page(client, url)
        card = page.split('<div class="score-card" data-score-card="self">')[1].split('<div class="score-note"')[0]
        assert '<div class="score-label">Belum dimulai<' in card, url
        assert "predikat" not in card, url  # no badge at all, not even an empty one
        assert "0,00" not in card and "Gagal" not in page, url
