"""Saving per indicator (issue 10): two people on one page, idempotent retries, line breaks, the audit of every
justification, an assessment created only with its first saved answer, and every autosave failure in JSON."""
import re

import pytest
import sqlalchemy as sa

from assessment.domain.models import Answer, Assessment, AssessmentStatus, AuditEvent
from assessment.extensions import db
from assessment.web.form_fields import digest
from tests import factories
from tests.clients import Browser
from tests.factories import INSTRUMENT, answer_fields, fill, page_as_rendered, review_fields, version_of

AUTOSAVE = {"X-Autosave": "1", "Accept": "application/json"}


def page_url(assessment, key="a"):
    return f"/penilaian/{assessment.id}/aspek/{key}"


def stored(assessment, code):
    db.session.expire_all()
    answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id,
                                                       Answer.indicator_code == code))
    return (answer.level, answer.justification, answer.version) if answer else None


def autosave(client, assessment, *fields, key="a"):
    data = {"action": "autosave"}
    for part in fields:
        data |= part
    return client.post(page_url(assessment, key), data=data, headers=AUTOSAVE)


@pytest.fixture
def two_people(make_app):
    """Two logged-in OPD users of one unit, each with a browser of their own (CSRF off)."""
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        world = factories.make_world()
        colleague = factories.make_user("operator", factories.Role.OPD, world.unit)
        db.session.commit()
        yield world, colleague, Browser(app).log_in("dpmptsp"), Browser(app).log_in("operator")


def test_two_people_on_different_indicators_never_refuse_or_blank_each_other(two_people):
    world, _, head, operator = two_people
    head_page = page_as_rendered(head, page_url(world.assessment))  # both open the page before either saves
    operator_page = page_as_rendered(operator, page_url(world.assessment))
    assert autosave(head, world.assessment, answer_fields("1.a.Ak", 4, "SK ditetapkan.")).status_code == 200
    reply = autosave(operator, world.assessment, answer_fields("2.a.P", 3, "Forum konsultasi."))
    assert reply.status_code == 200 and reply.get_json()["entries"]["2_a_P"]["status"] == "saved"
    # then both press "Simpan" twice with the page they loaded: untouched indicators are left alone
    for _ in range(2):
        assert head.post(page_url(world.assessment), data=head_page | answer_fields("1.a.Ak", 4, "SK ditetapkan.", 0)
                         ).status_code == 302
        assert operator.post(page_url(world.assessment), data=operator_page | answer_fields("2.a.P", 3, "Forum konsultasi.")
                             ).status_code == 302
    assert stored(world.assessment, "1.a.Ak") == (4, "SK ditetapkan.", 1)
    assert stored(world.assessment, "2.a.P") == (3, "Forum konsultasi.", 1)


def test_a_conflict_on_one_indicator_saves_the_others_and_returns_the_other_text(two_people):
    world, colleague, head, operator = two_people
    autosave(head, world.assessment, answer_fields("1.a.Ak", 4, "Versi kepala."))
    reply = autosave(operator, world.assessment, answer_fields("1.a.Ak", 2, "Versi operator."),
                     answer_fields("2.a.P", 1, "Tidak bertabrakan."))
    assert reply.status_code == 409
    entries = reply.get_json()["entries"]
    assert entries["2_a_P"]["status"] == "saved"
    conflict = entries["1_a_Ak"]
    assert conflict["status"] == "conflict" and conflict["version"] == 1
    assert conflict["theirs"]["values"] == {"level": "4", "justification": "Versi kepala."}
    assert conflict["theirs"]["by"] == world.opd.full_name and conflict["theirs"]["at"].endswith("WIB")
    assert stored(world.assessment, "1.a.Ak") == (4, "Versi kepala.", 1)
    assert stored(world.assessment, "2.a.P") == (1, "Tidak bertabrakan.", 1)
    # keeping their own text is a deliberate save on the version now seen
    kept = autosave(operator, world.assessment, answer_fields("1.a.Ak", 2, "Versi operator.", version=1))
    assert kept.status_code == 200 and stored(world.assessment, "1.a.Ak") == (2, "Versi operator.", 2)
    assert db.session.get(Answer, 1).updated_by_id == colleague.id


