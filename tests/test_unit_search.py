"""Issue 14 item 4: the reviewers find a unit by name in the queue and in the results (GET ?q=, matched in SQL)."""
from __future__ import annotations

import re

from assessment.domain.answers import assessment_for
from assessment.domain.unit_search import matching_unit_ids, search_text
from assessment.extensions import db
from tests.factories import fill, make_unit, mark_verified


def test_every_word_must_match_in_any_case_and_wildcards_are_literal(world):
    sosial = make_unit("Dinsos")
    sosial.name = "Dinas Sosial"
    db.session.commit()
    assert matching_unit_ids("dinas SOS") == {sosial.id}
    assert matching_unit_ids("sos dinas") == {sosial.id}
    assert matching_unit_ids("unit") == {world.unit.id, world.other_unit.id}
    assert matching_unit_ids("%") == set() and matching_unit_ids("_") == set()
    assert matching_unit_ids("") == {world.unit.id, world.other_unit.id, sosial.id}
    assert search_text("  dinas \n sosial  ") == "dinas sosial" and len(search_text("x" * 500)) == 100


def test_queue_search_narrows_the_list_and_keeps_the_filters(client, auth, world):
    auth.login("organisasi")
    found = client.get("/organisasi/?q=disduk").text
    assert "Disdukcapil" in found and "DPMPTSP" not in found
    assert 'value="disduk"' in found  # the box keeps what was typed
    assert re.search(r'href="[^"]*q=disduk[^"]*urut=ipp_mandiri', found)  # sorting keeps the search
    none = client.get("/organisasi/?q=%25%27%22<b>").text
    assert "Tidak ada unit bernama “%&#39;&#34;&lt;b&gt;”" in none and "Disdukcapil" not in none
    assert client.get("/organisasi/?q=" + "a" * 5000).status_code == 200


def test_results_search_hides_rows_but_keeps_the_ranks(client, auth, world):
    fill(world.assessment, world.opd, level_of=lambda ind: 5)
    fill(world.other_assessment, world.other_opd, level_of=lambda ind: 2)
    mark_verified(world.assessment, world.reviewer)
    mark_verified(world.other_assessment, world.reviewer)
    third = make_unit("Dinsos")
    assessment_for(third, world.period)
    db.session.commit()
    auth.login("organisasi")
    page = client.get(f"/organisasi/hasil/?tahun={world.period.year}&q=disduk").text
    ranking = page.split('id="judul-peringkat"')[1].split('id="judul-sebaran"')[0]
    assert "Disdukcapil" in ranking and "DPMPTSP" not in ranking
    assert re.search(r'class="rank[^"]*">2</span>', ranking)  # second among all units, not first of the one found
    assert "Tidak ada unit belum terverifikasi bernama “disduk”" in page
    assert "1 unit bernama “disduk”" in page
