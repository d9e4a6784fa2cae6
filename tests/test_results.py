"""The results pages: ranking and ties, distribution, averages, pending units, year over year, access, queries."""
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import g

from assessment.domain.answers import assessment_for
from assessment.domain.models import AssessmentStatus, Period, Role, User
from assessment.domain.results import history_rows, period_results
from assessment.extensions import db
from tests.factories import fill, make_period, make_unit, make_user, mark_verified, set_status

RESULTS = "/organisasi/hasil/"


def verified_unit(short_name, reviewer, period, level=4, changes=None):
    """A unit whose every indicator was self-assessed at ``level``, verified with ``changes``."""
    unit = make_unit(short_name)
    assessment = assessment_for(unit, period)
    fill(assessment, reviewer, level_of=lambda indicator: level)
    mark_verified(assessment, reviewer, changes)
    return unit


def ranking_names(page):
    table = page.split('id="judul-peringkat"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'class="fw-semibold" href="[^"]+">([^<]+)</a>', table)


@pytest.fixture
def staff(client, auth, world):
    auth.login("organisasi")
    return world


def test_ranking_orders_by_unrounded_ipp_and_ties_share_a_rank(client, staff):
    reviewer, period = staff.reviewer, staff.period
    verified_unit("Top", reviewer, period, level=5)  # IPP 5
    verified_unit("Zeta", reviewer, period)  # IPP 4
    verified_unit("Alpha", reviewer, period)  # IPP 4: tied with Zeta, listed first by short name
    # 4 + 24x7/10000 (3.a.T up one level) - 10x20/10000 (25.e.P down one) = 4 + 0.0168 - 0.02 = 3.9968:
    # printed 4,00 like the two above, yet lower unrounded, so it ranks after them.
    verified_unit("Near", reviewer, period, changes={"3.a.T": 5, "25.e.P": 3})
    verified_unit("Low", reviewer, period, level=3)  # IPP 3
    db.session.commit()

    ranking = period_results(period).ranking
    assert [(r.rank, r.unit.short_name) for r in ranking] == [
        (1, "Top"), (2, "Alpha"), (2, "Zeta"), (4, "Near"), (5, "Low")]
    assert ranking[3].verified_score.ipp == Decimal("3.9968")
    assert ranking[3].verified_score.ipp_shown == Decimal("4.00")

    page = client.get(RESULTS).text
    assert ranking_names(page) == ["Top", "Alpha", "Zeta", "Near", "Low"]
    assert "berbagi peringkat (1, 2, 2, 4)" in page


def test_difference_is_verified_minus_self_assessed(client, staff):
    # Self-assessed 4 everywhere (IPP 4,00); the reviewer lowers 29.f.B to 0: aspect f = 50x4/100 = 2,
    # IPP = (88x4 + 12x2)/100 = 3,76, so the difference is 3,76 - 4,00 = -0,24.
    verified_unit("Turun", staff.reviewer, staff.period, changes={"29.f.B": 0})
    db.session.commit()
    row = period_results(staff.period).ranking[0]
    assert row.difference == Decimal("-0.24")
    page = client.get(RESULTS).text
    assert "3,76" in page and "\u22120,24" in page


def test_predikat_distribution_counts(staff):
    reviewer, period = staff.reviewer, staff.period
    verified_unit("A1", reviewer, period, level=5)  # 5,00 -> A
    verified_unit("B1", reviewer, period)  # 4,00 -> B
    verified_unit("B2", reviewer, period, changes={"29.f.B": 0})  # 3,76 -> B
    verified_unit("C1", reviewer, period, level=3)  # 3,00 -> C
    verified_unit("F1", reviewer, period, level=0)  # 0,00 -> F
    db.session.commit()
    distribution = [(p.letter, count) for p, count in period_results(period).distribution]
    assert distribution == [("A", 1), ("A-", 0), ("B", 2), ("B-", 0), ("C", 1), ("C-", 0), ("D", 0), ("E", 0), ("F", 1)]


