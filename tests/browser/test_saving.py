"""Scenario 5, never lose a word: saving through a dropped network, an ended session (cookies cleared, or the
secret key changed on a restart), two people on one aspect page, the server restarted mid-typing, a reload
that offers "Pulihkan", "Simpan & lanjut" while a save is in flight, and the review page's own autosave.
The demo's current period runs on PEKPPP-2025: a unit answers F-01 facts (the level follows from them) and the
reviewer checks them or sets a level directly.

The scenarios run on a server of their own (it is stopped and started again), on a fresh demo database; after
each step the database itself is read back. Screenshots of every state at 1366 and 390 px go to
screenshots/browser/5-simpan-*.png.
"""
from __future__ import annotations

import re
import sqlite3

import pytest

from assessment.demo.data import DEMO_PASSWORD
from assessment.demo.evidence import tiny_pdf
from tests.browser.conftest import AppServer, PageOpener
from tests.browser.helpers import Screenshots, accessible, expect, fact_changes, facts_giving, log_in

SCENARIO = "5-simpan"
pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Tersimpan \d\d\.\d\d WIB")
OFFLINE = re.compile(r"^Belum tersimpan: koneksi terputus, dicoba lagi otomatis")
ENDED = re.compile(r"^Sesi berakhir: masuk lagi — isian Anda aman di peramban ini")
RETRIES = 45_000  # ms: the back-off reaches 15 s between attempts
# While the session is ended the page asks every 5 s whether it is back: on a busy machine the login in the other
# tab may take longer, and the ask before it is answered 401
SESSION_POLLED = r"HTTP 401: GET .*/sesi/token$"
OPERATOR = "operator-dukcapil"  # a second account of Disdukcapil, added to the demo for these scenarios


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app_server = AppServer(tmp_path_factory.mktemp("browser-saving"))
    with sqlite3.connect(app_server.database) as connection:  # a colleague of the Disdukcapil head
        connection.execute("INSERT INTO users (username, full_name, nip, password_hash, role, unit_id, active, "
                           "must_change_password) SELECT ?, 'Dewi Lestari, S.Kom.', NULL, password_hash, role, unit_id, "
                           "1, 0 FROM users WHERE username = 'disdukcapil'", (OPERATOR,))
    app_server.start()
    yield app_server
    app_server.stop()


@pytest.fixture(scope="module")
def screenshots():
    """One numbered series for the whole module (the states of every scenario side by side)."""
    return Screenshots(SCENARIO)


@pytest.fixture
def open_on(browser, server, problems):
    opener = PageOpener(browser, server.url, problems)
    yield opener
    opener.close()


def stored(server: AppServer, unit: str, code: str) -> tuple[int | None, str] | None:
    """The current period's stored answer of a unit (read from the database file, not through the app)."""
    with sqlite3.connect(server.database) as connection:
        return connection.execute(
            "SELECT a.level, a.justification FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "JOIN units u ON u.id = s.unit_id JOIN periods p ON p.id = s.period_id "
            "WHERE u.short_name = ? AND a.indicator_code = ? AND p.year = (SELECT max(year) FROM periods)",
            (unit, code)).fetchone()


def only_expected(problems, *patterns: str) -> None:
    """The failures these scenarios cause on purpose (a 401, a refused connection) and nothing else."""
    unexpected = [problem for problem in problems.take_report() if not any(re.search(p, problem) for p in patterns)]
    assert not unexpected, "the browser reported problems:\n" + "\n".join(unexpected)


def status_of(page):
    return page.locator("#autosave-status")


def text_field(page, code: str):
    return page.locator(f"[id='{code.replace('.', '_')}-justification']")


def choose(page, code: str, level: int) -> None:
    """Answer the indicator's facts so that they give ``level``, click after click, without waiting for a save."""
    facts, gives = facts_giving(code, level)
    assert gives == level, f"the facts of {code} cannot give level {level}"
    for change in fact_changes(page, code, facts):
        change()


def open_aspect(page, name: str) -> None:
    page.goto("/penilaian")
    page.get_by_role("row").filter(has_text=name).get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(name))).to_be_visible()


