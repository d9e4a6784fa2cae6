"""Scenario 7, desktop: walking a year with a team, a field visit, an objection and a follow-up.

On a server of its own (it changes the demo period's masa sanggah): the admin gives the period a seven-day window
and aspect A of Dinas Pendidikan to the team's anggota (herself); the ketua records a field visit (a finding not as
claimed, one as claimed, a photo), lowers the indicator the visit doubted and agrees with the rest of his part; the
anggota agrees with her aspect; the ketua sends the hasil sementara. The unit objects to the lowered indicator with a
new file and says it has nothing more to object; the ketua accepts the objection (the level comes back) and
verifies finally. The Berita Acara carries the objection, its answer and the field-visit annex. Then the unit
reports the follow-up of one recommendation with a file, the ketua accepts it and the monitoring counts it done.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from assessment.demo.evidence import tiny_pdf, tiny_png
from assessment.domain.formatting import tanggal, today_wib
from assessment.web.form_fields import field_key
from tests.browser.conftest import AppServer, PageOpener
from tests.browser.helpers import FACTS_INSTRUMENT, Screenshots, download, expect, log_in, pdf_text

SCENARIO = "7-tahun-tim"
pytestmark = pytest.mark.browser

INSTRUMENT = FACTS_INSTRUMENT
TODAY = today_wib()
YEAR = TODAY.year  # the demo's current period is this year's (flask demo plays it on today in WIB)
UNIT, SHORT = "Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan"
KETUA, ANGGOTA = "Drs. Ahmad Fauzi, M.Si.", "Rina Marlina, S.Kom."  # organisasi, admin
WINDOW_DAYS = 7
ASPECT_A = [indicator.code for indicator in INSTRUMENT.aspect("a").indicators]
# The visit doubts the waiting room the unit claims at level 4; the reviewer lowers it to 3, the unit objects and the
# objection is accepted (level 4 again). The toilets are found as claimed.
LOWERED, OWN_LEVEL, LOWERED_TO, CONFIRMED = "16.c.As", 4, 3, "17.c.As"
OFFICIALS = "Drs. H. Mulyadi, M.Pd. — Kepala Dinas Pendidikan dan Kebudayaan\nEndang Suryana, S.Pd. — Sekretaris Dinas"
EXIT_NOTES = "Tim menyampaikan temuan sarana pelayanan kepada Sekretaris Dinas; unit akan melengkapi buktinya."
FINDING_NOTE = "Ruang tunggu belum dilengkapi sarana bagi penyandang disabilitas seperti yang diklaim."
CONFIRMED_NOTE = "Toilet pria dan wanita terpisah, bersih dan layak pakai."
REVIEW_NOTE = "Observasi lapangan: sarana bagi penyandang disabilitas belum tersedia; level 3 sesuai temuan."
OBJECTION = "Ramp dan kursi roda sudah tersedia sejak bulan lalu; foto dan berita acara serah terima terlampir."
OBJECTION_FILE = "bukti-sanggahan-16.c.As.pdf"
ANSWER = "Bukti serah terima ramp dan kursi roda diterima; level 4 dipulihkan."
FOLLOWUP_NOTE = "Dokumen sudah kami susun dan tetapkan dengan SK Kepala Dinas; salinannya terlampir."
FOLLOWUP_FILE = "tindak-lanjut-dindik.pdf"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app_server = AppServer(tmp_path_factory.mktemp("browser-team-year"))
    app_server.start()
    yield app_server
    app_server.stop()


@pytest.fixture
def open_on(browser, server, problems):
    opener = PageOpener(browser, server.url, problems)
    yield opener
    opener.close()


@pytest.fixture
def files(tmp_path):
    """The files a person picks from their disk: a visit photo, the objection's new evidence, the follow-up's."""
    photo, objection, followup = tmp_path / "ruang-tunggu.png", tmp_path / OBJECTION_FILE, tmp_path / FOLLOWUP_FILE
    photo.write_bytes(tiny_png())
    objection.write_bytes(tiny_pdf(["Berita acara serah terima ramp dan kursi roda", UNIT]))
    followup.write_bytes(tiny_pdf(["Laporan tindak lanjut rekomendasi", UNIT]))
    return {"photo": photo, "objection": objection, "followup": followup}


def test_a_year_with_a_team_a_visit_an_objection_and_a_follow_up(open_on, screenshots, files):
    admin, ketua, unit = open_on(), open_on(), open_on()
    set_the_window(admin, screenshots)
    give_aspect_a_to_the_anggota(admin, screenshots)
    assessment_id = record_the_visit(ketua, screenshots, files["photo"])
    review_the_ketuas_part(ketua, screenshots)
    review_the_anggotas_part(admin, screenshots)
    send_the_provisional_result(ketua, screenshots)
    object_and_be_done(unit, screenshots, files["objection"])
    answer_and_verify(ketua, screenshots)
    check_berita_acara(ketua)
    recommendation = report_the_follow_up(unit, screenshots, files["followup"])
    accept_the_follow_up(ketua, screenshots, recommendation, assessment_id)


def set_the_window(page, screenshots: Screenshots) -> None:
    log_in(page, "admin")
    page.get_by_role("button", name="Pengaturan").click()
    page.get_by_role("link", name="Periode", exact=True).click()
    page.get_by_role("row").filter(has_text=f"Tahun {YEAR}").get_by_role("link", name="Kelola").click()
    days = page.get_by_label("Masa sanggah (hari)")
    expect(days).to_have_value("0")  # the demo period verifies at once
    days.fill(str(WINDOW_DAYS))
    page.get_by_role("button", name="Simpan periode").click()
    expect(page.get_by_text(f"Periode {YEAR} tersimpan.")).to_be_visible()
    expect(page.get_by_label("Masa sanggah (hari)")).to_have_value(str(WINDOW_DAYS))
    screenshots.take(page, "admin-periode-masa-sanggah")


def give_aspect_a_to_the_anggota(page, screenshots: Screenshots) -> None:
    page.get_by_role("link", name="Verifikasi", exact=True).click()  # before: only the demo's aspect F of Dinkes
    expect(page.get_by_role("link", name=re.compile("^Tugas saya"))).to_have_text(re.compile(r"^Tugas saya\s*1$"))
    expect(page.locator("table tbody tr").filter(has_text=UNIT)).to_have_count(0)
    page.get_by_role("link", name="Tim evaluator").click()
    expect(page.get_by_role("heading", level=1, name="Tim evaluator")).to_be_visible()
    expect(page.get_by_label("Nomor SK tim")).to_have_value(f"800/112/Kep.Wali/{YEAR}")
    members = page.locator("table tbody tr")
    expect(members.filter(has_text=KETUA)).to_contain_text("Ketua")
    expect(members.filter(has_text=ANGGOTA)).to_contain_text("Anggota")
    screenshots.take(page, "admin-tim-evaluator")
    page.get_by_role("link", name="Penugasan").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=SHORT, exact=True))
    part = row.get_by_label(f"Aspek A {SHORT}", exact=True)
    expect(part.locator("option:checked")).to_have_text("Tidak ada")
    part.select_option(label=ANGGOTA)
    row.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text(f"Penugasan {SHORT} tersimpan.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=SHORT, exact=True))
    expect(row.get_by_label(f"Aspek A {SHORT}", exact=True).locator("option:checked")).to_have_text(ANGGOTA)
    expect(row.get_by_label(f"Seluruh unit {SHORT}", exact=True).locator("option:checked")).to_have_text(KETUA)
    screenshots.take(page, "admin-penugasan-aspek-a")
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    tab = page.get_by_role("link", name=re.compile("^Tugas saya"))
    expect(tab).to_have_attribute("aria-current", "page")
    expect(tab).to_have_text(re.compile(r"^Tugas saya\s*2$"))  # aspect F of Dinas Kesehatan (the demo's), aspect A here
    task = page.locator("table tbody tr").filter(has_text=UNIT)
    expect(task).to_contain_text("Dikirim")
    expect(task.get_by_role("link", name="Periksa")).to_be_visible()
    screenshots.take(page, "anggota-tugas-saya")


def open_review(page, username: str | None = None) -> None:
    if username:
        log_in(page, username)
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    page.locator("table tbody tr").filter(has_text=UNIT).get_by_role("link", name=re.compile("^(Periksa|Lihat)$")).click()
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()


def record_the_visit(page, screenshots: Screenshots, photo) -> int:
    """The ketua records the visit from the review page; returns the assessment's id."""
    open_review(page, "organisasi")
    assessment_id = int(re.search(r"/penilaian/(\d+)/verifikasi", page.url).group(1))
    expect(page.locator(".aspect-holder").first).to_contain_text(f"Pemeriksa: {ANGGOTA} · Anda hanya dapat membaca")
    page.get_by_role("link", name="Observasi lapangan").click()
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    visited_on = TODAY - timedelta(days=1)
    page.get_by_label("Tanggal kunjungan").fill(visited_on.isoformat())
    expect(page.locator("#visited_on-kata")).to_have_text(tanggal(visited_on))
    page.get_by_label(KETUA, exact=True).check()
    page.get_by_label(ANGGOTA, exact=True).check()
    page.get_by_label("Pejabat unit yang ditemui").fill(OFFICIALS)
    page.get_by_label("Catatan pertemuan penutup (exit meeting)").fill(EXIT_NOTES)
    page.get_by_role("button", name="Simpan data kunjungan").click()
    expect(page.get_by_text("Data kunjungan tersimpan.")).to_be_visible()

    doubted, confirmed = page.locator(f"#obs-{field_key(LOWERED)}"), page.locator(f"#obs-{field_key(CONFIRMED)}")
    expect(doubted).to_contain_text(f"level mandiri {OWN_LEVEL}")
    doubted.get_by_label("Tidak sesuai klaim", exact=True).check()
    doubted.get_by_label(f"Catatan {LOWERED}").fill(FINDING_NOTE)
    confirmed.get_by_label("Sesuai", exact=True).check()
    confirmed.get_by_label(f"Catatan {CONFIRMED}").fill(CONFIRMED_NOTE)
    page.get_by_role("button", name="Simpan temuan").click()
    expect(page.get_by_text("Temuan observasi tersimpan (2 indikator berubah).")).to_be_visible()

    page.get_by_label("Foto (JPG atau PNG)").set_input_files(photo)
    page.get_by_label("Foto tentang").select_option(LOWERED)
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("1 foto tersimpan.")).to_be_visible()
    expect(page.get_by_role("img", name=f"Foto {photo.name}")).to_be_visible()
    expect(page.locator(f"#obs-{field_key(LOWERED)}")).to_contain_text(photo.name)
    screenshots.take(page, "ketua-observasi-lapangan")

    page.get_by_role("link", name="Kembali ke verifikasi").click()
    observed = page.locator(f"#rev-{field_key(LOWERED)} .visit-observed")
    expect(observed).to_contain_text("Observasi: tidak sesuai klaim")
    expect(observed).to_contain_text(FINDING_NOTE)
    expect(observed).to_contain_text(photo.name)
    expect(page.locator(f"#rev-{field_key(CONFIRMED)} .visit-observed")).to_contain_text("Observasi: sesuai")
    return assessment_id