def test_the_page_shows_both_texts_side_by_side_without_javascript(two_people):
    world, _, head, operator = two_people
    page = page_as_rendered(operator, page_url(world.assessment))
    autosave(head, world.assessment, answer_fields("1.a.Ak", 4, "Teks yang tersimpan."))
    response = operator.post(page_url(world.assessment), data=page | answer_fields("1.a.Ak", 2, "Teks saya."))
    assert response.status_code == 409
    panel = response.text.split('class="conflict-panel"')[1].split("</textarea>")[0]
    assert "Isian Anda" in panel and "Teks saya." in panel and "Tersimpan" in panel and "Teks yang tersimpan." in panel
    assert 'name="1_a_Ak-version" value="1"' in response.text  # saving again keeps "Teks saya." on purpose


def test_a_retried_save_is_recognised_as_the_users_own(client, auth, world):
    auth.login("dpmptsp")
    first = answer_fields("1.a.Ak", 3, "Disimpan, balasannya hilang.") | {"1_a_Ak-key": "a" * 32}
    assert autosave(client, world.assessment, first).status_code == 200
    again = autosave(client, world.assessment, first)  # the reply was lost: the same save once more
    assert again.status_code == 200 and again.get_json()["entries"]["1_a_Ak"]["status"] == "unchanged"
    more = answer_fields("1.a.Ak", 3, "Disimpan, balasannya hilang. Lalu diketik lagi.") | {"1_a_Ak-key": "a" * 32}
    grown = autosave(client, world.assessment, more)  # a retry that carries what was typed since
    assert grown.status_code == 200 and grown.get_json()["entries"]["1_a_Ak"] == {
        "status": "saved", "version": 2, "shown": digest((3, "Disimpan, balasannya hilang. Lalu diketik lagi."))}
    other_tab = answer_fields("1.a.Ak", 1, "Tab lain.") | {"1_a_Ak-key": "b" * 32}
    assert autosave(client, world.assessment, other_tab).status_code == 409  # another key on version 0: not its own


def test_simpan_and_next_after_an_autosave_whose_reply_did_not_arrive(client, auth, world):
    """The page's script gives the full post the key of the save still in flight, so it is the user's own."""
    auth.login("dpmptsp")
    in_flight = answer_fields("1.a.Ak", 5, "Sedang dikirim.") | {"1_a_Ak-key": "c" * 32}
    autosave(client, world.assessment, in_flight)
    response = client.post(page_url(world.assessment), data={"action": "next", **in_flight})
    assert response.status_code == 302 and response.headers["Location"].endswith("/aspek/b")
    assert stored(world.assessment, "1.a.Ak") == (5, "Sedang dikirim.", 1)


@pytest.mark.parametrize(("text", "accepted"), [
    ("\r\n".join(["x" * 99] * 20), True),  # 1,980 letters + 19 line breaks = 1,999 characters
    ("\r\n".join(["x" * 99] * 20) + "y", True),  # 2,000
    ("\r\n".join(["x" * 99] * 20) + "yz", False),  # 2,001
])
def test_a_line_break_counts_once_and_is_stored_as_lf(client, auth, world, text, accepted):
    auth.login("dpmptsp")
    reply = autosave(client, world.assessment, answer_fields("1.a.Ak", 2, text))
    assert reply.status_code == (200 if accepted else 422)
    if accepted:
        assert stored(world.assessment, "1.a.Ak")[1] == text.replace("\r\n", "\n")
    else:
        assert "paling banyak 2000 karakter (sekarang 2001)" in reply.get_json()["entries"]["1_a_Ak"]["message"]
        assert stored(world.assessment, "1.a.Ak") is None