def both_widths(page, screenshots, name: str, element=None) -> None:
    """The state as seen at 1366 px and on a 390 px phone, with ``element`` in the middle of the screen."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        if element is not None:
            element.evaluate("element => element.scrollIntoView({block: 'center'})")
        screenshots.take(page, f"{name}-{width}", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})


def end_the_session(page) -> None:
    """Forget the session cookie, once no response still on its way could set it again (every response of a
    logged-in page renews it, the favicon's too)."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


def log_in_in_a_new_tab(page, username: str) -> None:
    """The status line's link opens the login in a new tab; after it, the first tab goes on by itself."""
    with page.context.expect_page() as opened:
        status_of(page).get_by_role("link", name="Masuk lagi (tab baru)").click()
    tab = opened.value
    tab.get_by_label("Nama pengguna").fill(username)
    tab.get_by_label("Kata sandi", exact=True).fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Masuk").click()
    expect(tab.get_by_role("heading", name="Anda sudah masuk kembali")).to_be_visible()
    tab.close()
    page.bring_to_front()


def test_offline_typing_and_simpan_lose_nothing_and_save_when_back_online(open_on, problems, server, screenshots):
    page = open_on()
    log_in(page, "dpmptsp")  # a unit that has not started: the first saved answer creates its form
    page.get_by_role("link", name="Mulai mengisi").click()
    expect(page).to_have_url(re.compile("/penilaian/baru/aspek/a$"))
    both_widths(page, screenshots, "aspek-normal", page.locator("#ind-1_a_Ak"))
    page.context.set_offline(True)
    choose(page, "1.a.Ak", 3)
    text_field(page, "1.a.Ak").fill("Ditulis saat koneksi terputus; SK standar pelayanan ada.")
    expect(status_of(page)).to_have_text(OFFLINE)
    both_widths(page, screenshots, "aspek-offline", page.locator("#autosave-status"))
    page.get_by_role("button", name="Simpan draf").click()  # offline: the page stays, nothing is thrown away
    expect(status_of(page)).to_have_text(OFFLINE)
    expect(page).to_have_url(re.compile("/penilaian/baru/aspek/a$"))
    expect(text_field(page, "1.a.Ak")).to_have_value("Ditulis saat koneksi terputus; SK standar pelayanan ada.")
    assert stored(server, "DPMPTSP", "1.a.Ak") is None
    page.context.set_offline(False)  # no keystroke: the page notices and saves
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)
    assert stored(server, "DPMPTSP", "1.a.Ak") == (3, "Ditulis saat koneksi terputus; SK standar pelayanan ada.")
    expect(page).to_have_url(re.compile(r"/penilaian/\d+/aspek/a$"))  # the form now exists: its own address
    both_widths(page, screenshots, "aspek-tersimpan", page.locator("#autosave-status"))


def test_cleared_cookies_end_the_session_and_a_login_in_a_new_tab_resumes_without_reload(open_on, problems, server,
                                                                                          screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    open_aspect(page, "Profesionalisme")
    end_the_session(page)  # logged out elsewhere, or the browser forgot the session
    text_field(page, "10.b.As").fill("Jam layanan 08.00–15.00, diketik setelah sesi berakhir.")
    expect(status_of(page)).to_have_text(ENDED)
    both_widths(page, screenshots, "aspek-sesi-berakhir", page.locator("#autosave-status"))
    assert accessible(page)
    log_in_in_a_new_tab(page, "disdukcapil")
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)
    expect(text_field(page, "10.b.As")).to_have_value("Jam layanan 08.00–15.00, diketik setelah sesi berakhir.")
    assert stored(server, "Disdukcapil", "10.b.As")[1] == "Jam layanan 08.00–15.00, diketik setelah sesi berakhir."
    only_expected(problems, r"HTTP 401: POST .*/aspek/b", SESSION_POLLED, r"status of 401")


