"""Periods: creation rules, open/close, the deadline and per-unit extensions."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
import yaml

from assessment.domain.formatting import tanggal, today_wib
from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH
from assessment.domain.instrument_store import import_instrument
from assessment.domain.models import AssessmentStatus, AuditEvent, Period
from assessment.extensions import db
from tests.factories import INSTRUMENT, answer_fields, fill


def period_form(**overrides):
    today = today_wib()
    data = {"year": "2031", "title": "Penilaian Mandiri PEKPPP Tahun 2031", "instrument_id": "1",
            "opens_on": today.isoformat(), "deadline": (today + timedelta(days=30)).isoformat()}
    return data | overrides


def answer_a(client, assessment):
    return client.post(f"/penilaian/{assessment.id}/aspek/a",
                       data={"action": "save", **answer_fields("1.a.Ak", 3, "x")}, follow_redirects=True)


@pytest.fixture
def admin(client, auth, world):
    auth.login("admin")
    return world


@pytest.mark.parametrize("username", ["dpmptsp", "organisasi"])
def test_only_admin_manages_periods(client, auth, world, username):
    auth.login(username)
    assert client.get("/admin/periode/").status_code == 403
    assert client.post("/admin/periode/baru", data=period_form()).status_code == 403


def test_admin_creates_a_period(client, admin):
    response = client.post("/admin/periode/baru", data=period_form(), follow_redirects=True)
    assert "Periode 2031 tersimpan." in response.text
    assert db.session.scalar(sa.select(Period).where(Period.year == 2031)).title.endswith("2031")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"year": str(today_wib().year)}, "satu tahun hanya boleh satu periode"),
        ({"deadline": "2000-01-01"}, "tidak boleh sebelum tanggal pembukaan"),
        ({"opens_on": "bukan-tanggal"}, "Isi tanggal yang sah."),
        ({"instrument_id": "999"}, "Pilih instrumen yang tersedia."),
        ({"year": "abc"}, "Isi tahun."),
    ],
)
def test_bad_period_is_refused_and_nothing_changes(client, admin, overrides, message):
    response = client.post("/admin/periode/baru", data=period_form(**overrides))
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Period)) == 1


def test_closing_the_period_stops_editing(client, auth, admin):
    client.post(f"/admin/periode/{admin.period.id}/status", data={})
    db.session.expire_all()
    assert not admin.period.is_open
    auth.logout()
    auth.login("dpmptsp")
    assert "sudah ditutup" in answer_a(client, admin.assessment).text
    assert admin.assessment.answers == {}


def test_extension_reopens_editing_for_that_unit_only(client, auth, admin):
    admin.period.deadline = today_wib() - timedelta(days=2)
    db.session.commit()
    refused = client.post(f"/admin/periode/{admin.period.id}/perpanjangan",
                          data={"unit_id": str(admin.unit.id), "new_deadline": admin.period.deadline.isoformat(),
                                "reason": "Server down"}, follow_redirects=True)
    assert "harus setelah batas periode" in refused.text
    new_date = today_wib() + timedelta(days=3)
    client.post(f"/admin/periode/{admin.period.id}/perpanjangan",
                data={"unit_id": str(admin.unit.id), "new_deadline": new_date.isoformat(), "reason": "Gangguan jaringan"})
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "period.extension"))
    assert event.user == admin.admin and "Gangguan jaringan" in event.note

    auth.logout()
    auth.login("dpmptsp")
    saved = answer_a(client, admin.assessment).text
    assert "Draf tersimpan." in saved
    assert f"Batas pengisian {tanggal(new_date)} · 3 hari lagi" in saved  # its own deadline, not the period's
    auth.logout()
    auth.login("disdukcapil")
    refused = answer_a(client, admin.other_assessment).text
    assert "Batas waktu pengisian" in refused and "lewat 2 hari" in refused


def test_returned_form_stays_editable_after_the_deadline(client, auth, admin):
    admin.period.deadline = today_wib() - timedelta(days=1)
    admin.assessment.status = AssessmentStatus.RETURNED
    db.session.commit()
    auth.logout()
    auth.login("dpmptsp")
    assert "Draf tersimpan." in answer_a(client, admin.assessment).text


def test_period_pages_render(client, admin):
    assert "Penilaian Mandiri PEKPPP" in client.get("/admin/periode/").text
    page = client.get(f"/admin/periode/{admin.period.id}").text
    assert "Perpanjangan batas waktu" in page and "DPMPTSP" in page
    assert client.get("/admin/periode/999").status_code == 404


def smaller_instrument() -> str:
    """The bundled instrument under another code with one indicator fewer (its weight moved to a neighbour)."""
    data = yaml.safe_load(DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    data["code"], data["name"] = "pekppp-uji", "Instrumen uji"
    indicators = data["aspects"][0]["indicators"]
    dropped = indicators.pop()
    indicators[0]["weight"] += dropped["weight"]
    return yaml.safe_dump(data, allow_unicode=True)


def test_the_instrument_changes_while_no_unit_has_answered_and_empty_drafts_follow_it(client, admin):
    other, _ = import_instrument(smaller_instrument())
    db.session.commit()
    total = len(INSTRUMENT.indicators)
    assert admin.assessment.stored_self_score().total == total  # an empty draft: the form was only opened
    changed = client.post(f"/admin/periode/{admin.period.id}", data=period_form(
        year=str(admin.period.year), title=admin.period.title, instrument_id=str(other.id)), follow_redirects=True)
    assert "tersimpan" in changed.text
    db.session.expire_all()
    assert admin.period.instrument_id == other.id
    assert admin.assessment.stored_self_score().total == total - 1


def test_the_instrument_stays_once_a_unit_has_answered(client, admin):
    other, _ = import_instrument(smaller_instrument())
    fill(admin.assessment, admin.opd, codes={"1.a.Ak"})
    db.session.commit()
    refused = client.post(f"/admin/periode/{admin.period.id}", data=period_form(
        year=str(admin.period.year), title=admin.period.title, instrument_id=str(other.id)), follow_redirects=True)
    assert "Instrumen tidak dapat diganti" in refused.text
    db.session.expire_all()
    assert admin.period.instrument_id != other.id
