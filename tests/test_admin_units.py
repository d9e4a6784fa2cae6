"""Admin pages for units: access, list filters, create, edit, deactivate and reactivate."""
import pytest
import sqlalchemy as sa

from assessment.domain.models import AuditEvent, DeliveryMode, Unit, UnitKind
from assessment.extensions import db
from tests import factories

ROUTES = [
    ("get", "/admin/unit"),
    ("get", "/admin/unit/baru"),
    ("post", "/admin/unit/baru"),
    ("get", "/admin/unit/{id}"),
    ("post", "/admin/unit/{id}"),
    ("post", "/admin/unit/{id}/nonaktifkan"),
    ("post", "/admin/unit/{id}/aktifkan"),
]
NEW = {"name": "Dinas Perhubungan", "short_name": "Dishub", "kind": "dinas"}


def unit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def audit_notes(action: str = "unit.update") -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.note).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_login(client, world, method, path):
    response = getattr(client, method)(path.format(id=world.unit.id), data=NEW)
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk?next=")
    assert unit_count() == 2 and world.unit.active


@pytest.mark.parametrize("username", ["dpmptsp", "organisasi"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_opd_and_reviewer_are_refused(client, auth, world, username, method, path):
    auth.login(username)
    response = getattr(client, method)(path.format(id=world.unit.id), data=NEW)
    assert response.status_code == 403
    db.session.refresh(world.unit)
    assert unit_count() == 2 and world.unit.active and world.unit.short_name == "DPMPTSP"


@pytest.mark.parametrize("path", ["/admin/unit/999", "/admin/unit/999/nonaktifkan", "/admin/unit/999/aktifkan"])
def test_unknown_unit_is_404(client, auth, world, path):
    auth.login("admin")
    response = client.post(path, data=NEW)
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.text


def test_list_filters_by_status_and_kind(client, auth, world):
    factories.make_unit("Puskesmas Grogol", UnitKind.PUSKESMAS)
    closed = factories.make_unit("Dinas Lama")
    closed.active = False
    db.session.commit()
    auth.login("admin")
    default = client.get("/admin/unit").text
    assert "DPMPTSP" in default and "Puskesmas Grogol" in default and "Dinas Lama" not in default
    inactive = client.get("/admin/unit?status=inactive").text
    assert "Dinas Lama" in inactive and "DPMPTSP" not in inactive
    assert "Dinas Lama" in client.get("/admin/unit?status=all").text
    puskesmas = client.get("/admin/unit?kind=puskesmas").text
    assert "Puskesmas Grogol" in puskesmas and "DPMPTSP" not in puskesmas
    # a value that is not a choice falls back to the defaults instead of failing
    bogus = client.get("/admin/unit?status=semua&kind=pasar")
    assert bogus.status_code == 200 and "DPMPTSP" in bogus.text and "Dinas Lama" not in bogus.text


def test_create_unit(client, auth, world):
    auth.login("admin")
    response = client.post("/admin/unit/baru", data=NEW, follow_redirects=True)
    assert response.request.path == "/admin/unit" and "Unit Dishub ditambahkan." in response.text
    unit = db.session.scalar(sa.select(Unit).where(Unit.short_name == "Dishub"))
    assert (unit.name, unit.kind, unit.active) == ("Dinas Perhubungan", UnitKind.DINAS, True)
    assert audit_notes() == ["Unit dibuat: Dishub"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**NEW, "name": "unit dpmptsp"}, "Sudah ada unit dengan nama ini"),  # "Unit DPMPTSP", other case
        ({**NEW, "short_name": "disdukcapil"}, "Singkatan ini sudah dipakai unit lain"),
        ({**NEW, "name": "   "}, "Isi nama unit."),
        ({**NEW, "short_name": ""}, "Isi singkatan unit."),
        ({**NEW, "name": "x" * 201}, "Nama unit paling banyak 200 karakter."),
        ({**NEW, "kind": "pasar"}, "Pilih salah satu jenis unit."),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(client, auth, world, data, message):
    auth.login("admin")
    response = client.post("/admin/unit/baru", data=data)
    assert response.status_code == 200 and message in response.text and "is-invalid" in response.text
    assert unit_count() == 2 and audit_notes() == []


def test_duplicate_check_includes_inactive_units(client, auth, world):
    world.other_unit.active = False
    db.session.commit()
    auth.login("admin")
    response = client.post("/admin/unit/baru", data={**NEW, "short_name": "Disdukcapil"})
    assert "Singkatan ini sudah dipakai unit lain" in response.text and unit_count() == 2


def test_edit_unit_saves_and_audits(client, auth, world):
    auth.login("admin")
    page = client.get(f"/admin/unit/{world.unit.id}")
    assert 'value="DPMPTSP"' in page.text and "dpmptsp" in page.text  # the form, and the unit's accounts
    data = {"name": "Dinas PMPTSP Kota", "short_name": "DPMPTSP", "kind": "badan"}
    assert client.post(f"/admin/unit/{world.unit.id}", data=data).headers["Location"] == "/admin/unit"
    db.session.refresh(world.unit)
    assert (world.unit.name, world.unit.kind) == ("Dinas PMPTSP Kota", UnitKind.BADAN)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "unit.update"))
    assert event.user_id == world.admin.id and "Unit DPMPTSP" in event.old_value and "Badan" in event.new_value