def test_simpan_with_an_ended_session_brings_the_text_back_after_the_login(open_on, problems, server, screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    open_aspect(page, "Profesionalisme")
    end_the_session(page)
    text_field(page, "12.b.Ak").fill("Penghargaan pegawai teladan tiap triwulan.")
    page.get_by_role("button", name="Simpan draf").click()  # at once, before the autosave: the whole page goes
    expect(page).to_have_url(re.compile("/masuk"))
    expect(page.get_by_text("Sesi berakhir: masuk lagi — isian Anda aman di peramban ini.")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("disdukcapil")
    page.get_by_label("Kata sandi", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    restore = page.locator("#ind-12_b_Ak .restore-panel")  # back on the page: the browser's copy is offered
    expect(restore.locator(".restore-diff ins")).to_have_text("teladan tiap triwulan.")
    restore.get_by_role("button", name="Pulihkan").click()
    expect(status_of(page)).to_have_text(SAVED)
    assert stored(server, "Disdukcapil", "12.b.Ak")[1] == "Penghargaan pegawai teladan tiap triwulan."
    only_expected(problems, r"HTTP 401: POST .*/aspek/b", r"status of 401")  # the autosave of leaving the field, if first


def test_a_new_secret_key_after_a_restart_ends_the_session_the_same_way(open_on, problems, server, screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    open_aspect(page, "Sarana dan Prasarana")
    text_field(page, "15.c.K").fill("Parkir roda dua dan empat terpisah.")
    expect(status_of(page)).to_have_text(SAVED)
    server.stop()
    server.start(secret_key="kunci-rahasia-baru")  # every cookie signed with the old key is now worthless
    text_field(page, "15.c.K").fill("Parkir roda dua dan empat terpisah, ada petugas dan CCTV.")
    expect(status_of(page)).to_have_text(ENDED, timeout=RETRIES)
    log_in_in_a_new_tab(page, "disdukcapil")
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)
    assert stored(server, "Disdukcapil", "15.c.K")[1] == "Parkir roda dua dan empat terpisah, ada petugas dan CCTV."
    only_expected(problems, r"HTTP 401: POST .*/aspek/c", SESSION_POLLED, r"status of 401")


def test_the_server_restarted_mid_typing_loses_nothing(open_on, problems, server, screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    open_aspect(page, "Sistem Informasi")
    text_field(page, "21.d.T").fill("Papan informasi di ruang tunggu.")
    expect(status_of(page)).to_have_text(SAVED)
    server.stop()
    text_field(page, "21.d.T").fill("Papan informasi di ruang tunggu dan layar informasi elektronik.")
    expect(status_of(page)).to_have_text(OFFLINE, timeout=RETRIES)
    server.start()
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)  # retried by itself
    assert stored(server, "Disdukcapil", "21.d.T")[1] == "Papan informasi di ruang tunggu dan layar informasi elektronik."
    only_expected(problems, r"request failed: POST .*/aspek/d", r"ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE")


def test_two_people_on_one_aspect_page(open_on, problems, server, screenshots):
    head, operator = open_on(), open_on()
    log_in(head, "disdukcapil")
    log_in(operator, OPERATOR)
    for page in (head, operator):
        open_aspect(page, "Konsultasi dan Pengaduan")
    choose(head, "25.e.P", 2)
    expect(status_of(head)).to_have_text(SAVED)
    choose(operator, "26.e.P", 4)  # another indicator: never refused because of the head's save
    expect(status_of(operator)).to_have_text(SAVED)
    text_field(head, "27.e.Ak").fill("Pengaduan diarsipkan dan dilaporkan tiap bulan.")
    expect(status_of(head)).to_have_text(SAVED)
    text_field(operator, "27.e.Ak").fill("Pengaduan ditindaklanjuti oleh petugas.")  # the same one: a real conflict
    panel = operator.locator("#ind-27_e_Ak .conflict-panel")
    expect(panel).to_contain_text("Pengaduan diarsipkan dan dilaporkan tiap bulan.")
    expect(panel).to_contain_text("Pengaduan ditindaklanjuti oleh petugas.")
    expect(panel).to_contain_text("Bambang Hermawan")
    expect(status_of(operator)).to_contain_text("27.e.Ak diubah orang lain")
    both_widths(operator, screenshots, "aspek-konflik", panel)
    assert accessible(operator)
    panel.get_by_role("button", name="Gabungkan kedua teks").click()
    expect(text_field(operator, "27.e.Ak")).to_have_value(
        "Pengaduan diarsipkan dan dilaporkan tiap bulan.\n\nPengaduan ditindaklanjuti oleh petugas.")
    expect(status_of(operator)).to_have_text(SAVED, timeout=RETRIES)
    assert stored(server, "Disdukcapil", "27.e.Ak")[1] == ("Pengaduan diarsipkan dan dilaporkan tiap bulan.\n\n"
                                                   "Pengaduan ditindaklanjuti oleh petugas.")
    for _ in range(2):  # "Simpan" twice with a page loaded before the operator's save: nothing of theirs is lost
        head.get_by_role("button", name="Simpan draf").click()
        expect(head.get_by_text("Draf tersimpan.")).to_be_visible()
    assert stored(server, "Disdukcapil", "26.e.P")[0] == 4 and stored(server, "Disdukcapil", "25.e.P")[0] == 2
    only_expected(problems, r"HTTP 409: POST .*/aspek/e", r"status of 409")


def test_pulihkan_after_a_reload_shows_the_difference_and_saves(open_on, problems, server, screenshots):
    page = open_on()
    log_in(page, "disdukcapil")
    open_aspect(page, "Inovasi")
    page.route(re.compile(r"/aspek/f$"), lambda route: route.abort() if route.request.method == "POST"
               else route.continue_())  # the saves never arrive (a network that drops them)
    before = text_field(page, "29.f.B").input_value()
    text_field(page, "29.f.B").fill("Inovasi antrean daring berjalan sejak 2024.")
    expect(status_of(page)).to_have_text(OFFLINE, timeout=RETRIES)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?": yes
    page.reload()
    restore = page.locator("#ind-29_f_B .restore-panel")
    expect(restore).to_contain_text("Isian yang belum tersimpan")
    expect(restore.locator("ins").first).to_be_visible()
    expect(page.locator(".restore-all")).to_contain_text("1 indikator")
    both_widths(page, screenshots, "aspek-pulihkan", restore)
    assert accessible(page)
    assert text_field(page, "29.f.B").input_value() == before  # the saved text, until the user chooses
    page.unroute(re.compile(r"/aspek/f$"))
    restore.get_by_role("button", name="Pulihkan").click()
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)
    assert stored(server, "Disdukcapil", "29.f.B")[1] == "Inovasi antrean daring berjalan sejak 2024."
    page.reload()
    expect(page.locator(".restore-panel")).to_have_count(0)  # acknowledged: the copy is gone
    only_expected(problems, r"request failed: POST .*/aspek/f", r"ERR_FAILED")


def test_simpan_and_next_waits_for_the_save_in_flight(open_on, problems, server, screenshots):
    page = open_on()
    page.add_init_script("const send = window.fetch; window.fetch = (...a) => new Promise(r => setTimeout(r, 1500))"
                         ".then(() => send(...a));")  # a slow line: each save takes 1.5 s longer
    log_in(page, "pkm-pulomerak")
    page.get_by_role("link", name="Mulai mengisi").click()
    text_field(page, "1.a.Ak").fill("Standar pelayanan ditetapkan dengan SK Kepala Puskesmas.")
    choose(page, "1.a.Ak", 3)
    expect(status_of(page)).to_have_text("Menyimpan…")
    both_widths(page, screenshots, "aspek-menyimpan", page.locator("#autosave-status"))
    page.get_by_role("button", name=re.compile("lanjut ›$")).click()  # while the autosave is on its way
    expect(page.get_by_text("Draf tersimpan.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile("Aspek B"))).to_be_visible()
    expect(page.get_by_text("diubah orang lain")).to_have_count(0)
    assert stored(server, "Puskesmas Pulomerak", "1.a.Ak") == (3, "Standar pelayanan ditetapkan dengan SK Kepala Puskesmas.")


def test_leaving_with_a_chosen_but_unsent_file_asks_first(open_on, problems):
    page = open_on()
    log_in(page, "pkm-pulomerak")
    open_aspect(page, "Sarana dan Prasarana")
    page.locator("input[name='evidence_15_c_K']").set_input_files(
        files=[{"name": "parkir.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf(["Foto parkir"])}])
    expect(page.locator("#ind-15_c_K [data-pending-files]")).to_have_text(re.compile("^1 berkas dipilih, belum diunggah"))
    expect(status_of(page)).to_contain_text("1 berkas menunggu diunggah")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_the_review_page_saves_each_decision_by_itself(open_on, problems, screenshots):
    page = open_on()
    log_in(page, "organisasi")
    page.get_by_role("row").filter(has_text="Dinas Pendidikan").get_by_role("link", name="Periksa").click()
    both_widths(page, screenshots, "verifikasi-normal", page.locator("#rev-1_a_Ak"))
    choice = page.locator("[id='1_a_Ak-choice']")
    options = choice.locator("option").all_inner_texts()
    assert any(text.startswith("Tetapkan langsung: level 5: ") and len(text) > 40 for text in options)  # its criterion
    choice.select_option("0")  # set directly rather than by checking the unit's facts: a note is needed
    expect(page.locator("#rev-1_a_Ak [data-entry-error]")).to_have_text(
        "Catatan wajib diisi bila level ditetapkan langsung, tidak mengikuti fakta.")
    expect(status_of(page)).to_have_text("Belum tersimpan: periksa isian yang ditandai merah")
    page.locator("[id='1_a_Ak-note']").fill("SK standar pelayanan belum dilampirkan.")
    expect(status_of(page)).to_have_text(SAVED, timeout=RETRIES)
    expect(page.locator("#rev-1_a_Ak [data-fact-outcome]")).to_have_text(
        re.compile(r"^\s*Level terverifikasi: 0\s+\(ditetapkan langsung\)\s*$"))
    both_widths(page, screenshots, "verifikasi-tersimpan", page.locator("#rev-1_a_Ak"))
    assert accessible(page)
    expect(page.locator("[data-score='reviewed']")).to_have_text("1")
    page.reload()
    expect(choice).to_have_value("0")
    expect(page.locator("[id='1_a_Ak-note']")).to_have_value("SK standar pelayanan belum dilampirkan.")
    only_expected(problems, r"HTTP 422: POST .*/verifikasi", r"status of 422")