def test_aspect_averages_and_pemda_average(client, staff):
    reviewer, period = staff.reviewer, staff.period
    # U1: 4 everywhere, 29.f.B verified 0 -> aspects a..e 4, f 2; IPP (88x4 + 12x2)/100 = 3.76
    verified_unit("U1", reviewer, period, changes={"29.f.B": 0})
    # U2: 5 everywhere -> every aspect 5, IPP 5
    verified_unit("U2", reviewer, period, level=5)
    # U3: 3 everywhere, 1.a.Ak verified 5 -> aspect a = (17x5 + 83x3)/100 = 3.34; IPP = (24x3.34 + 76x3)/100 = 3.0816
    verified_unit("U3", reviewer, period, level=3, changes={"1.a.Ak": 5})
    db.session.commit()

    results = period_results(period)
    means = dict((aspect.code, mean) for aspect, mean in results.aspect_averages)
    assert means["a"] == Decimal("12.34") / 3  # (4 + 5 + 3.34) / 3 = 4.1133 -> 4,11
    assert means["b"] == Decimal(4)  # (4 + 5 + 3) / 3
    assert means["f"] == Decimal(10) / 3  # (2 + 5 + 3) / 3 = 3.3333 -> 3,33
    average = results.average
    assert average.ipp == Decimal("11.8416") / 3  # (3.76 + 5 + 3.0816) / 3 = 3.9472
    assert average.ipp_shown == Decimal("3.95") and average.predikat.letter == "B"
    assert average.konversi == Decimal("78.94")  # 3.9472 x 20 = 78.944

    page = client.get(RESULTS).text
    assert "Rata-rata IPP Pemda" in page
    assert all(text in page for text in ("3,95", "78,94", "4,11", "3,33"))


def test_units_not_verified_are_listed_with_their_status(client, staff):
    reviewer, period = staff.reviewer, staff.period
    make_unit("Kecamatan Baru")  # never opened its form
    submitted = assessment_for(make_unit("Dikirim Unit"), period)
    returned = assessment_for(make_unit("Kembali Unit"), period)
    set_status(submitted, AssessmentStatus.SUBMITTED)
    set_status(returned, AssessmentStatus.RETURNED)
    verified_unit("Selesai", reviewer, period)
    inactive = make_unit("Nonaktif")
    inactive.active = False
    db.session.commit()

    pending = {r.unit.short_name: r.status_label for r in period_results(period).pending}
    assert pending == {"DPMPTSP": "Draf", "Disdukcapil": "Draf", "Kecamatan Baru": "Belum mulai",
                       "Dikirim Unit": "Dikirim", "Kembali Unit": "Dikembalikan"}
    section = client.get(RESULTS).text.split('id="judul-belum"', 1)[1]
    assert all(label in section for label in ("Belum mulai", "Draf", "Dikirim", "Dikembalikan"))
    assert "Selesai" not in section and "Nonaktif" not in section


def test_period_without_verified_units_shows_an_empty_state(client, staff):
    response = client.get(RESULTS)
    assert response.status_code == 200
    assert "Belum ada unit yang terverifikasi" in response.text
    assert 'class="chart"' not in response.text and "Peringkat unit" not in response.text


def test_no_period_at_all(client, auth, app):
    make_user("organisasi", Role.REVIEWER)
    db.session.commit()
    auth.login("organisasi")
    response = client.get(RESULTS)
    assert response.status_code == 200 and "Belum ada periode penilaian" in response.text


def test_year_selector_and_unknown_year(client, staff):
    past = make_period(year=staff.period.year - 1)
    verified_unit("Lama", staff.reviewer, past)
    past.is_open = False
    db.session.commit()
    page = client.get(f"{RESULTS}?tahun={past.year}").text
    assert f"Hasil PEKPPP Tahun {past.year}" in page and ranking_names(page) == ["Lama"]
    assert f'<option value="{staff.period.year}"' in page
    current = client.get(RESULTS).text  # the default is the current (open) period, where Lama has not started
    assert f"Hasil PEKPPP Tahun {staff.period.year}" in current and "Belum ada unit yang terverifikasi" in current
    for wanted in ("1999", "abc"):
        response = client.get(f"{RESULTS}?tahun={wanted}")
        assert response.status_code == 404 and "tidak ditemukan" in response.text