def review_the_ketuas_part(page, screenshots: Screenshots) -> None:
    """The ketua lowers the doubted indicator (set directly, with a note) and agrees with the rest of his part."""
    key = field_key(LOWERED)
    section = page.locator(f"#rev-{key}")
    expect(section.locator(".opd-answer .level-num")).to_have_text(str(OWN_LEVEL))
    page.locator(f"[id='{key}-note']").fill(REVIEW_NOTE)
    section.get_by_label("Level terverifikasi", exact=True).select_option(str(LOWERED_TO))
    page.get_by_role("button", name="Simpan catatan verifikasi").click()
    expect(page.get_by_text("Catatan verifikasi tersimpan.")).to_be_visible()
    expect(section.locator("[data-fact-outcome]")).to_contain_text(f"Level terverifikasi: {LOWERED_TO}")
    expect(section.locator("[data-fact-outcome]")).to_contain_text("(ditetapkan langsung)")
    mine = len(INSTRUMENT.indicators) - len(ASPECT_A) - 1
    page.get_by_role("button", name=f"Tandai {mine} indikator yang belum diperiksa sebagai sesuai").click()
    expect(page.get_by_text("Indikator yang belum diperiksa ditandai sesuai.")).to_be_visible()
    # aspect A is the anggota's: the ketua cannot send the result before she decides it
    expect(page.get_by_text(f"Masih ada {len(ASPECT_A)} indikator yang belum diperiksa.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Kirim hasil sementara"))).to_have_count(0)
    screenshots.take(page, "ketua-bagiannya-diperiksa")


