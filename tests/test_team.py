"""The evaluator team: its decree and members, assignments per unit and per aspect, the queue's "Tugas saya",
what a member may change, reassigning, and each member's progress."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from assessment.domain import team
from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AuditEvent, EvaluationTeam, Role, TeamMember, TeamRole
from assessment.extensions import db
from tests.clients import Browser
from tests.factories import INSTRUMENT, add_member, assign, fill, make_unit, make_user, review_fields

ASPECT_B = [indicator.code for indicator in INSTRUMENT.aspect("b").indicators]
OUTSIDE_B = [indicator.code for indicator in INSTRUMENT.indicators if indicator.code not in ASPECT_B]


@pytest.fixture
def crew(app, world):
    """Both units submitted; a ketua, Andi holding the first unit but aspect B, Budi holding its aspect B, Citra
    holding the other unit; the world's reviewer stays outside the team."""
    for assessment, opd in ((world.assessment, world.opd), (world.other_assessment, world.other_opd)):
        fill(assessment, opd)
        submit_assessment(assessment, opd, today_wib())
    people = {name: make_user(name, Role.REVIEWER) for name in ("ketua", "andi", "budi", "citra")}
    add_member(world.period, people["ketua"], "ketua", "Kepala Bagian Organisasi")
    for name in ("andi", "budi", "citra"):
        add_member(world.period, people[name])
    assign(world.period, world.unit, people["andi"], by=people["ketua"])
    assign(world.period, world.unit, people["budi"], "b", by=people["ketua"])
    assign(world.period, world.other_unit, people["citra"], by=people["ketua"])
    db.session.commit()
    return people


def browser(app, username: str) -> Browser:
    return Browser(app).log_in(username)


def post_decisions(client, assessment, codes, choice="agree", note=""):
    data = {}
    for code in codes:
        data |= review_fields(code, choice, note)
    return client.post(f"/organisasi/penilaian/{assessment.id}/verifikasi", data=data)


def decided(assessment) -> set[str]:
    db.session.expire_all()
    return {code for code, review in assessment.reviews.items() if review.decision is not None}


