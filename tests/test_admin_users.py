"""Admin pages for accounts: access, list, create, edit, (de)activate, password reset and the forced change."""
import re

import pytest
import sqlalchemy as sa
from flask_login import current_user

from assessment.domain.models import AuditEvent, Role, Unit, User
from assessment.extensions import db
from tests import factories
from tests.test_auth import as_browser

ROUTES = [
    ("get", "/admin/pengguna"),
    ("get", "/admin/pengguna/baru"),
    ("post", "/admin/pengguna/baru"),
    ("get", "/admin/pengguna/{id}"),
    ("post", "/admin/pengguna/{id}"),
    ("post", "/admin/pengguna/{id}/nonaktifkan"),
    ("post", "/admin/pengguna/{id}/aktifkan"),
    ("post", "/admin/pengguna/{id}/reset-kata-sandi"),
]
TEMPORARY = re.compile(r'<span class="secret"[^>]*>([^<]+)</span>')


def new_user(world, **changes) -> dict:
    return {"username": "budi.s", "full_name": "Budi Santoso, S.T.", "nip": "", "role": "opd",
            "unit_id": str(world.unit.id), **changes}


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_login(client, world, method, path):
    response = getattr(client, method)(path.format(id=world.opd.id), data=new_user(world))
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk?next=")
    assert user_count() == 4


@pytest.mark.parametrize("username", ["dpmptsp", "organisasi"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_opd_and_reviewer_are_refused(client, auth, world, username, method, path):
    auth.login(username)
    hash_before = world.other_opd.password_hash
    response = getattr(client, method)(path.format(id=world.other_opd.id), data=new_user(world, role="admin"))
    assert response.status_code == 403
    db.session.refresh(world.other_opd)
    assert user_count() == 4 and world.other_opd.active and world.other_opd.password_hash == hash_before


@pytest.mark.parametrize("path", ["/admin/pengguna/999", "/admin/pengguna/999/nonaktifkan",
                                  "/admin/pengguna/999/reset-kata-sandi"])
def test_unknown_account_is_404(client, auth, world, path):
    auth.login("admin")
    assert client.post(path, data=new_user(world)).status_code == 404


def test_list_filters(client, auth, world):
    world.other_opd.active = False
    db.session.commit()
    auth.login("admin")
    default = client.get("/admin/pengguna").text
    assert "dpmptsp" in default and "organisasi" in default and "disdukcapil" not in default
    assert "disdukcapil" in client.get("/admin/pengguna?status=inactive").text
    reviewers = client.get("/admin/pengguna?role=reviewer").text
    assert "organisasi" in reviewers and "dpmptsp" not in reviewers
    by_unit = client.get(f"/admin/pengguna?unit={world.unit.id}&status=all").text
    assert "dpmptsp" in by_unit and "disdukcapil" not in by_unit
    search = client.get("/admin/pengguna?q=ORGANI").text
    assert "organisasi" in search and "dpmptsp" not in search
    assert "dpmptsp" in client.get("/admin/pengguna?unit=999").text  # not a choice: defaults


def test_create_shows_the_temporary_password_once_and_it_works(client, auth, world):
    auth.login("admin")
    page = client.post("/admin/pengguna/baru", data=new_user(world, username=" Budi.S ", nip="19810315 200604 1 002"))
    created = user("budi.s")
    assert (created.role, created.unit_id, created.nip) == (Role.OPD, world.unit.id, "198103152006041002")
    assert created.must_change_password and created.active
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store" and "Akun budi.s dibuat." in page.text
    password = TEMPORARY.search(page.text).group(1)
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password) and not set(password) & set("01lio")
    assert password not in client.get(f"/admin/pengguna/{created.id}").text
    assert created.check_password(password)
    assert [e.note for e in audit("user.update")] == ["Akun dibuat: budi.s"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "budi santoso"}, "hanya boleh berisi huruf kecil, angka"),
        ({"username": "bu"}, "Nama pengguna harus 3–60 karakter."),
        ({"username": "DPMPTSP"}, "Nama pengguna ini sudah dipakai."),
        ({"full_name": "  "}, "Isi nama lengkap."),
        ({"nip": "19810315200604100"}, "NIP harus tepat 18 angka"),
        ({"nip": "19810315200604100X"}, "NIP harus tepat 18 angka"),
        ({"role": "superadmin"}, "Pilih salah satu peran."),
        ({"unit_id": ""}, "Akun OPD wajib memiliki unit."),
        ({"unit_id": "999"}, "Pilih unit dari daftar."),
        ({"role": "reviewer"}, "Akun evaluator tidak terikat pada unit; kosongkan unit."),
        ({"role": "admin"}, "Akun administrator tidak terikat pada unit; kosongkan unit."),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(client, auth, world, changes, message):
    auth.login("admin")
    response = client.post("/admin/pengguna/baru", data=new_user(world, **changes))
    assert response.status_code == 200 and message in response.text and "is-invalid" in response.text
    assert user_count() == 4 and audit("user.update") == []


def test_create_reviewer_without_unit(client, auth, world):
    auth.login("admin")
    client.post("/admin/pengguna/baru", data=new_user(world, username="evaluator2", role="reviewer", unit_id=""))
    assert (user("evaluator2").role, user("evaluator2").unit) == (Role.REVIEWER, None)