def test_every_change_of_a_justification_is_audited_with_old_and_new_text(client, auth, world):
    auth.login("dpmptsp")
    autosave(client, world.assessment, answer_fields("1.a.Ak", 2, "Pertama."))
    autosave(client, world.assessment, answer_fields("1.a.Ak", 2, "Kedua.", version=1))
    autosave(client, world.assessment, answer_fields("1.a.Ak", 2, "", version=2))  # emptied: audited too
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "answer.justification")
                                .order_by(AuditEvent.id)).all()
    assert [(e.old_value, e.new_value, e.user_id) for e in events] == [
        ("", "Pertama.", world.opd.id), ("Pertama.", "Kedua.", world.opd.id), ("Kedua.", "", world.opd.id)]
    auth.logout()
    auth.login("organisasi")
    history = client.get(f"/organisasi/penilaian/{world.assessment.id}/riwayat").text
    assert "Penjelasan mandiri" in history and "Pertama." in history and "Kedua." in history


def test_review_notes_save_per_indicator_and_are_audited(client, auth, world):
    fill(world.assessment, world.opd)
    world.assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    auth.login("organisasi")
    url = f"/organisasi/penilaian/{world.assessment.id}/verifikasi"
    reply = client.post(url, data=review_fields("14.b.K", "2", "Pin tidak terlihat."), headers=AUTOSAVE)
    assert reply.status_code == 200 and reply.get_json()["entries"]["14_b_K"]["status"] == "saved"
    body = reply.get_json()
    assert body["texts"]["reviewed"] == "1" and '<div class="score-value">3,85</div>' in body["cards"]["verified"]
    missing_note = client.post(url, data=review_fields("1.a.Ak", "1", ""), headers=AUTOSAVE)
    assert missing_note.status_code == 422 and "Catatan wajib" in missing_note.get_json()["entries"]["1_a_Ak"]["message"]
    note = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.note")).one()
    assert (note.old_value, note.new_value, note.indicator_code) == ("", "Pin tidak terlihat.", "14.b.K")


def test_opening_the_pages_creates_no_assessment_and_the_first_answer_does(make_app):
    app = make_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        period, unit = factories.make_period(), factories.make_unit("Baru")
        factories.make_user("baru", factories.Role.OPD, unit)
        db.session.commit()
        client = Browser(app).log_in("baru")
        count = lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Assessment))  # noqa: E731
        dashboard = client.get("/penilaian").text
        assert "Belum dimulai" in dashboard and 'href="/penilaian/baru/aspek/a"' in dashboard
        for path in ("/penilaian/baru/aspek/a", "/penilaian/baru/aspek/f", "/penilaian/baru/ringkasan"):
            assert client.get(path).status_code == 200
        nothing = client.post("/penilaian/baru/aspek/a", data={"action": "next", **answer_fields("1.a.Ak")})
        assert nothing.headers["Location"].endswith("/penilaian/baru/aspek/b") and count() == 0
        reply = client.post("/penilaian/baru/aspek/a", data={"action": "autosave", **answer_fields("1.a.Ak", 3, "Awal.")},
                            headers=AUTOSAVE)
        assessment = db.session.scalars(sa.select(Assessment)).one()
        assert reply.status_code == 200 and reply.get_json()["page_url"] == f"/penilaian/{assessment.id}/aspek/a"
        assert (assessment.unit_id, assessment.period_id, assessment.status) == (unit.id, period.id, AssessmentStatus.DRAFT)
        assert client.get("/penilaian/baru/aspek/b").headers["Location"] == f"/penilaian/{assessment.id}/aspek/b"
        assert "Belum dimulai" not in client.get("/penilaian").text


# --- every autosave failure is JSON with its own status ------------------------------------------------------------

@pytest.fixture
def csrf_world(make_app):
    """CSRF on, as in production; a logged-in OPD client with the page's token."""
    app = make_app({"SECRET_KEY": "first-key"})
    with app.app_context():
        world = factories.make_world()
        client = Browser(app)
        client.log_in("dpmptsp", csrf_token=csrf_token_of(client.get("/masuk").text))
        yield app, world, client, csrf_token_of(client.get(page_url(world.assessment)).text)