def review_the_anggotas_part(page, screenshots: Screenshots) -> None:
    open_review(page)
    expect(page.locator(".aspect-holder").first).to_contain_text(f"Pemeriksa: {ANGGOTA} (Anda)")
    page.get_by_role("button", name=f"Tandai {len(ASPECT_A)} indikator yang belum diperiksa sebagai sesuai").click()
    expect(page.get_by_text("Indikator yang belum diperiksa ditandai sesuai.")).to_be_visible()
    expect(page.get_by_text(f"{len(INSTRUMENT.indicators)} dari {len(INSTRUMENT.indicators)} indikator diperiksa")
           ).to_be_visible()
    screenshots.take(page, "anggota-aspek-a-diperiksa")


def send_the_provisional_result(page, screenshots: Screenshots) -> None:
    page.reload()
    expect(page.get_by_text(f"dapat menyanggahnya selama {WINDOW_DAYS} hari")).to_be_visible()
    page.get_by_label(re.compile("^Saya telah memeriksa seluruh indikator; hasil ini dikirim ke unit")).check()
    page.get_by_role("button", name=re.compile(r"^Kirim hasil sementara: IPP")).click()
    expect(page.get_by_text(f"Hasil sementara dikirim ke unit; masa sanggah {WINDOW_DAYS} hari berjalan.")
           ).to_be_visible()
    expect(page.locator(".page-head .badge.status")).to_have_text("Hasil sementara")
    closes_on = tanggal(TODAY + timedelta(days=WINDOW_DAYS - 1))  # today included
    expect(page.locator(".alert-primary")).to_contain_text(f"masa sanggah sampai {closes_on}")
    expect(page.locator("#sanggahan")).to_contain_text("Unit belum mengajukan sanggahan.")
    screenshots.take(page, "ketua-hasil-sementara-dikirim")