def test_edit_account_saves_and_audits(client, auth, world):
    auth.login("admin")
    data = {"full_name": "Ir. Siti Baru", "nip": "", "role": "opd", "unit_id": str(world.other_unit.id)}
    assert client.post(f"/admin/pengguna/{world.opd.id}", data=data).headers["Location"] == "/admin/pengguna"
    db.session.refresh(world.opd)
    assert (world.opd.full_name, world.opd.nip, world.opd.unit_id) == ("Ir. Siti Baru", None, world.other_unit.id)
    event = audit("user.update")[0]
    assert event.note == "Akun diubah: dpmptsp" and "DPMPTSP" in event.old_value and "Disdukcapil" in event.new_value


def test_edit_with_bad_input_changes_nothing(client, auth, world):
    auth.login("admin")
    data = {"full_name": "Nama Baru", "nip": "", "role": "reviewer", "unit_id": str(world.unit.id)}
    assert "tidak terikat pada unit" in client.post(f"/admin/pengguna/{world.opd.id}", data=data).text
    db.session.refresh(world.opd)
    assert (world.opd.full_name, world.opd.role) == ("Pegawai dpmptsp", Role.OPD) and audit("user.update") == []


def test_admin_cannot_demote_or_deactivate_themselves(client, auth, world):
    auth.login("admin")
    data = {"full_name": "Pegawai admin", "nip": "", "role": "reviewer", "unit_id": ""}
    assert "tidak dapat mengubah peran akun Anda sendiri" in client.post(f"/admin/pengguna/{world.admin.id}", data=data).text
    refused = client.post(f"/admin/pengguna/{world.admin.id}/nonaktifkan", follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in refused.text
    db.session.refresh(world.admin)
    assert world.admin.role == Role.ADMIN and world.admin.active and audit("user.update") == []
    data["role"] = "admin"
    client.post(f"/admin/pengguna/{world.admin.id}", data={**data, "full_name": "Admin Baru"})
    db.session.refresh(world.admin)
    assert world.admin.full_name == "Admin Baru"  # editing one's own name is fine


def test_deactivated_account_cannot_log_in_until_reactivated(client, auth, world):
    auth.login("admin")
    client.post(f"/admin/pengguna/{world.opd.id}/nonaktifkan")
    auth.logout()
    assert "Nama pengguna atau kata sandi salah." in auth.login("dpmptsp", follow=True).text
    auth.login("admin")
    client.post(f"/admin/pengguna/{world.opd.id}/aktifkan")
    auth.logout()
    assert auth.login("dpmptsp").status_code == 302
    assert [e.note for e in audit("user.update")] == ["Akun dinonaktifkan: dpmptsp", "Akun diaktifkan: dpmptsp"]
    assert user_count() == 4


def reset(client, world) -> str:
    response = client.post(f"/admin/pengguna/{world.opd.id}/reset-kata-sandi", follow_redirects=True)
    assert "Kata sandi akun dpmptsp direset." in response.text
    return TEMPORARY.search(response.text).group(1)


def test_password_reset_then_forced_change_at_next_login(client, auth, world):
    auth.login("admin")
    temporary = reset(client, world)
    assert [e.note for e in audit("user.password_reset")] == ["Akun dpmptsp"]
    assert audit("user.password_reset")[0].user_id == world.admin.id
    auth.logout()
    assert "Nama pengguna atau kata sandi salah." in auth.login("dpmptsp", factories.PASSWORD, follow=True).text

    landing = auth.login("dpmptsp", temporary, follow=True)
    assert landing.request.path == "/akun/kata-sandi" and "kata sandi sementara dari admin" in landing.text
    for path in ("/penilaian", f"/penilaian/{world.assessment.id}/ringkasan", "/"):
        assert client.get(path).headers["Location"] == "/akun/kata-sandi"
    assert client.get("/static/css/app.css").status_code == 200
    changed = client.post("/akun/kata-sandi", data={"current_password": temporary, "new_password": "sandi-baru-saya-1",
                                                    "confirm": "sandi-baru-saya-1"}, follow_redirects=True)
    assert "berhasil diubah" in changed.text and changed.request.path == "/penilaian"
    db.session.refresh(world.opd)
    assert not world.opd.must_change_password
    assert client.get("/penilaian").status_code == 200


def test_a_user_with_a_temporary_password_can_still_log_out(client, auth, world):
    world.opd.must_change_password = True
    db.session.commit()
    auth.login("dpmptsp")
    assert auth.logout().headers["Location"] == "/masuk"
    with client:
        client.get("/masuk")
        assert not current_user.is_authenticated


def test_the_forced_change_applies_to_admins_too(client, auth, world):
    world.admin.must_change_password = True
    db.session.commit()
    auth.login("admin")
    assert client.get("/admin/pengguna").headers["Location"] == "/akun/kata-sandi"
    assert client.post("/admin/unit/baru", data={"name": "Unit X", "short_name": "X", "kind": "dinas"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 2


def test_admin_cannot_reset_their_own_password_here(client, auth, world):
    auth.login("admin")
    response = client.post(f"/admin/pengguna/{world.admin.id}/reset-kata-sandi", follow_redirects=True)
    assert "gunakan halaman Kata sandi" in response.text
    db.session.refresh(world.admin)
    assert world.admin.check_password(factories.PASSWORD) and not world.admin.must_change_password


def test_a_password_reset_ends_the_sessions_of_that_user(app, client, auth, world):
    opd_browser = app.test_client()
    as_browser(opd_browser).post("/masuk", data={"username": "dpmptsp", "password": factories.PASSWORD})
    assert as_browser(opd_browser).get("/penilaian").status_code == 200
    as_browser(client)
    auth.login("admin")
    reset(client, world)
    assert as_browser(opd_browser).get("/penilaian").headers["Location"].startswith("/masuk")