def test_page_charts_are_inline_well_formed_svg_and_names_are_escaped(client, staff):
    verified_unit("<Dinas & Co>", staff.reviewer, staff.period)
    db.session.commit()
    page = client.get(RESULTS).text
    assert "&lt;Dinas &amp; Co&gt;" in page and "<Dinas & Co>" not in page
    charts = re.findall(r'<svg xmlns="[^"]+" class="chart".*?</svg>', page, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        assert ET.fromstring(chart).get("role") == "img"
    assert "Sebaran predikat" in charts[0] and "Kebijakan Pelayanan" in charts[1]


def test_unit_names_link_to_their_history(client, staff):
    unit = verified_unit("Tautan", staff.reviewer, staff.period)
    db.session.commit()
    assert f'href="/organisasi/hasil/unit/{unit.id}"' in client.get(RESULTS).text


def test_history_uses_verified_or_self_assessed_levels_and_shows_changes(client, auth, world):
    past = make_period(year=world.period.year - 1)
    # Last year: 4 everywhere, 29.f.B verified 0 -> IPP 3.76, aspect a 4, aspect f 2.
    past_assessment = assessment_for(world.unit, past)
    fill(past_assessment, world.opd, level_of=lambda indicator: 4)
    mark_verified(past_assessment, world.reviewer, {"29.f.B": 0})
    # This year, not verified: 3 everywhere -> IPP 3.00; change 3.00 - 3.76 = -0.76; a: 3 - 4 = -1; f: 3 - 2 = +1.
    fill(world.assessment, world.opd, level_of=lambda indicator: 3)
    db.session.commit()

    rows = history_rows(world.unit)
    assert [(r.period.year, r.verified) for r in rows] == [(world.period.year, False), (past.year, True)]
    assert rows[0].ipp_change() == Decimal("-0.76")
    assert rows[0].aspect_change("a") == Decimal(-1) and rows[0].aspect_change("f") == Decimal(1)
    assert rows[1].ipp_change() is None

    auth.login("dpmptsp")
    page = client.get(f"/organisasi/hasil/unit/{world.unit.id}").text
    assert "mandiri (belum diverifikasi)" in page and "Terverifikasi" in page
    assert re.findall(r'<th scope="row" class="text-nowrap">(\d{4})', page) == [str(world.period.year), str(past.year)]
    assert all(text in page for text in ("3,00", "3,76", "\u22120,76", "\u22121,00", "+1,00"))


def test_history_of_a_unit_without_answers(client, staff):
    response = client.get(f"/organisasi/hasil/unit/{staff.other_unit.id}")
    assert response.status_code == 200 and "Belum ada jawaban" in response.text


@pytest.mark.parametrize(("username", "expected"), [("dpmptsp", 403), ("organisasi", 200), ("admin", 200)])
@pytest.mark.parametrize("path", [RESULTS, "/organisasi/hasil/{year}/excel"])
def test_results_and_export_are_for_staff_only(client, auth, world, username, expected, path):
    auth.login(username)
    assert client.get(path.format(year=world.period.year)).status_code == expected


@pytest.mark.parametrize("path", [RESULTS, "/organisasi/hasil/2026/excel", "/organisasi/hasil/unit/1"])
def test_anonymous_users_are_sent_to_login(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize(("username", "unit_attr", "expected"), [
    ("dpmptsp", "unit", 200),
    ("dpmptsp", "other_unit", 404),
    ("organisasi", "other_unit", 200),
    ("admin", "unit", 200),
])
def test_history_access(client, auth, world, username, unit_attr, expected):
    auth.login(username)
    assert client.get(f"/organisasi/hasil/unit/{getattr(world, unit_attr).id}").status_code == expected


def test_history_of_unknown_unit_is_404(client, staff):
    assert client.get("/organisasi/hasil/unit/9999").status_code == 404


def count_statements(client, path):
    """SQL statements one request runs, with an empty session so nothing is served from memory.

    The test client reuses the test's app context, so the session and Flask-Login's cached user are reset here.
    """
    db.session.remove()
    g.pop("_login_user", None)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def add_units(count, start, period, user):
    """A mix of verified, submitted, draft and never-started units."""
    for number in range(start, start + count):
        unit = make_unit(f"Unit {number:02d}")
        if number % 4 == 3:
            continue
        assessment = assessment_for(unit, period)
        fill(assessment, user, level_of=lambda indicator, n=number: n % 6)
        if number % 4 == 0:
            mark_verified(assessment, user, {"1.a.Ak": 5})
        elif number % 4 == 1:
            assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()


@pytest.mark.parametrize("path", [RESULTS, "/organisasi/hasil/{year}/excel", "/organisasi/hasil/unit/{unit_id}",
                                  "/organisasi/", "/organisasi/?urut=ipp_verifikasi&arah=turun&status=verified"])
def test_query_count_does_not_grow_with_units(client, auth, world, path):
    auth.login("organisasi")
    path = path.format(year=world.period.year, unit_id=world.unit.id)
    period_id, reviewer_id = world.period.id, world.reviewer.id
    add_units(3, 0, world.period, world.reviewer)
    add_units(3, 100, make_period(year=world.period.year - 1), world.reviewer)
    client.get(path)  # warm up (login, caches)
    with_3_units = count_statements(client, path)
    # count_statements emptied the session: fetch the period and the reviewer again.
    add_units(9, 3, db.session.get(Period, period_id), db.session.get(User, reviewer_id))
    with_12_units = count_statements(client, path)
    assert with_3_units == with_12_units