def test_saving_an_unchanged_unit_is_not_a_duplicate_and_not_audited(client, auth, world):
    auth.login("admin")
    data = {"name": "Unit DPMPTSP", "short_name": "DPMPTSP", "kind": "dinas"}
    assert "Tidak ada perubahan." in client.post(f"/admin/unit/{world.unit.id}", data=data, follow_redirects=True).text
    assert audit_notes() == []


def test_edit_to_another_units_short_name_changes_nothing(client, auth, world):
    auth.login("admin")
    data = {"name": "Unit Baru", "short_name": "DISDUKCAPIL", "kind": "dinas"}
    response = client.post(f"/admin/unit/{world.unit.id}", data=data)
    assert "Singkatan ini sudah dipakai unit lain" in response.text
    db.session.refresh(world.unit)
    assert (world.unit.name, world.unit.short_name) == ("Unit DPMPTSP", "DPMPTSP") and audit_notes() == []


def test_deactivate_and_reactivate_keep_the_unit(client, auth, world):
    auth.login("admin")
    assert client.get(f"/admin/unit/{world.unit.id}/nonaktifkan").status_code == 405
    response = client.post(f"/admin/unit/{world.unit.id}/nonaktifkan", follow_redirects=True)
    assert "Unit DPMPTSP dinonaktifkan. 1 akun unit ini masih aktif" in response.text
    db.session.refresh(world.unit)
    assert not world.unit.active and unit_count() == 2
    assert "Aktifkan kembali" in response.text

    client.post(f"/admin/unit/{world.unit.id}/aktifkan")
    db.session.refresh(world.unit)
    assert world.unit.active
    assert audit_notes() == ["Unit dinonaktifkan: DPMPTSP", "Unit diaktifkan: DPMPTSP"]


def test_an_inactive_unit_is_not_offered_for_new_accounts(client, auth, world):
    world.other_unit.active = False
    db.session.commit()
    auth.login("admin")
    page = client.get("/admin/pengguna/baru").text
    assert f'value="{world.unit.id}"' in page and f'value="{world.other_unit.id}"' not in page


def test_a_unit_is_luring_unless_told_and_its_delivery_can_be_changed(client, auth, world):
    auth.login("admin")
    client.post("/admin/unit/baru", data=NEW)
    dishub = db.session.scalar(sa.select(Unit).where(Unit.short_name == "Dishub"))
    assert dishub.delivery == DeliveryMode.LURING
    form = client.get(f"/admin/unit/{dishub.id}").text
    assert 'name="delivery"' in form and "Luring dan daring" in form
    client.post(f"/admin/unit/{dishub.id}", data={**NEW, "delivery": "daring"})
    db.session.refresh(dishub)
    assert dishub.delivery == DeliveryMode.DARING
    assert audit_notes()[-1] == "Unit diubah: Dishub"
    assert "Daring (elektronik)" in client.get("/admin/unit").text
    refused = client.post(f"/admin/unit/{dishub.id}", data={**NEW, "delivery": "hybrid"})
    assert "Pilih luring, daring, atau keduanya." in refused.text
    db.session.refresh(dishub)
    assert dishub.delivery == DeliveryMode.DARING