def csrf_token_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_an_ended_session_is_401_in_json_and_a_login_resumes_with_a_fresh_token(csrf_world):
    _, world, client, token = csrf_world
    data = {"action": "autosave", "csrf_token": token, **answer_fields("1.a.Ak", 4, "Diketik setelah sesi berakhir.")}
    client.delete_cookie("session")  # logged out in another tab, cookies cleared, idle timeout
    ended = client.post(page_url(world.assessment), data=data, headers=AUTOSAVE)
    assert ended.status_code == 401 and ended.is_json
    assert ended.get_json() == {"status": "session_ended",
                                "message": "Sesi berakhir: masuk lagi — isian Anda aman di peramban ini."}
    assert client.get("/sesi/token", headers={"Accept": "application/json"}).status_code == 401
    client.log_in("dpmptsp", csrf_token=csrf_token_of(client.get("/masuk").text))
    fresh = client.get("/sesi/token", headers={"Accept": "application/json"}).get_json()
    assert fresh["user_id"] == world.opd.id
    resumed = client.post(page_url(world.assessment), data=data | {"csrf_token": fresh["csrf_token"]}, headers=AUTOSAVE)
    assert resumed.status_code == 200 and stored(world.assessment, "1.a.Ak") == (4, "Diketik setelah sesi berakhir.", 1)


def test_a_changed_secret_key_ends_the_session_the_same_way(csrf_world):
    app, world, client, token = csrf_world
    app.secret_key = "the-key-after-a-restart"  # the cookie's signature no longer matches
    data = {"action": "autosave", "csrf_token": token, **answer_fields("1.a.Ak", 4, "x")}
    response = client.post(page_url(world.assessment), data=data, headers=AUTOSAVE)
    assert response.status_code == 401 and response.get_json()["status"] == "session_ended"
    assert stored(world.assessment, "1.a.Ak") is None


def test_a_stale_csrf_token_of_a_live_session_is_400_in_json(csrf_world):
    _, world, client, _ = csrf_world
    data = {"action": "autosave", "csrf_token": "tidak-sah", **answer_fields("1.a.Ak", 4, "x")}
    response = client.post(page_url(world.assessment), data=data, headers=AUTOSAVE)
    assert response.status_code == 400 and response.get_json()["status"] == "csrf"


def test_the_save_button_with_an_ended_session_leads_to_the_login_and_back(csrf_world):
    _, world, client, token = csrf_world
    client.delete_cookie("session")
    response = client.post(page_url(world.assessment), data={"action": "save", "csrf_token": token,
                                                             **answer_fields("1.a.Ak", 4, "x")})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/masuk?next=%2Fpenilaian%2F{world.assessment.id}%2Faspek%2Fa"
    assert "Sesi berakhir: masuk lagi" in client.get(response.headers["Location"]).text


def test_403_404_405_and_413_reach_the_script_as_json(client, auth, world, app):
    auth.login("organisasi")
    data = {"action": "autosave", **answer_fields("1.a.Ak", 4, "x")}
    forbidden = client.post(page_url(world.assessment), data=data, headers=AUTOSAVE)
    assert forbidden.status_code == 403 and forbidden.get_json()["status"] == "error"
    auth.logout()
    auth.login("dpmptsp")
    assert client.post(page_url(world.other_assessment), data=data, headers=AUTOSAVE).get_json()["status"] == "error"
    assert client.put(page_url(world.assessment), headers=AUTOSAVE).status_code == 405
    app.config["MAX_CONTENT_LENGTH"] = 1000
    too_big = client.post(page_url(world.assessment), data={**data, "1_a_Ak-justification": "x" * 5000}, headers=AUTOSAVE)
    assert too_big.status_code == 413 and too_big.get_json()["message"] == "Ukuran data yang dikirim melebihi batas."


def test_the_submitted_form_refuses_an_autosave_in_json_and_keeps_the_answer(client, auth, world):
    fill(world.assessment, world.opd)
    world.assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    auth.login("dpmptsp")
    version = version_of(world.assessment.answers, "1.a.Ak")
    response = autosave(client, world.assessment, answer_fields("1.a.Ak", 0, "Terlambat", version))
    assert response.status_code == 422 and response.get_json()["retry"] is False
    assert stored(world.assessment, "1.a.Ak")[0] == 4
    assert len([i for i in INSTRUMENT.indicators]) == 30