def test_a_team_without_assignments_changes_nothing(app, world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    add_member(world.period, make_user("ketua", Role.REVIEWER), "ketua")
    db.session.commit()
    assert not team.in_force(team.team_of(world.period.id))
    reviewer = browser(app, world.reviewer.username)  # outside the team, and yet it decides as before teams
    assert post_decisions(reviewer, world.assessment, ["1.a.Ak"]).status_code == 302
    assert decided(world.assessment) == {"1.a.Ak"}
    assert "Tugas saya" not in reviewer.get("/organisasi/").text


def test_the_holder_of_a_unit_decides_all_but_the_aspect_given_to_another(app, world, crew):
    andi = browser(app, "andi")
    assert post_decisions(andi, world.assessment, OUTSIDE_B).status_code == 302
    assert decided(world.assessment) == set(OUTSIDE_B)
    refused = post_decisions(andi, world.assessment, ASPECT_B[:1])
    assert refused.status_code == 422
    assert "ditugaskan kepada anggota tim lain" in refused.text
    assert decided(world.assessment) == set(OUTSIDE_B)


def test_the_holder_of_an_aspect_decides_that_aspect_only(app, world, crew):
    budi = browser(app, "budi")
    mixed = post_decisions(budi, world.assessment, [ASPECT_B[0], OUTSIDE_B[0]])
    assert mixed.status_code == 422  # nothing of a save that reaches beyond the member's part is stored
    assert decided(world.assessment) == set()
    assert post_decisions(budi, world.assessment, ASPECT_B, "2", "Bukti belum memadai.").status_code == 302
    assert decided(world.assessment) == set(ASPECT_B)
    assert {world.assessment.reviews[code].verified_level for code in ASPECT_B} == {2}


def test_an_autosave_beyond_the_members_part_is_answered_per_indicator(app, world, crew):
    budi = browser(app, "budi")
    reply = budi.post(f"/organisasi/penilaian/{world.assessment.id}/verifikasi", headers={"X-Autosave": "1"},
                      data=review_fields(OUTSIDE_B[0], "agree"))
    assert reply.status_code == 422
    assert reply.json["entries"][OUTSIDE_B[0].replace(".", "_")]["status"] == "invalid"


def test_agree_with_the_rest_marks_only_the_members_part(app, world, crew):
    budi = browser(app, "budi")
    budi.post(f"/organisasi/penilaian/{world.assessment.id}/setujui-sisa")
    assert decided(world.assessment) == set(ASPECT_B)


def test_only_who_holds_the_whole_unit_or_the_ketua_verifies(app, world, crew):
    url = f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir"
    post_decisions(browser(app, "andi"), world.assessment, OUTSIDE_B)
    post_decisions(browser(app, "budi"), world.assessment, ASPECT_B)
    assert browser(app, "budi").post(url, data={"confirm": "y"}).status_code == 403
    assert browser(app, "citra").post(url, data={"confirm": "y"}).status_code == 403
    browser(app, "ketua").post(url, data={"confirm": "y"})
    db.session.expire_all()
    assert world.assessment.status.value == "verified"


def test_the_review_page_locks_what_is_someone_elses_and_names_each_aspects_examiner(app, world, crew):
    page = browser(app, "budi").get(f"/organisasi/penilaian/{world.assessment.id}/verifikasi").text
    assert "Pemeriksa: <strong>Pegawai budi</strong> (Anda)" in page
    assert "Pemeriksa: <strong>Pegawai andi</strong>" in page
    # Only Budi's indicators take part in a save: theirs alone carry a version field and an open fieldset.
    versions = set(re.findall(r'name="([0-9A-Za-z_]+)-version"', page))
    assert versions == {code.replace(".", "_") for code in ASPECT_B}
    assert page.count("<fieldset disabled>") == len(OUTSIDE_B)
    outsider = browser(app, world.reviewer.username).get(f"/organisasi/penilaian/{world.assessment.id}/verifikasi")
    assert "ditugaskan kepada anggota tim lain" in outsider.text
    assert "Simpan catatan verifikasi" not in outsider.text and "data-autosave" not in outsider.text
    assert "Simpan catatan verifikasi" in page


def test_the_queue_opens_on_my_tasks_with_counts_per_state(app, world, crew):
    citra = browser(app, "citra")
    mine = citra.get("/organisasi/").text
    assert "Tugas saya" in mine
    assert world.other_unit.short_name in mine and f">{world.unit.short_name}<" not in mine
    assert re.search(r"Dikirim <span>1</span>", mine)
    every = citra.get("/organisasi/?tugas=semua").text
    assert world.unit.short_name in every and re.search(r"Dikirim <span>2</span>", every)
    # The "semua" tab stays chosen across the status filter.
    assert "tugas=semua&amp;status=submitted" in every or "status=submitted&amp;tugas=semua" in every
    assert "Tugas saya" not in browser(app, world.reviewer.username).get("/organisasi/").text


def test_the_ketua_reassigns_and_it_is_audited(app, world, crew):
    ketua = browser(app, "ketua")
    citra_id = team.member_of(team.team_of(world.period.id), crew["citra"]).id
    response = ketua.post(f"/evaluasi/{world.period.year}/penugasan/{world.unit.id}",
                          data={f"u{world.unit.id}-part_unit": str(citra_id), f"u{world.unit.id}-part_b": ""})
    assert response.status_code == 302
    held = team.assignments_by_unit(team.team_of(world.period.id), [world.unit.id])[world.unit.id]
    assert held == {"": citra_id}
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "assignment.change")).all()
    assert [(e.old_value, e.new_value) for e in events[-2:]] == [("Pegawai andi", "Pegawai citra"),
                                                                  ("Pegawai budi", None)]
    assert post_decisions(browser(app, "citra"), world.assessment, ASPECT_B).status_code == 302


def test_the_assignments_page_shows_one_page_of_units_with_their_holders(app, world, crew):
    for n in range(100):
        make_unit(f"Z{n:03d}")  # after Disdukcapil and DPMPTSP: Z098 and Z099 make the second page
    db.session.commit()
    ketua = browser(app, "ketua")
    members = {member.user.username: member.id for member in team.team_of(world.period.id).members}
    first = ketua.get(f"/evaluasi/penugasan?tahun={world.period.year}").text
    row = first[first.index(f'id="unit-{world.unit.id}"'):]
    row = row[:row.index("</tr>")]
    assert f'<option value="{members["andi"]}" selected>' in row  # the whole unit
    assert f'<option value="{members["budi"]}" selected>' in row  # aspect B
    assert "Z097" in first and "Z098" not in first
    second = ketua.get(f"/evaluasi/penugasan?tahun={world.period.year}&halaman=2").text
    assert "Z098" in second and "Z099" in second and "Z097" not in second