def object_and_be_done(page, screenshots: Screenshots, new_evidence) -> None:
    log_in(page, "dindik")
    expect(page.get_by_text("Hasil sementara verifikasi telah dikirim.")).to_be_visible()
    page.get_by_role("link", name="Hasil sementara dan sanggahan").click()
    closes_on = tanggal(TODAY + timedelta(days=WINDOW_DAYS - 1))
    expect(page.locator(".deadline-chip")).to_have_text(
        f"Masa sanggah berjalan · sampai {closes_on} ({WINDOW_DAYS} hari lagi)")
    lowered = page.get_by_role("row").filter(has=page.get_by_text(LOWERED, exact=True))
    expect(lowered.get_by_role("cell")).to_have_text([re.compile(LOWERED), str(OWN_LEVEL), str(LOWERED_TO),
                                                      REVIEW_NOTE])
    screenshots.take(page, "unit-hasil-sementara")
    page.get_by_label("Indikator").select_option(LOWERED)
    page.get_by_label("Alasan sanggahan").fill(OBJECTION)
    page.get_by_label("Bukti baru (bila ada)").set_input_files(new_evidence)
    page.get_by_role("button", name="Kirim sanggahan").click()
    expect(page.get_by_text(f"Sanggahan untuk indikator {LOWERED} terkirim ke evaluator, dengan 1 bukti baru.")
           ).to_be_visible()
    objection = page.locator(".objection")
    expect(objection).to_contain_text(OBJECTION)
    expect(objection).to_contain_text(f"Level sementara: {LOWERED_TO}")
    expect(objection.get_by_role("link", name=OBJECTION_FILE)).to_be_visible()
    expect(objection).to_contain_text("Menunggu jawaban evaluator.")
    expect(lowered).to_contain_text("disanggah")
    page.get_by_role("button", name="Selesai, tidak ada sanggahan lain").click()
    expect(page.get_by_text("Tanggapan tersimpan: Bagian Organisasi dapat melakukan verifikasi final.")).to_be_visible()
    expect(page.locator(".deadline-chip")).to_have_text("Unit telah menanggapi")
    expect(page.get_by_role("button", name="Kirim sanggahan")).to_have_count(0)
    screenshots.take(page, "unit-sanggahan-terkirim")


