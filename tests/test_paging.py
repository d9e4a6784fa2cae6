"""Long lists a page at a time: the queue pages in SQL, the results' ranking and pending lists in memory."""
import re

import pytest

from assessment.domain.answers import assessment_for
from assessment.domain.models import Role
from assessment.extensions import db
from assessment.web.paging import PAGE_SIZE, page_of
from tests.factories import fill, make_unit, make_user, mark_verified

UNITS = 105


@pytest.fixture
def many_units(world):
    """105 more units: one indicator answered at level n % 6 (IPP 0 up to ~0,2); every third verified."""
    for n in range(UNITS):
        unit = make_unit(f"Unit {n:03d}")
        opd = make_user(f"opd{n:03d}", Role.OPD, unit)
        assessment = assessment_for(unit, world.period)
        fill(assessment, opd, level_of=lambda indicator, n=n: n % 6, codes={"1.a.Ak"})
        if n % 3 == 0:
            mark_verified(assessment, world.reviewer)
    db.session.commit()
    return world


def names_in(page: str) -> list[str]:
    return re.findall(r'<div class="fw-semibold">(Unit \d{3}|DPMPTSP|Disdukcapil)</div>', page)


def test_page_of_a_list():
    page = page_of(list(range(250)), 3)
    assert (page.rows[0], len(page.rows), page.number, page.pages) == (200, 50, 3, 3)
    assert (page.first_position, page.last_position) == (201, 250)
    assert page_of(list(range(250)), 99).number == 3  # past the end: the last page
    assert page_of(list(range(250)), -1).number == page_of([], None).number == 1
    assert (page_of([], 1).first_position, page_of([], 1).last_position) == (0, 0)


def test_queue_shows_a_hundred_units_a_page_in_one_order_across_pages(client, auth, many_units):
    auth.login("organisasi")
    first = client.get("/organisasi/?urut=ipp_mandiri&arah=turun").text
    second = client.get("/organisasi/?urut=ipp_mandiri&arah=turun&halaman=2").text
    assert len(names_in(first)) == PAGE_SIZE and len(names_in(second)) == UNITS + 2 - PAGE_SIZE
    assert "Menampilkan 1–100 dari 107 unit" in first and "Menampilkan 101–107 dari 107 unit" in second
    shown = names_in(first) + names_in(second)
    assert len(set(shown)) == UNITS + 2  # nobody twice, nobody missing

    # Highest self-assessed IPP first, ties by short name in the same (descending) direction; the two world units
    # have no answer (IPP 0) and sort with the level-0 units.
    level = {f"Unit {n:03d}": n % 6 for n in range(UNITS)} | {"DPMPTSP": 0, "Disdukcapil": 0}
    assert shown == sorted(level, key=lambda name: (level[name], name.lower()), reverse=True)


def test_queue_counts_every_unit_whatever_the_page_and_filter(client, auth, many_units):
    auth.login("organisasi")
    page = client.get("/organisasi/?status=verified&halaman=1").text
    verified = len(range(0, UNITS, 3))
    assert re.search(rf"Terverifikasi <span>{verified}</span>", page)
    assert re.search(rf"Draf <span>{UNITS + 2 - verified}</span>", page)
    assert len(names_in(page)) == verified and "Menampilkan" not in page  # one page: no pager


@pytest.mark.parametrize("asked", ["99", "0", "-3", "dua"])
def test_a_page_out_of_range_or_not_a_number_shows_a_real_page(client, auth, many_units, asked):
    auth.login("organisasi")
    response = client.get(f"/organisasi/?halaman={asked}")
    assert response.status_code == 200
    expected = "Menampilkan 101–107" if asked == "99" else "Menampilkan 1–100"
    assert expected in response.text


def test_results_rank_continues_on_the_next_page(client, auth, world):
    for n in range(PAGE_SIZE + 2):
        unit = make_unit(f"Unit {n:03d}")
        assessment = assessment_for(unit, world.period)
        fill(assessment, world.opd, level_of=lambda indicator, n=n: n % 6, codes={"1.a.Ak", "2.a.P"})
        mark_verified(assessment, world.reviewer)
    db.session.commit()
    auth.login("organisasi")
    second = client.get(f"/organisasi/hasil/?tahun={world.period.year}&halaman=2").text
    ranks = [int(rank) for rank in re.findall(r'<span class="rank[^"]*">(\d+)</span>', second)]
    assert len(ranks) == 2 and all(rank > 1 for rank in ranks)
    assert "Menampilkan 101–102 dari 102 unit" in second
