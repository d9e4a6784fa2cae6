"""CSV import of units and accounts: upload, preview with row-by-row errors, all-or-nothing confirm."""
import io
import re
from html import unescape

import pytest
import sqlalchemy as sa

from assessment.admin.csv_reading import encode_content
from assessment.domain.models import AuditEvent, DeliveryMode, Role, Unit, UnitKind, User
from assessment.extensions import db
from tests import factories

UNITS_CSV = "nama,singkatan,jenis\nDinas Perhubungan,Dishub,dinas\n\"Badan Pendapatan Daerah, Kota\",Bapenda,BADAN\n"
USERS_CSV = ("username;nama_lengkap;nip;peran;unit\n"
             "dishub;Budi Santoso, S.T.;19810315 200604 1 002;opd;dpmptsp\n"
             "evaluator2;Dewi Lestari;;reviewer;\n")
CONTENT = re.compile(r'name="content" type="hidden" value="([^"]*)"')


def upload(client, subject: str, data: bytes | str, filename: str = "data.csv"):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(f"/admin/{subject}/impor", data={"file": (io.BytesIO(raw), filename)},
                       content_type="multipart/form-data")


def confirm(client, subject: str, preview_html: str):
    return client.post(f"/admin/{subject}/impor/simpan", data={"content": CONTENT.search(preview_html).group(1)})


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def change_events() -> int:
    """Audit events other than logins and logouts (the admin client's own login is one)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.not_like("auth.%")))


def row_text(html: str, number: int) -> str:
    """The text of the preview row numbered ``number``."""
    for row in re.findall(r"<tr class=\"row-[a-z]+\">(.*?)</tr>", html, re.S):
        cells = [unescape(re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells and cells[0] == str(number):
            return " ".join(" ".join(cells).split())
    raise AssertionError(f"no preview row {number}")


@pytest.fixture
def admin(client, auth, world):
    auth.login("admin")
    return client


ROUTES = [("get", "/admin/{s}/impor"), ("post", "/admin/{s}/impor"), ("post", "/admin/{s}/impor/simpan"),
          ("get", "/admin/{s}/impor/contoh.csv")]


@pytest.mark.parametrize("subject", ["unit", "pengguna"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_import_pages_are_for_admins_only(client, auth, world, subject, method, path):
    url = path.format(s=subject)
    data = {"content": encode_content(UNITS_CSV if subject == "unit" else USERS_CSV)}
    assert getattr(client, method)(url, data=data).headers["Location"].startswith("/masuk?next=")
    for username in ("dpmptsp", "organisasi"):
        auth.login(username)
        assert getattr(client, method)(url, data=data).status_code == 403
        auth.logout()
    assert (count(Unit), count(User)) == (2, 4)


@pytest.mark.parametrize(("subject", "columns"), [("unit", ["nama", "singkatan", "jenis", "layanan"]),
                                                  ("pengguna", ["username", "nama_lengkap", "nip", "peran", "unit"])])
def test_upload_page_documents_columns_and_example(admin, subject, columns):
    page = admin.get(f"/admin/{subject}/impor").text
    assert all(f"<code>{name}</code>" in page for name in columns)
    assert ";".join(columns) in page and 'type="file"' in page
    example = admin.get(f"/admin/{subject}/impor/contoh.csv")
    assert example.mimetype == "text/csv" and example.text.startswith("\ufeff" + ";".join(columns) + "\r\n")


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: ("\ufeff" + text.replace(",", ";").replace("\n", "\r\n")).encode("utf-8"),
], ids=["comma", "semicolon-bom-crlf"])
def test_good_unit_file_imports_every_row(admin, world, encode):
    csv_text = "NAMA , Singkatan,Jenis\nDinas Perhubungan,Dishub,dinas\nBadan Pendapatan Daerah,Bapenda,BADAN\n,,\n"
    preview = upload(admin, "unit", encode(csv_text))
    assert "2 baris siap diimpor" in preview.text and "Impor 2 unit" in preview.text
    assert row_text(preview.text, 3) == "3 Badan Pendapatan Daerah Bapenda Badan Luring (tatap muka) Siap"
    assert count(Unit) == 2  # the preview saves nothing

    done = confirm(admin, "unit", preview.text)
    assert done.headers["Location"] == "/admin/unit"
    assert "2 unit berhasil diimpor." in admin.get("/admin/unit").text
    bapenda = db.session.scalar(sa.select(Unit).where(Unit.short_name == "Bapenda"))
    assert (bapenda.name, bapenda.kind, bapenda.active) == ("Badan Pendapatan Daerah", UnitKind.BADAN, True)
    assert count(Unit) == 4
    notes = db.session.scalars(sa.select(AuditEvent.note).where(AuditEvent.action == "unit.update")).all()
    assert notes == ["Unit diimpor dari CSV: Dishub", "Unit diimpor dari CSV: Bapenda"]


def test_quoted_cells_keep_their_delimiter(admin, world):
    preview = upload(admin, "unit", UNITS_CSV)
    assert row_text(preview.text, 3).startswith("3 Badan Pendapatan Daerah, Kota Bapenda")


def test_good_user_file_imports_every_row_with_passwords_shown_once(admin, client, auth, world):
    preview = upload(admin, "pengguna", "\ufeff" + USERS_CSV)
    assert "2 baris siap diimpor" in preview.text
    assert row_text(preview.text, 2) == "2 dishub Budi Santoso, S.T. 198103152006041002 Kepala OPD / operator DPMPTSP Siap"
    done = confirm(admin, "pengguna", preview.text)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    passwords = dict(re.findall(r"<code>([a-z0-9.]+)</code>.*?<span class=\"secret\">([^<]+)</span>", done.text, re.S))
    assert set(passwords) == {"dishub", "evaluator2"}
    dishub = db.session.scalar(sa.select(User).where(User.username == "dishub"))
    assert (dishub.role, dishub.unit_id, dishub.nip, dishub.must_change_password) == (
        Role.OPD, world.unit.id, "198103152006041002", True)
    evaluator = db.session.scalar(sa.select(User).where(User.username == "evaluator2"))
    assert (evaluator.role, evaluator.unit, evaluator.nip) == (Role.REVIEWER, None, None)
    auth.logout()
    assert auth.login("dishub", passwords["dishub"], follow=True).request.path == "/akun/kata-sandi"


UNIT_ERRORS = [
    ("Dinas Baru,,dinas", "Kolom singkatan kosong."),
    (",Baru,dinas", "Kolom nama kosong."),
    ("Dinas Baru,Baru,", "Kolom jenis kosong."),
    ("Dinas Baru,Baru,pasar", "Jenis 'pasar' tidak dikenal; isi salah satu: dinas, badan, kecamatan, puskesmas, lainnya."),
    ("Dinas Perhubungan,Dishub2,dinas", "Isi kolom nama sama dengan baris 2 dalam berkas ini."),
    ("Dinas Baru,DISHUB,dinas", "Isi kolom singkatan sama dengan baris 2 dalam berkas ini."),
    ("unit dpmptsp,Baru,dinas", "Sudah ada unit dengan nama ini di basis data: DPMPTSP."),
    ("Dinas Baru,Disdukcapil,dinas", "Sudah ada unit dengan singkatan ini di basis data: Disdukcapil."),
    ("Dinas Baru,Baru,dinas,lebih", "Baris ini berisi 4 sel, lebih banyak dari 3 kolom judul."),
    ("x" * 201 + ",Baru,dinas", "Isi kolom nama paling banyak 200 karakter (ada 201)."),
]


@pytest.mark.parametrize(("line", "message"), UNIT_ERRORS)
def test_each_bad_unit_row_is_reported_on_its_row_and_nothing_is_imported(admin, world, line, message):
    text = f"nama,singkatan,jenis\nDinas Perhubungan,Dishub,dinas\n{line}\nDinas Sosial,Dinsos,dinas\n"
    preview = upload(admin, "unit", text)
    assert message in row_text(preview.text, 3)
    assert row_text(preview.text, 2).endswith("Siap") and row_text(preview.text, 4).endswith("Siap")
    assert "1 dari 3 baris bermasalah" in preview.text and "Impor 3" not in preview.text
    assert not CONTENT.search(preview.text)  # no confirm form
    forced = admin.post("/admin/unit/impor/simpan", data={"content": encode_content(text)})
    assert "Tidak ada data yang diimpor" in forced.text and message in unescape(forced.text)
    assert count(Unit) == 2 and change_events() == 0


USER_ERRORS = [
    (";Nama;;opd;DPMPTSP", "Kolom username kosong."),
    ("budi santoso;Nama;;opd;DPMPTSP", "hanya boleh berisi huruf kecil"),
    ("DISHUB;Nama;;opd;DPMPTSP", "Isi kolom username sama dengan baris 2 dalam berkas ini."),
    ("organisasi;Nama;;reviewer;", "Username 'organisasi' sudah dipakai akun lain di basis data."),
    ("budi;;;opd;DPMPTSP", "Kolom nama_lengkap kosong."),
    ("budi;Nama;1981031520060410;opd;DPMPTSP", "NIP harus tepat 18 angka"),
    ("budi;Nama;19810315200604100A;opd;DPMPTSP", "NIP harus tepat 18 angka"),
    ("budi;Nama;;;DPMPTSP", "Kolom peran kosong."),
    ("budi;Nama;;kepala;DPMPTSP", "Peran 'kepala' tidak dikenal; isi salah satu: opd, reviewer, admin."),
    ("budi;Nama;;opd;Dishub", "Unit 'Dishub' tidak ditemukan"),
    ("budi;Nama;;opd;", "Akun OPD wajib memiliki unit."),
    ("budi;Nama;;admin;DPMPTSP", "Akun administrator tidak terikat pada unit; kosongkan unit."),
]


@pytest.mark.parametrize(("line", "message"), USER_ERRORS)
def test_each_bad_user_row_is_reported_on_its_row_and_nothing_is_imported(admin, world, line, message):
    text = f"username;nama_lengkap;nip;peran;unit\ndishub;Budi;;opd;DPMPTSP\n{line}\nevaluator2;Dewi;;reviewer;\n"
    preview = upload(admin, "pengguna", text)
    assert message in row_text(preview.text, 3)
    assert row_text(preview.text, 2).endswith("Siap") and row_text(preview.text, 4).endswith("Siap")
    assert not CONTENT.search(preview.text)
    forced = admin.post("/admin/pengguna/impor/simpan", data={"content": encode_content(text)})
    assert "Tidak ada data yang diimpor" in forced.text
    assert count(User) == 4 and change_events() == 0


def test_an_inactive_unit_cannot_receive_imported_accounts(admin, world):
    world.unit.active = False
    db.session.commit()
    preview = upload(admin, "pengguna", "username,nama_lengkap,peran,unit\nbudi,Budi,opd,DPMPTSP\n")
    assert "Unit 'DPMPTSP' nonaktif" in row_text(preview.text, 2)


@pytest.mark.parametrize(("subject", "header", "missing"), [
    ("unit", "nama;jenis", "singkatan"),
    ("pengguna", "username,nama_lengkap,nip,unit", "peran"),
])
def test_a_missing_column_is_reported_for_the_file(admin, world, subject, header, missing):
    preview = upload(admin, subject, f"{header}\na;b;c;d\n")
    assert f"Kolom wajib tidak ada: {missing}." in preview.text and "Berkas tidak dapat diproses" in preview.text


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Berkas kosong."),
    (b"  \r\n ", "Berkas kosong."),
    (b"\xef\xbb\xbf\r\n", "Berkas kosong."),
    (b'nama,singkatan,jenis\n"Dinas Pariwisata,Dispar,dinas\n' + b"x" * 140_000, "periksa tanda kutip"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "bukan berkas teks CSV"),
    ("nama,singkatan,jenis\nDinas Pariwisata,Dispar,dinas\nKecamatan Ciwandan,Kec. Ciwandan,kecamatan\n".encode("utf-16"),
     "bukan berkas teks CSV"),
    ("nama,singkatan,jenis\nDinas Pemuda dan Olahraga,Dispora,dinas\nUnit Caf\u00e9,Cafe,lainnya\n".encode("latin-1"),
     "tidak dapat dibaca sebagai teks UTF-8"),
    (b"nama,singkatan,jenis\n", "hanya ada baris judul kolom"),
    (b"nama,singkatan,jenis\n" + b"x" * 1_000_000, "Berkas lebih besar dari 1 MB"),
    ("nama,singkatan,jenis\n" + "".join(f"Unit {i},U{i},dinas\n" for i in range(2001)), "lebih dari 2000 baris data"),
])
def test_unreadable_files_are_refused_with_a_reason(admin, world, data, message):
    response = upload(admin, "unit", data)
    assert response.status_code == 200 and message in response.text
    assert not CONTENT.search(response.text) and count(Unit) == 2


def test_posting_without_a_file_asks_for_one(admin, world):
    response = admin.post("/admin/unit/impor", data={}, content_type="multipart/form-data")
    assert "Pilih berkas CSV terlebih dahulu." in response.text and 'type="file"' in response.text


def test_too_many_user_rows(admin, world):
    rows = "".join(f"user{i},Nama {i},reviewer,\n" for i in range(201))
    assert "lebih dari 200 baris data" in upload(admin, "pengguna", "username,nama_lengkap,peran,unit\n" + rows).text


def test_confirm_checks_again_and_imports_nothing_if_the_database_changed(admin, world):
    preview = upload(admin, "unit", UNITS_CSV)
    assert "2 baris siap diimpor" in preview.text
    factories.make_unit("Bapenda")  # created by someone else in between
    db.session.commit()
    response = confirm(admin, "unit", preview.text)
    assert "Tidak ada data yang diimpor" in response.text
    assert "Sudah ada unit dengan singkatan ini di basis data: Bapenda." in row_text(response.text, 3)
    assert count(Unit) == 3 and db.session.scalar(sa.select(Unit).where(Unit.short_name == "Dishub")) is None


def test_confirm_for_users_checks_the_units_again(admin, world):
    preview = upload(admin, "pengguna", USERS_CSV)
    world.unit.active = False
    db.session.commit()
    assert "Tidak ada data yang diimpor" in confirm(admin, "pengguna", preview.text).text
    assert count(User) == 4


@pytest.mark.parametrize("content", ["", "bukan base64 !!", encode_content("")])
def test_a_missing_or_damaged_carried_file_imports_nothing(admin, world, content):
    response = admin.post("/admin/unit/impor/simpan", data={"content": content})
    assert response.status_code == 200 and "Tidak ada data yang diimpor" in response.text
    assert count(Unit) == 2


def test_unknown_columns_are_listed_and_ignored(admin, world):
    preview = upload(admin, "unit", "No;Nama;Singkatan;Jenis;Catatan\n1;Dinas Perhubungan;Dishub;dinas;baru\n")
    assert "Kolom diabaikan: <code>no</code>, <code>catatan</code>." in preview.text
    assert "1 baris siap diimpor" in preview.text


def test_the_optional_layanan_column_sets_how_each_unit_serves(admin, world):
    csv_text = ("nama;singkatan;jenis;layanan\nDinas Perhubungan;Dishub;dinas;daring\n"
                "Badan Pendapatan Daerah;Bapenda;badan;Luring dan daring\nKecamatan Citangkil;Kec. Citangkil;kecamatan;\n")
    preview = upload(admin, "unit", csv_text)
    assert row_text(preview.text, 2) == "2 Dinas Perhubungan Dishub Dinas Daring (elektronik) Siap"
    confirm(admin, "unit", preview.text)
    delivery = dict(db.session.execute(sa.select(Unit.short_name, Unit.delivery)).all())
    assert (delivery["Dishub"], delivery["Bapenda"], delivery["Kec. Citangkil"]) == (
        DeliveryMode.DARING, DeliveryMode.BOTH, DeliveryMode.LURING)


def test_an_unknown_layanan_refuses_the_whole_file(admin, world):
    preview = upload(admin, "unit", "nama,singkatan,jenis,layanan\nDinas Perhubungan,Dishub,dinas,online\n")
    assert "Layanan &#39;online&#39; tidak dikenal; isi luring, daring, atau keduanya (kosong: luring)." in preview.text
    assert count(Unit) == 2