def answer_and_verify(page, screenshots: Screenshots) -> None:
    page.reload()
    window = page.locator("#sanggahan")
    expect(window).to_contain_text("Unit telah menanggapi")
    objection = window.locator(".objection")
    expect(objection).to_contain_text(OBJECTION)
    expect(page.get_by_text(f"Jawab dahulu sanggahan pada indikator {LOWERED}.")).to_be_visible()
    screenshots.take(page, "ketua-sanggahan-masuk")
    objection.get_by_label("Terima", exact=True).check()
    objection.get_by_label("Level baru (bila diterima)").select_option(str(OWN_LEVEL))
    objection.get_by_label("Alasan (wajib bila ditolak)").fill(ANSWER)
    objection.get_by_role("button", name="Jawab").click()
    expect(page.get_by_text(f"Sanggahan {LOWERED} dijawab.")).to_be_visible()
    expect(page.locator("#sanggahan .objection .alert-success")).to_contain_text(
        f"Diterima: level menjadi {OWN_LEVEL}. {ANSWER}")
    expect(page.locator(f"#rev-{field_key(LOWERED)} [data-fact-outcome]")).to_contain_text(
        f"Level terverifikasi: {OWN_LEVEL}")
    # every level is the unit's own again: the verified IPP is the self-assessed one
    self_ipp = page.locator(".score-value").first.inner_text()
    expect(page.locator("[data-score-card=verified] .score-value")).to_have_text(self_ipp)
    page.get_by_label(re.compile("^Saya telah memeriksa seluruh indikator; hasil verifikasi ini final")).check()
    page.get_by_role("button", name=re.compile(r"^Verifikasi final: IPP")).click()
    expect(page.get_by_text("Penilaian terverifikasi. Rekomendasi telah disusun dan dapat disunting.")).to_be_visible()
    expect(page.locator(".page-head .badge.status")).to_have_text("Terverifikasi")
    expect(page.locator("#sanggahan")).to_contain_text("Masa sanggah ditutup")
    expect(page.locator("#rekomendasi li textarea").first).to_be_visible()
    screenshots.take(page, "ketua-verifikasi-final")