def test_a_forged_member_is_refused_and_nothing_changes(app, world, crew):
    before = team.assignments_by_unit(team.team_of(world.period.id), [world.unit.id])
    ketua = browser(app, "ketua")
    response = ketua.post(f"/evaluasi/{world.period.year}/penugasan/{world.unit.id}",
                          data={f"u{world.unit.id}-part_unit": "9999"}, follow_redirects=True)
    assert "Pilih anggota dari tim ini." in response.text
    assert team.assignments_by_unit(team.team_of(world.period.id), [world.unit.id]) == before


def test_members_decree_and_their_checks(app, world):
    admin = browser(app, world.admin.username)
    year = world.period.year
    admin.post(f"/evaluasi/{year}/sk", data={"sk_number": "800/45/Kep.Wali/2026", "sk_date": "2026-08-03"})
    admin.post(f"/evaluasi/{year}/anggota", data={"user_id": world.reviewer.id, "role": "ketua",
                                                  "jabatan": "Kepala Bagian Organisasi", "nip": ""})
    other = make_user("inspektorat", Role.REVIEWER)
    db.session.commit()
    second_ketua = admin.post(f"/evaluasi/{year}/anggota", follow_redirects=True, data={
        "user_id": other.id, "role": "ketua", "jabatan": "Auditor, Inspektorat"})
    assert "Tim sudah memiliki ketua (Pegawai organisasi)" in second_ketua.text
    bad_nip = admin.post(f"/evaluasi/{year}/anggota", follow_redirects=True, data={
        "user_id": other.id, "role": "anggota", "jabatan": "Auditor, Inspektorat", "nip": "12345"})
    assert "NIP terdiri atas 18 angka." in bad_nip.text
    opd = admin.post(f"/evaluasi/{year}/anggota", follow_redirects=True, data={
        "user_id": world.opd.id, "role": "anggota", "jabatan": "Kepala Dinas"})
    assert "Pilih akun evaluator atau administrator." in opd.text
    db.session.expire_all()
    evaluation_team = db.session.scalar(sa.select(EvaluationTeam))
    assert (evaluation_team.sk_number, evaluation_team.sk_date.isoformat()) == ("800/45/Kep.Wali/2026", "2026-08-03")
    assert [(m.user.username, m.role, m.nip) for m in evaluation_team.members] == [
        ("organisasi", TeamRole.KETUA, world.reviewer.nip)]  # an empty NIP is the account's
    page = admin.get(f"/evaluasi/tim?tahun={year}").text
    assert "800/45/Kep.Wali/2026" in page and "Kepala Bagian Organisasi" in page
    bad_date = admin.post(f"/evaluasi/{year}/sk", follow_redirects=True,
                          data={"sk_number": "800/46/Kep.Wali/2026", "sk_date": "31-02-2026"})
    assert bad_date.status_code == 200 and "Isi tanggal yang sah." in bad_date.text  # was a 500
    db.session.expire_all()
    assert db.session.scalar(sa.select(EvaluationTeam)).sk_number == "800/45/Kep.Wali/2026"


def test_removing_a_member_releases_what_they_held(app, world, crew):
    admin = browser(app, world.admin.username)
    admin.post(f"/evaluasi/{world.period.year}/anggota/keluarkan", data={"user_id": crew["budi"].id})
    held = team.assignments_by_unit(team.team_of(world.period.id), [world.unit.id])[world.unit.id]
    assert set(held) == {""}  # aspect B falls back to Andi, who holds the whole unit
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember)) == 3
    assert post_decisions(browser(app, "andi"), world.assessment, ASPECT_B).status_code == 302


def test_progress_per_member(app, world, crew):
    post_decisions(browser(app, "budi"), world.assessment, ASPECT_B[:2])
    rows = {row.member.user.username: row for row in team.progress(team.team_of(world.period.id))}
    assert (rows["budi"].indicators, rows["budi"].decided, dict(rows["budi"].by_status)) == (
        len(ASPECT_B), 2, {"submitted": 1})
    assert (rows["andi"].indicators, rows["andi"].decided) == (len(OUTSIDE_B), 0)
    assert (len(rows["citra"].units), rows["citra"].indicators) == (1, len(INSTRUMENT.indicators))
    assert rows["ketua"].indicators == 0
    page = browser(app, "andi").get(f"/evaluasi/kemajuan?tahun={world.period.year}").text
    assert f"2 dari {len(ASPECT_B)}" in page