def check_berita_acara(page) -> None:
    text = pdf_text(download(page, page.get_by_role("link", name="Berita acara (PDF)")))
    assert f"Bukti baru: 1 berkas ({OBJECTION_FILE})" in text.replace("- ", "-")  # a narrow cell breaks at a hyphen
    for expected in (UNIT, "Unit mengajukan 1 sanggahan", OBJECTION, f"Diterima: {ANSWER}",
                     "LAMPIRAN: HASIL OBSERVASI LAPANGAN", tanggal(TODAY - timedelta(days=1)), KETUA, ANGGOTA,
                     "Endang Suryana, S.Pd. — Sekretaris Dinas", "Tidak sesuai klaim", FINDING_NOTE, CONFIRMED_NOTE,
                     EXIT_NOTES):
        assert expected in text, f"{expected!r} missing from the Berita Acara: {text[:1500]}"
    assert "DRAF" not in text


def report_the_follow_up(page, screenshots: Screenshots, evidence) -> str:
    """The unit reports the follow-up of this year's first recommendation; returns its article's id."""
    page.get_by_role("link", name="Tindak lanjut", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    this_year = page.locator("section").filter(
        has=page.get_by_role("heading", level=2, name=f"Rekomendasi hasil evaluasi {YEAR}"))
    recommendation = this_year.locator("article").first
    expect(recommendation).to_contain_text("Belum dilaporkan")
    article = recommendation.get_attribute("id")
    recommendation.get_by_text("Laporkan tindak lanjut").click()
    recommendation.get_by_label("Apa yang sudah dilakukan").fill(FOLLOWUP_NOTE)
    recommendation.get_by_label(re.compile("^Bukti tindak lanjut")).set_input_files(evidence)
    screenshots.take(page, "unit-lapor-tindak-lanjut")
    recommendation.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_text("Laporan tindak lanjut terkirim ke Bagian Organisasi.")).to_be_visible()
    reported = page.locator(f"#{article}")
    expect(reported).to_contain_text("Menunggu tanggapan")
    expect(reported).to_contain_text(FOLLOWUP_NOTE)
    expect(reported.get_by_role("link", name=FOLLOWUP_FILE)).to_be_visible()
    screenshots.take(page, "unit-tindak-lanjut-terkirim")
    return article


def monitoring_row(page):
    return page.locator("table tbody tr").filter(has_text=UNIT)


def accept_the_follow_up(page, screenshots: Screenshots, article: str, assessment_id: int) -> None:
    page.get_by_role("link", name="Tindak lanjut", exact=True).click()  # the latest results with recommendations
    expect(page.get_by_role("heading", level=1, name=f"Pemantauan Tindak Lanjut Hasil {YEAR}")).to_be_visible()
    done = page.locator(".followup-totals .card").filter(has_text="Selesai").locator(".h4")
    done_before = int(done.inner_text())
    expect(monitoring_row(page).locator("[data-label='Menunggu tanggapan']")).to_have_text("1")
    screenshots.take(page, "ketua-pemantauan-menunggu")
    monitoring_row(page).get_by_role("link", name=f"Buka tindak lanjut {SHORT}").click()
    expect(page).to_have_url(re.compile(f"/tindak-lanjut/penilaian/{assessment_id}$"))
    recommendation = page.locator(f"#{article}")
    expect(recommendation).to_contain_text(FOLLOWUP_NOTE)
    recommendation.get_by_label("Terima: selesai").check()
    recommendation.get_by_role("button", name="Simpan tanggapan").click()
    expect(page.get_by_text("Tindak lanjut diterima.")).to_be_visible()
    expect(page.locator(f"#{article} .badge").first).to_have_text("Selesai")
    screenshots.take(page, "ketua-tindak-lanjut-diterima")
    page.get_by_role("link", name="Tindak lanjut", exact=True).click()
    expect(done).to_have_text(str(done_before + 1))
    expect(monitoring_row(page).locator("[data-label='Selesai']")).to_have_text("1")
    expect(monitoring_row(page).locator("[data-label='Menunggu tanggapan']")).to_have_text("0")
    screenshots.take(page, "ketua-pemantauan-selesai")
    text = pdf_text(download(page, page.get_by_role("link", name="Laporan Pemantauan (PDF)")))
    assert SHORT in text or UNIT in text, f"{UNIT!r} missing from the monitoring report: {text[:800]}"
